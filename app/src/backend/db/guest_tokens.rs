//! Guests' private links: hashed tokens, each with its own expiry.
use super::WriteTx;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

use crate::model::thread::ThreadStatus;

/// What a live token opens: one thread, as one guest participant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestAccess {
    pub token_id: i64,
    pub thread_id: i64,
    pub participant_id: i64,
    pub guest_email: String,
    pub guest_name: String,
    pub expires_at: i64,
    /// The guest has read up to the thread's last visible message.
    pub caught_up: bool,
    /// The thread's subject and status as the link was opened.
    pub subject: String,
    pub status: ThreadStatus,
    /// The thread has had files (the page asks for them only then).
    pub has_files: bool,
}

fn from_row(row: &AnyRow) -> Result<GuestAccess, sqlx::Error> {
    Ok(GuestAccess {
        token_id: row.try_get("token_id")?,
        thread_id: row.try_get("thread_id")?,
        participant_id: row.try_get("participant_id")?,
        guest_email: row.try_get("guest_email")?,
        guest_name: row.try_get("display_name")?,
        expires_at: row.try_get("expires_at")?,
        caught_up: super::flag(row, "caught_up")?,
        subject: row.try_get("subject")?,
        status: super::threads::status_of(row)?,
        has_files: super::flag(row, "has_files")?,
    })
}

/// Stores a new token's hash.
pub async fn insert(
    tx: &mut WriteTx,
    thread_id: i64,
    participant_id: i64,
    token_hash: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO guest_tokens (thread_id, participant_id, token_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(thread_id)
    .bind(participant_id)
    .bind(token_hash)
    .bind(now)
    .bind(expires_at)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Keeps only the newest `keep` tokens of a participant; returns how many went.
pub async fn prune(tx: &mut WriteTx, participant_id: i64, keep: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM guest_tokens WHERE participant_id = $1 AND id NOT IN \
         (SELECT id FROM guest_tokens WHERE participant_id = $1 ORDER BY id DESC LIMIT $2)",
    )
    .bind(participant_id)
    .bind(keep)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected())
}

/// The access a token gives at `now`: live, its thread not trashed, its guest still there.
pub async fn find<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    token_hash: &str,
    now: i64,
) -> Result<Option<GuestAccess>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT g.id AS token_id, g.thread_id, g.participant_id, p.guest_email, p.display_name, \
           g.expires_at, \
           CASE WHEN p.last_read_message_id >= p.thread_last_message_id THEN 1 ELSE 0 END \
             AS caught_up, \
           t.subject, t.status, t.has_files \
         FROM guest_tokens g \
         JOIN participants p ON p.id = g.participant_id \
         JOIN threads t ON t.id = g.thread_id \
         WHERE g.token_hash = $1 AND g.expires_at > $2 AND t.deleted_at IS NULL \
           AND p.guest_email IS NOT NULL AND p.left_at IS NULL",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(ex)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Moves a token's expiry to `until` when that is later.
pub async fn extend(tx: &mut WriteTx, token_id: i64, until: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE guest_tokens SET expires_at = $1 WHERE id = $2 AND expires_at < $1")
        .bind(until)
        .bind(token_id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Ends every guest link of a thread; returns how many.
pub async fn revoke_thread(tx: &mut WriteTx, thread_id: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM guest_tokens WHERE thread_id = $1")
        .bind(thread_id)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected())
}

/// The guest participations of an address, in threads not trashed: (thread id, participant id).
pub async fn participations<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    email_lower: &str,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT p.thread_id, p.id FROM participants p JOIN threads t ON t.id = p.thread_id \
         WHERE p.guest_email_lower = $1 AND p.left_at IS NULL AND t.deleted_at IS NULL \
         ORDER BY p.thread_id",
    )
    .bind(email_lower)
    .fetch_all(ex)
    .await
}
