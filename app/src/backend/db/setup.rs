//! The first-run setup code (only its hash) and whether an administrator exists.
use sqlx::{Any, Executor};

use super::WriteTx;

/// Whether an active administrator exists.
pub async fn admin_exists<'e, E: Executor<'e, Database = Any>>(ex: E) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE is_admin <> 0 AND disabled = 0 LIMIT 1")
            .fetch_optional(ex)
            .await?;
    Ok(found.is_some())
}

/// Replaces every code with this one.
pub async fn replace(tx: &mut WriteTx, code_hash: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM setup_codes")
        .execute(tx.conn())
        .await?;
    sqlx::query("INSERT INTO setup_codes (code_hash, created_at) VALUES ($1, $2)")
        .bind(code_hash)
        .bind(now)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Whether the code is a live one (without using it).
pub async fn exists<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    code_hash: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT code_hash FROM setup_codes WHERE code_hash = $1")
            .bind(code_hash)
            .fetch_optional(ex)
            .await?;
    Ok(found.is_some())
}

/// Uses the code: true when it was a live one (it is gone now).
pub async fn take(tx: &mut WriteTx, code_hash: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM setup_codes WHERE code_hash = $1")
        .bind(code_hash)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes every code (an administrator exists).
pub async fn clear(tx: &mut WriteTx) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM setup_codes")
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Whether an active administrator exists, inside a write transaction.
pub async fn admin_exists_in(tx: &mut WriteTx) -> Result<bool, sqlx::Error> {
    admin_exists(tx.conn()).await
}
