//! Single-use links sent by email (address verification, password reset), stored hashed.
use super::WriteTx;
use sqlx::{Any, Executor};

/// Stores the hash of a new token for `user_id`.
pub async fn insert(
    tx: &mut WriteTx,
    user_id: i64,
    purpose: &str,
    token_hash: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO account_tokens (user_id, purpose, token_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user_id)
    .bind(purpose)
    .bind(token_hash)
    .bind(now)
    .bind(expires_at)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The user a live token of `purpose` belongs to.
pub async fn find_user<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    purpose: &str,
    token_hash: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT user_id FROM account_tokens WHERE token_hash = $1 AND purpose = $2 \
         AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(purpose)
    .bind(now)
    .fetch_optional(ex)
    .await
}

/// Removes every token of `purpose` for a user (a link was used: the others die with it).
pub async fn delete_for_user(
    tx: &mut WriteTx,
    user_id: i64,
    purpose: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM account_tokens WHERE user_id = $1 AND purpose = $2")
        .bind(user_id)
        .bind(purpose)
        .execute(tx.conn())
        .await?;
    Ok(())
}
