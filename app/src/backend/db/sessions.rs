//! Login sessions, stored by the SHA-256 of their cookie value.
use super::WriteTx;
use sqlx::{Any, Executor};

use super::users::{from_row, UserRow, USER_COLUMNS};

/// Stores a new session.
pub async fn insert(
    tx: &mut WriteTx,
    id_hash: &str,
    user_id: i64,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(id_hash)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The active (not expired, not disabled) user of a session.
pub async fn find_user<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id_hash: &str,
    now: i64,
) -> Result<Option<UserRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.disabled = 0"
    );
    let row = sqlx::query(&sql)
        .bind(id_hash)
        .bind(now)
        .fetch_optional(ex)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Ends one session.
pub async fn delete(tx: &mut WriteTx, id_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Ends every session of a user.
pub async fn delete_for_user(tx: &mut WriteTx, user_id: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected())
}
