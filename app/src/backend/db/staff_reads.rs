//! Each staff member's read mark per conversation: a row of the inbox is bold for them until
//! they have seen its newest visible message.
use std::collections::HashMap;

use sqlx::Row;

use super::{id_list, WriteTx};

/// The viewer's marks for these threads (thread id → newest visible message seen). On
/// SQLite the rows come packed (see `packed`).
pub async fn marks(
    db: &super::Db,
    user_id: i64,
    thread_ids: &[i64],
) -> Result<HashMap<i64, i64>, sqlx::Error> {
    if thread_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT thread_id, last_read_message_id FROM staff_reads \
         WHERE user_id = $1 AND thread_id IN ({})",
        id_list(thread_ids)
    );
    if db.backend() == super::Backend::Sqlite {
        let packed = super::packed::statement("thread_id, last_read_message_id", &sql, "thread_id");
        let rows: Vec<(i64, i64)> =
            super::packed::fetch(sqlx::query(&packed).bind(user_id), db.reader()).await?;
        return Ok(rows.into_iter().collect());
    }
    let rows = sqlx::query(&sql)
        .bind(user_id)
        .fetch_all(db.reader())
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("thread_id")?, r.try_get("last_read_message_id")?)))
        .collect()
}

/// Moves the viewer's mark up to `message_id` (never back); true when it moved.
pub async fn mark(
    tx: &mut WriteTx,
    user_id: i64,
    thread_id: i64,
    message_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO staff_reads (user_id, thread_id, last_read_message_id, read_at) \
         VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, thread_id) DO UPDATE SET \
           last_read_message_id = excluded.last_read_message_id, read_at = excluded.read_at \
         WHERE staff_reads.last_read_message_id < excluded.last_read_message_id",
    )
    .bind(user_id)
    .bind(thread_id)
    .bind(message_id)
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Takes the viewer's mark back below `message_id`, so the thread reads as unread again.
pub async fn unmark(
    tx: &mut WriteTx,
    user_id: i64,
    thread_id: i64,
    message_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE staff_reads SET last_read_message_id = $3 - 1 \
         WHERE user_id = $1 AND thread_id = $2 AND last_read_message_id >= $3",
    )
    .bind(user_id)
    .bind(thread_id)
    .bind(message_id)
    .execute(tx.conn())
    .await?;
    Ok(())
}
