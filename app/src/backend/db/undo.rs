//! What an action changed, kept so that its author can undo it exactly.
use sqlx::{Any, Executor, Row};

use super::WriteTx;

/// One kept action: who did it, when, and each thread's state before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoRow {
    pub id: i64,
    pub user_id: i64,
    pub prior: String,
    pub created_at: i64,
    pub used_at: Option<i64>,
}

/// Keeps an action's prior states; returns its id.
pub async fn insert(
    tx: &mut WriteTx,
    user_id: i64,
    prior: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO undo_actions (user_id, prior, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(user_id)
    .bind(prior)
    .bind(now)
    .fetch_one(tx.conn())
    .await
}

/// One kept action.
pub async fn find<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
) -> Result<Option<UndoRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, user_id, prior, created_at, used_at FROM undo_actions WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(ex)
    .await?;
    row.map(|r| {
        Ok(UndoRow {
            id: r.try_get("id")?,
            user_id: r.try_get("user_id")?,
            prior: r.try_get("prior")?,
            created_at: r.try_get("created_at")?,
            used_at: r.try_get("used_at")?,
        })
    })
    .transpose()
}

/// Claims an action for undoing: true for the one caller that gets it, while it is fresh.
pub async fn claim(
    tx: &mut WriteTx,
    id: i64,
    user_id: i64,
    not_before: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE undo_actions SET used_at = $4 \
         WHERE id = $1 AND user_id = $2 AND used_at IS NULL AND created_at >= $3",
    )
    .bind(id)
    .bind(user_id)
    .bind(not_before)
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Forgets actions kept before `before`; returns how many.
pub async fn purge(tx: &mut WriteTx, before: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM undo_actions WHERE created_at < $1")
        .bind(before)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected())
}
