//! Site settings stored as key/value text.
use super::WriteTx;
use sqlx::{Any, Executor};

/// Every stored setting.
pub async fn all<'e, E: Executor<'e, Database = Any>>(
    ex: E,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT key, value FROM settings")
        .fetch_all(ex)
        .await
}

/// One stored setting, if it was ever set.
pub async fn one<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    key: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(key)
        .fetch_optional(ex)
        .await
}

/// Stores one setting.
pub async fn put(tx: &mut WriteTx, key: &str, value: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(tx.conn())
    .await?;
    Ok(())
}
