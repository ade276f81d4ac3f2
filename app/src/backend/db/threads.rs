//! Threads: creation, the denormalised last-message fields, status, assignment, Trash.
use super::WriteTx;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

use super::Backend;
use crate::model::thread::{ThreadKind, ThreadStatus};

/// A thread as stored.
#[derive(Debug, Clone)]
pub struct ThreadRow {
    pub id: i64,
    pub kind: ThreadKind,
    pub subject: String,
    pub status: ThreadStatus,
    pub assignee_id: Option<i64>,
    pub started_by_user_id: Option<i64>,
    pub started_by_name: String,
    pub created_at: i64,
    pub last_message_id: i64,
    pub last_message_at: i64,
    pub last_author_name: String,
    pub deleted_at: Option<i64>,
    /// A file was linked to one of its messages at some time (migration 0016).
    pub has_files: bool,
}

pub(crate) const THREAD_COLUMNS: &str = "t.id, t.kind, t.subject, t.status, t.assignee_id, \
     t.started_by_user_id, t.started_by_name, t.created_at, t.last_message_id, \
     t.last_message_at, t.last_author_name, t.deleted_at, t.has_files";

/// The `status` column of a row that selected a thread's status.
pub(crate) fn status_of(row: &AnyRow) -> Result<ThreadStatus, sqlx::Error> {
    ThreadStatus::parse(&row.try_get::<String, _>("status")?)
        .ok_or_else(|| sqlx::Error::Decode("bad value in threads.status".into()))
}

pub(crate) fn from_row(row: &AnyRow) -> Result<ThreadRow, sqlx::Error> {
    let bad = |c: &str| sqlx::Error::Decode(format!("bad value in threads.{c}").into());
    Ok(ThreadRow {
        id: row.try_get("id")?,
        kind: ThreadKind::parse(&row.try_get::<String, _>("kind")?).ok_or_else(|| bad("kind"))?,
        subject: row.try_get("subject")?,
        status: status_of(row)?,
        assignee_id: row.try_get("assignee_id")?,
        started_by_user_id: row.try_get("started_by_user_id")?,
        started_by_name: row.try_get("started_by_name")?,
        created_at: row.try_get("created_at")?,
        last_message_id: row.try_get("last_message_id")?,
        last_message_at: row.try_get("last_message_at")?,
        last_author_name: row.try_get("last_author_name")?,
        deleted_at: row.try_get("deleted_at")?,
        has_files: super::flag(row, "has_files")?,
    })
}

/// The columns of `THREAD_COLUMNS` (from a subquery that selected them) as one packed
/// array, read back with `from_packed`.
pub(crate) const PACKED_THREAD: &str = "json_array(id, kind, subject, status, assignee_id, \
     started_by_user_id, started_by_name, created_at, last_message_id, last_message_at, \
     last_author_name, deleted_at, has_files)";

/// A thread as packed by `PACKED_THREAD`.
pub(crate) type PackedThread = (
    i64,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    String,
    i64,
    i64,
    i64,
    String,
    Option<i64>,
    i64,
);

pub(crate) fn from_packed(p: PackedThread) -> Result<ThreadRow, sqlx::Error> {
    let bad = |c: &str| sqlx::Error::Decode(format!("bad value in threads.{c}").into());
    Ok(ThreadRow {
        id: p.0,
        kind: ThreadKind::parse(&p.1).ok_or_else(|| bad("kind"))?,
        subject: p.2,
        status: ThreadStatus::parse(&p.3).ok_or_else(|| bad("status"))?,
        assignee_id: p.4,
        started_by_user_id: p.5,
        started_by_name: p.6,
        created_at: p.7,
        last_message_id: p.8,
        last_message_at: p.9,
        last_author_name: p.10,
        deleted_at: p.11,
        has_files: p.12 != 0,
    })
}

/// What a new thread starts with.
pub struct NewThread<'a> {
    pub kind: ThreadKind,
    pub subject: &'a str,
    pub status: ThreadStatus,
    pub started_by_user_id: Option<i64>,
    pub started_by_guest_email: Option<&'a str>,
    pub started_by_name: &'a str,
    pub now: i64,
}

/// Creates a thread; returns its id.
pub async fn insert(tx: &mut WriteTx, t: &NewThread<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO threads (kind, subject, status, started_by_user_id, started_by_guest_email, \
         started_by_name, created_at, last_message_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
         RETURNING id",
    )
    .bind(t.kind.as_str())
    .bind(t.subject)
    .bind(t.status.as_str())
    .bind(t.started_by_user_id)
    .bind(t.started_by_guest_email)
    .bind(t.started_by_name)
    .bind(t.now)
    .fetch_one(tx.conn())
    .await
}

/// Reads a thread.
pub async fn find<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
) -> Result<Option<ThreadRow>, sqlx::Error> {
    let sql = format!("SELECT {THREAD_COLUMNS} FROM threads t WHERE t.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(ex).await?;
    row.as_ref().map(from_row).transpose()
}

/// Reads a thread inside a write transaction, locking its row on PostgreSQL so that writers
/// of one thread queue (SQLite's `BEGIN IMMEDIATE` already serialises writers).
pub async fn find_for_update(tx: &mut WriteTx, id: i64) -> Result<Option<ThreadRow>, sqlx::Error> {
    let lock = if tx.backend() == Backend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let sql = format!("SELECT {THREAD_COLUMNS} FROM threads t WHERE t.id = $1{lock}");
    let row = sqlx::query(&sql).bind(id).fetch_optional(tx.conn()).await?;
    row.as_ref().map(from_row).transpose()
}

/// Moves the last-visible-message fields forward (never backwards).
pub async fn advance_last_message(
    tx: &mut WriteTx,
    id: i64,
    message_id: i64,
    at: i64,
    author_name: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE threads SET last_message_id = $1, last_message_at = $2, last_author_name = $3 \
         WHERE id = $4 AND last_message_id < $1",
    )
    .bind(message_id)
    .bind(at)
    .bind(author_name)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Changes the status from `from` to `to`; false when it was no longer `from`.
pub async fn set_status(
    tx: &mut WriteTx,
    id: i64,
    from: ThreadStatus,
    to: ThreadStatus,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let closed_at = (to == ThreadStatus::Closed).then_some(now);
    let done =
        sqlx::query("UPDATE threads SET status = $1, closed_at = $2 WHERE id = $3 AND status = $4")
            .bind(to.as_str())
            .bind(closed_at)
            .bind(id)
            .bind(from.as_str())
            .execute(tx.conn())
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets the assignee (None unassigns); false when nothing changed.
pub async fn set_assignee(
    tx: &mut WriteTx,
    id: i64,
    assignee: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE threads SET assignee_id = $1 WHERE id = $2 AND assignee_id IS DISTINCT FROM $1",
    )
    .bind(assignee)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves a thread to the Trash (`Some(time)`) or back (`None`); false when nothing changed.
pub async fn set_deleted(
    tx: &mut WriteTx,
    id: i64,
    deleted_at: Option<i64>,
) -> Result<bool, sqlx::Error> {
    let sql = if deleted_at.is_some() {
        "UPDATE threads SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL"
    } else {
        "UPDATE threads SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NOT NULL"
    };
    let done = sqlx::query(sql)
        .bind(deleted_at)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes a trashed thread for good, with everything in it.
pub async fn delete_trashed(tx: &mut WriteTx, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM threads WHERE id = $1 AND deleted_at IS NOT NULL")
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() == 1)
}
