//! The team's saved replies: a title and a body with `{{variables}}`.
use sqlx::{any::AnyRow, Any, Executor, Row};

use super::WriteTx;

/// One saved reply as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedReplyRow {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub updated_at: i64,
}

fn from_row(r: &AnyRow) -> Result<SavedReplyRow, sqlx::Error> {
    Ok(SavedReplyRow {
        id: r.try_get("id")?,
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Every saved reply, by title.
pub async fn list<'e, E: Executor<'e, Database = Any>>(
    ex: E,
) -> Result<Vec<SavedReplyRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, title, body, updated_at FROM saved_replies ORDER BY title, id LIMIT 1000",
    )
    .fetch_all(ex)
    .await?;
    rows.iter().map(from_row).collect()
}

/// One saved reply.
pub async fn find<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
) -> Result<Option<SavedReplyRow>, sqlx::Error> {
    let row = sqlx::query("SELECT id, title, body, updated_at FROM saved_replies WHERE id = $1")
        .bind(id)
        .fetch_optional(ex)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// How many there are.
pub async fn count<'e, E: Executor<'e, Database = Any>>(ex: E) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM saved_replies")
        .fetch_one(ex)
        .await
}

/// Adds one; returns its id.
pub async fn insert(
    tx: &mut WriteTx,
    title: &str,
    body: &str,
    user_id: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO saved_replies (title, body, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(title)
    .bind(body)
    .bind(user_id)
    .bind(now)
    .fetch_one(tx.conn())
    .await
}

/// Changes one; false when it does not exist.
pub async fn update(
    tx: &mut WriteTx,
    id: i64,
    title: &str,
    body: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE saved_replies SET title = $2, body = $3, updated_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(title)
    .bind(body)
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes one; false when it did not exist.
pub async fn delete(tx: &mut WriteTx, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM saved_replies WHERE id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() == 1)
}
