//! One-time submission keys of message forms (migration 0018).
use super::WriteTx;
use sqlx::Row;

/// How long a key is remembered.
pub const KEPT_MS: i64 = 24 * 3600 * 1000;

/// Takes `key` for `actor` inside the post's transaction. `None` when it is new (the post
/// goes on and `settle` records what it made); otherwise what the first post with this
/// key made (thread id, message id). On PostgreSQL a concurrent first post holding the
/// key makes this wait for it to commit, so two posts with one key never both go on.
pub async fn take(
    conn: &mut sqlx::AnyConnection,
    actor: &str,
    key: &str,
    now: i64,
) -> Result<Option<(Option<i64>, Option<i64>)>, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO submissions (actor, submission_key, expires_at) VALUES ($1, $2, $3) \
         ON CONFLICT (actor, submission_key) DO NOTHING",
    )
    .bind(actor)
    .bind(key)
    .bind(now + KEPT_MS)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(None);
    }
    let row = sqlx::query(
        "SELECT thread_id, message_id FROM submissions WHERE actor = $1 AND submission_key = $2",
    )
    .bind(actor)
    .bind(key)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Some((
        row.try_get("thread_id")?,
        row.try_get("message_id")?,
    )))
}

/// Records what the post that took `key` made.
pub async fn settle(
    tx: &mut WriteTx,
    actor: &str,
    key: &str,
    thread_id: i64,
    message_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE submissions SET thread_id = $1, message_id = $2 \
         WHERE actor = $3 AND submission_key = $4",
    )
    .bind(thread_id)
    .bind(message_id)
    .bind(actor)
    .bind(key)
    .execute(tx.conn())
    .await?;
    Ok(())
}
