//! The outbox as a mail queue shared by every worker process: claims with a lease
//! (`FOR UPDATE SKIP LOCKED` on PostgreSQL), retries with back-off, parking.
use super::WriteTx;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

use super::{Backend, Db};
use crate::model::outbox::OutboxItem;

/// A claimed row, ready to render and send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedMail {
    pub id: i64,
    pub kind: String,
    pub thread_id: Option<i64>,
    pub message_id: Option<i64>,
    pub participant_id: Option<i64>,
    pub recipient_user_id: Option<i64>,
    pub recipient_email: Option<String>,
    pub attempts: i64,
}

const COLUMNS: &str = "id, kind, thread_id, message_id, participant_id, recipient_user_id, \
     recipient_email, attempts";

fn from_row(row: &AnyRow) -> Result<QueuedMail, sqlx::Error> {
    Ok(QueuedMail {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        thread_id: row.try_get("thread_id")?,
        message_id: row.try_get("message_id")?,
        participant_id: row.try_get("participant_id")?,
        recipient_user_id: row.try_get("recipient_user_id")?,
        recipient_email: row.try_get("recipient_email")?,
        attempts: row.try_get("attempts")?,
    })
}

/// Claims up to `limit` due rows for `lease_ms`; a row whose lease ran out (a worker died
/// mid-send) is due again. Each claim counts as an attempt.
pub async fn claim(
    db: &Db,
    now: i64,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<QueuedMail>, sqlx::Error> {
    let skip_locked = if db.backend == Backend::Postgres {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    // `next_attempt_at + 0` keeps the planner on `(status, id)`: the oldest due rows come
    // first and the walk stops at `limit`. On `(status, next_attempt_at, id)` SQLite sorted
    // every due row first, which took 36 ms with 195,000 waiting, under the write lock.
    let sql = format!(
        "UPDATE outbox SET locked_until = $1, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' \
           AND next_attempt_at + 0 <= $2 \
           AND (locked_until IS NULL OR locked_until <= $2) ORDER BY id LIMIT $3{skip_locked}) \
         RETURNING {COLUMNS}"
    );
    let mut tx = db.write().await?;
    let rows = sqlx::query(&sql)
        .bind(now + lease_ms)
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    let mut claimed = rows.iter().map(from_row).collect::<Result<Vec<_>, _>>()?;
    claimed.sort_by_key(|m| m.id);
    Ok(claimed)
}

/// Pushes the lease of rows a live worker still holds to `until`.
pub async fn renew(tx: &mut WriteTx, ids: &[i64], until: i64) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE outbox SET locked_until = $1 WHERE status = 'pending' AND id IN ({})",
        super::id_list(ids)
    );
    sqlx::query(&sql).bind(until).execute(tx.conn()).await?;
    Ok(())
}

/// Hands claimed rows back unsent (a stopping worker): due again at once, and the claim
/// not counted as an attempt.
pub async fn release(tx: &mut WriteTx, ids: &[i64]) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE outbox SET locked_until = NULL, attempts = attempts - 1 \
         WHERE status = 'pending' AND attempts > 0 AND id IN ({})",
        super::id_list(ids)
    );
    sqlx::query(&sql).execute(tx.conn()).await?;
    Ok(())
}

/// Rows sent at `now` (a worker's finished emails, recorded together).
pub async fn mark_sent(tx: &mut WriteTx, ids: &[i64], now: i64) -> Result<(), sqlx::Error> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE outbox SET status = 'sent', sent_at = $1, locked_until = NULL, last_error = NULL \
         WHERE id IN ({})",
        super::id_list(ids)
    );
    sqlx::query(&sql).bind(now).execute(tx.conn()).await?;
    Ok(())
}

/// A temporary failure: try again at `next_attempt_at`.
pub async fn mark_retry(
    tx: &mut WriteTx,
    id: i64,
    next_attempt_at: i64,
    error: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox SET next_attempt_at = $1, locked_until = NULL, last_error = $2 WHERE id = $3",
    )
    .bind(next_attempt_at)
    .bind(error)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// A permanent failure, or too many attempts: park the row.
pub async fn mark_failed(tx: &mut WriteTx, id: i64, error: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE outbox SET status = 'failed', locked_until = NULL, last_error = $1 WHERE id = $2",
    )
    .bind(error)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Puts parked rows (one, or all with `None`) back in the queue; returns how many.
pub async fn retry_failed(tx: &mut WriteTx, id: Option<i64>, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $1, \
         locked_until = NULL WHERE status = 'failed' AND (CAST($2 AS BIGINT) IS NULL OR id = $2)",
    )
    .bind(now)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected())
}

/// How many rows are pending, failed and sent.
pub async fn counts<'e, E: Executor<'e, Database = Any>>(
    ex: E,
) -> Result<(i64, i64, i64), sqlx::Error> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM outbox GROUP BY status")
            .fetch_all(ex)
            .await?;
    let get = |s: &str| {
        rows.iter()
            .find(|(k, _)| k == s)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    Ok((get("pending"), get("failed"), get("sent")))
}

/// The newest rows with a status, newest first.
pub async fn list<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    status: &str,
    limit: i64,
) -> Result<Vec<OutboxItem>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT o.id, o.kind, o.thread_id, COALESCE(t.subject, '') AS subject, \
           COALESCE(u.email, o.recipient_email, p.guest_email, '') AS recipient, o.attempts, \
           o.last_error, o.created_at, o.sent_at \
         FROM outbox o LEFT JOIN threads t ON t.id = o.thread_id \
         LEFT JOIN users u ON u.id = o.recipient_user_id \
         LEFT JOIN participants p ON p.id = o.participant_id \
         WHERE o.status = $1 ORDER BY o.id DESC LIMIT $2",
    )
    .bind(status)
    .bind(limit)
    .fetch_all(ex)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(OutboxItem {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                thread_id: r.try_get("thread_id")?,
                subject: r.try_get("subject")?,
                recipient: r.try_get("recipient")?,
                attempts: r.try_get("attempts")?,
                last_error: r.try_get("last_error")?,
                created_at: r.try_get("created_at")?,
                sent_at: r.try_get("sent_at")?,
                bouncing: None,
            })
        })
        .collect()
}
