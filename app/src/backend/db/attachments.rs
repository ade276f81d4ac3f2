//! Attachment rows. A row exists before its file is stored and outlives it only until the
//! sweep: rows without a message are garbage once older than the upload grace time.
use super::WriteTx;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

/// An attachment as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentRow {
    pub id: i64,
    pub message_id: Option<i64>,
    pub storage_key: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

const COLUMNS: &str =
    "a.id, a.message_id, a.storage_key, a.file_name, a.content_type, a.size_bytes";

fn from_row(row: &AnyRow) -> Result<AttachmentRow, sqlx::Error> {
    Ok(AttachmentRow {
        id: row.try_get("id")?,
        message_id: row.try_get("message_id")?,
        storage_key: row.try_get("storage_key")?,
        file_name: row.try_get("file_name")?,
        content_type: row.try_get("content_type")?,
        size_bytes: row.try_get("size_bytes")?,
    })
}

/// Records an upload about to be stored; returns its id.
pub async fn insert_unlinked(
    tx: &mut WriteTx,
    storage_key: &str,
    file_name: &str,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO attachments (storage_key, file_name, created_at) VALUES ($1, $2, $3) \
         RETURNING id",
    )
    .bind(storage_key)
    .bind(file_name)
    .bind(now)
    .fetch_one(tx.conn())
    .await
}

/// Links a stored upload to its message with what was learnt while storing it; false when
/// the row is gone or already linked.
pub async fn link(
    tx: &mut WriteTx,
    id: i64,
    message_id: i64,
    content_type: &str,
    size_bytes: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE attachments SET message_id = $1, content_type = $2, size_bytes = $3 \
         WHERE id = $4 AND message_id IS NULL",
    )
    .bind(message_id)
    .bind(content_type)
    .bind(size_bytes)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The files of some messages, by message then id.
pub async fn list_for_messages<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    message_ids: &[i64],
) -> Result<Vec<AttachmentRow>, sqlx::Error> {
    if message_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM attachments a WHERE a.message_id IN ({}) \
         ORDER BY a.message_id, a.id",
        super::id_list(message_ids)
    );
    let rows = sqlx::query(&sql).fetch_all(ex).await?;
    rows.iter().map(from_row).collect()
}

/// A linked file with what deciding access needs: its message's kind and thread.
#[derive(Debug, Clone)]
pub struct FileInThread {
    pub file: AttachmentRow,
    pub thread_id: i64,
    pub message_kind: String,
}

/// A file that belongs to a message, with its thread and message kind.
pub async fn find_linked<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
) -> Result<Option<FileInThread>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS}, m.thread_id, m.kind FROM attachments a \
         JOIN messages m ON m.id = a.message_id WHERE a.id = $1"
    );
    let row = sqlx::query(&sql).bind(id).fetch_optional(ex).await?;
    row.map(|r| {
        Ok(FileInThread {
            file: from_row(&r)?,
            thread_id: r.try_get("thread_id")?,
            message_kind: r.try_get("kind")?,
        })
    })
    .transpose()
}

/// Unlinks every file of a thread (inside the transaction that deletes it) and marks them
/// due for the sweep at once; returns (id, key) of each, to delete right after commit.
pub async fn unlink_thread(
    tx: &mut WriteTx,
    thread_id: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "UPDATE attachments SET message_id = NULL, created_at = 0 \
         WHERE message_id IN (SELECT id FROM messages WHERE thread_id = $1) \
         RETURNING id, storage_key",
    )
    .bind(thread_id)
    .fetch_all(tx.conn())
    .await?;
    ids_and_keys(&rows)
}

/// Unlinked rows created before `before`: (id, key), oldest first.
pub async fn unlinked_before<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    before: i64,
    limit: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, storage_key FROM attachments WHERE message_id IS NULL AND created_at < $1 \
         ORDER BY created_at LIMIT $2",
    )
    .bind(before)
    .bind(limit)
    .fetch_all(ex)
    .await?;
    ids_and_keys(&rows)
}

/// Deletes a row whose file is gone, unless it was linked meanwhile.
pub async fn delete_unlinked(tx: &mut WriteTx, id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM attachments WHERE id = $1 AND message_id IS NULL")
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Makes an unlinked row due for the sweep now; false when it is linked (or gone).
pub async fn mark_due(tx: &mut WriteTx, id: i64) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE attachments SET created_at = 0 WHERE id = $1 AND message_id IS NULL")
            .bind(id)
            .execute(tx.conn())
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Rows of `id, storage_key` as pairs.
fn ids_and_keys(rows: &[AnyRow]) -> Result<Vec<(i64, String)>, sqlx::Error> {
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("storage_key")?)))
        .collect()
}
