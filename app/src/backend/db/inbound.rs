//! Inbound mail: kept as it arrived, then claimed with a lease and processed once.
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

use super::{Backend, Db, WriteTx};

/// A message as it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrived<'a> {
    pub via: &'a str,
    pub envelope_from: &'a str,
    pub envelope_to: &'a str,
    pub dedupe_key: &'a str,
    pub raw: &'a [u8],
    pub now: i64,
}

/// Keeps a message; `None` when the same one (by `dedupe_key`) is already kept.
pub async fn keep(tx: &mut WriteTx, m: &Arrived<'_>) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO inbound_mail (received_at, via, envelope_from, envelope_to, dedupe_key, raw, size) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
    )
    .bind(m.now)
    .bind(m.via)
    .bind(m.envelope_from)
    .bind(m.envelope_to)
    .bind(m.dedupe_key)
    .bind(m.raw.to_vec())
    .bind(m.raw.len() as i64)
    .fetch_optional(tx.conn())
    .await
}

/// A claimed message, to be processed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub id: i64,
    pub envelope_to: String,
    pub raw: Vec<u8>,
    pub attempts: i64,
}

/// Claims up to `limit` new messages for `lease_ms` (a message whose lease ran out, its
/// processor having died, is due again). Each claim counts as an attempt.
pub async fn claim(
    db: &Db,
    now: i64,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<Claimed>, sqlx::Error> {
    let skip_locked = if db.backend == Backend::Postgres {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE inbound_mail SET locked_until = $1, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM inbound_mail WHERE state = 'new' \
           AND (locked_until IS NULL OR locked_until <= $2) ORDER BY id LIMIT $3{skip_locked}) \
         RETURNING id, envelope_to, raw, attempts"
    );
    let mut tx = db.write().await?;
    let rows = sqlx::query(&sql)
        .bind(now + lease_ms)
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    let mut claimed = rows
        .iter()
        .map(|r| {
            Ok(Claimed {
                id: r.try_get("id")?,
                envelope_to: r.try_get("envelope_to")?,
                raw: r.try_get("raw")?,
                attempts: r.try_get("attempts")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    claimed.sort_by_key(|c| c.id);
    Ok(claimed)
}

/// Whether any message waits to be processed (not held by a live lease).
pub async fn any_due<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM inbound_mail WHERE state = 'new' \
         AND (locked_until IS NULL OR locked_until <= $1) LIMIT 1",
    )
    .bind(now)
    .fetch_optional(ex)
    .await?;
    Ok(found.is_some())
}

/// What became of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome<'a> {
    /// `posted`, `started`, `held`, `dropped` or `failed`.
    pub state: &'a str,
    pub reason: &'a str,
    pub thread_id: Option<i64>,
    pub posted_message_id: Option<i64>,
    pub from_address: &'a str,
    pub subject: &'a str,
}

/// Records what became of a message (inside the transaction that did it, when it posted).
pub async fn finish(
    tx: &mut WriteTx,
    id: i64,
    o: &Outcome<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE inbound_mail SET state = $1, reason = $2, thread_id = $3, posted_message_id = $4, \
         from_address = $5, subject = $6, processed_at = $7, locked_until = NULL WHERE id = $8",
    )
    .bind(o.state)
    .bind(o.reason)
    .bind(o.thread_id)
    .bind(o.posted_message_id)
    .bind(o.from_address)
    .bind(o.subject)
    .bind(now)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// A message that could not be processed this time: due again after the lease, its error
/// kept (the processor parks it as failed after a few attempts).
pub async fn retry_later(tx: &mut WriteTx, id: i64, reason: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE inbound_mail SET reason = $1 WHERE id = $2")
        .bind(reason)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// A held or failed message put back to be processed again (an admin's choice).
pub async fn requeue(tx: &mut WriteTx, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE inbound_mail SET state = 'new', attempts = 0, locked_until = NULL \
         WHERE id = $1 AND state IN ('held', 'failed')",
    )
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One message as the Inbound page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub id: i64,
    pub received_at: i64,
    pub via: String,
    pub from_address: String,
    pub envelope_from: String,
    pub subject: String,
    pub state: String,
    pub reason: String,
    pub thread_id: Option<i64>,
    pub size: i64,
}

fn listed(r: &AnyRow) -> Result<Listed, sqlx::Error> {
    Ok(Listed {
        id: r.try_get("id")?,
        received_at: r.try_get("received_at")?,
        via: r.try_get("via")?,
        from_address: r.try_get("from_address")?,
        envelope_from: r.try_get("envelope_from")?,
        subject: r.try_get("subject")?,
        state: r.try_get("state")?,
        reason: r.try_get("reason")?,
        thread_id: r.try_get("thread_id")?,
        size: r.try_get("size")?,
    })
}

const LISTED: &str =
    "id, received_at, via, from_address, envelope_from, subject, state, reason, thread_id, size";

/// The newest messages (optionally of one state), newest first.
pub async fn recent<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    state: Option<&str>,
    limit: i64,
) -> Result<Vec<Listed>, sqlx::Error> {
    let sql = format!(
        "SELECT {LISTED} FROM inbound_mail WHERE (CAST($1 AS TEXT) IS NULL OR state = $1) \
         ORDER BY id DESC LIMIT $2"
    );
    let rows = sqlx::query(&sql)
        .bind(state)
        .bind(limit)
        .fetch_all(ex)
        .await?;
    rows.iter().map(listed).collect()
}

/// One message, with its raw text.
pub async fn find<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
) -> Result<Option<(Listed, Vec<u8>)>, sqlx::Error> {
    let sql = format!("SELECT {LISTED}, raw FROM inbound_mail WHERE id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(ex).await?;
    row.map(|r| Ok((listed(&r)?, r.try_get("raw")?)))
        .transpose()
}

/// The messages of a thread that came by email: (message id, incoming mail id).
pub async fn posted_in<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    thread_id: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT posted_message_id, id FROM inbound_mail \
         WHERE thread_id = $1 AND posted_message_id IS NOT NULL",
    )
    .bind(thread_id)
    .fetch_all(ex)
    .await
}

/// Counts per state.
pub async fn counts<'e, E: Executor<'e, Database = Any>>(
    ex: E,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT state, COUNT(*) FROM inbound_mail GROUP BY state ORDER BY state")
        .fetch_all(ex)
        .await
}

/// Marks an address as bouncing (a delivery status notification came back for it).
pub async fn mark_bouncing(
    tx: &mut WriteTx,
    email_lower: &str,
    reason: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO bouncing_addresses (email_lower, bounced_at, reason) VALUES ($1, $2, $3) \
         ON CONFLICT (email_lower) DO UPDATE SET bounced_at = excluded.bounced_at, reason = excluded.reason",
    )
    .bind(email_lower)
    .bind(now)
    .bind(reason)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// The addresses that bounced, newest first: (address, when, why).
pub async fn bouncing<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    limit: i64,
) -> Result<Vec<(String, i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT email_lower, bounced_at, reason FROM bouncing_addresses ORDER BY bounced_at DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(ex)
    .await
}

/// Moves a guest's reply addresses on: the ones in emails already sent stop working.
pub async fn revoke_guest_reply_addresses(
    tx: &mut WriteTx,
    thread_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE participants SET reply_epoch = reply_epoch + 1 \
         WHERE thread_id = $1 AND user_id IS NULL",
    )
    .bind(thread_id)
    .execute(tx.conn())
    .await?;
    Ok(())
}
