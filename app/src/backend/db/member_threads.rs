//! The threads a user takes part in, with their read state: the member list, unread counts.
use sqlx::{Any, Executor, Row};

use super::threads::{
    from_packed, from_row, PackedThread, ThreadRow, PACKED_THREAD, THREAD_COLUMNS,
};
use super::{Backend, Db};
use crate::model::thread::ThreadKind;

/// Where a page of the member list starts: after (last_message_at, id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// The last thread's last message id: ids follow time, so it orders the list as the
    /// time of the last message does, with no ties.
    pub last_message_id: i64,
}

/// One page of a user's threads, newest activity first, with each thread's unread flag.
/// On SQLite the rows come packed (see `packed`).
pub async fn list(
    db: &Db,
    user_id: i64,
    kind: Option<ThreadKind>,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<(ThreadRow, bool)>, sqlx::Error> {
    let after = after.map_or(i64::MAX, |c| c.last_message_id);
    let kind_filter = if kind.is_some() {
        " AND t.kind = $4"
    } else {
        ""
    };
    // Walks the member's participant rows in the order of `participants_by_activity`.
    let sql = format!(
        "SELECT {THREAD_COLUMNS}, \
           CASE WHEN t.last_message_id > p.last_read_message_id THEN 1 ELSE 0 END AS unread \
         FROM participants p JOIN threads t ON t.id = p.thread_id \
         WHERE p.user_id = $1 AND p.left_at IS NULL AND p.thread_deleted = 0 \
           AND t.deleted_at IS NULL AND p.thread_last_message_id < $2{kind_filter} \
         ORDER BY p.thread_last_message_id DESC LIMIT $3"
    );
    if db.backend == Backend::Sqlite {
        // The participant's copy of the last message id equals the thread's.
        let columns = format!("{PACKED_THREAD}, unread");
        let packed = super::packed::statement(&columns, &sql, "last_message_id DESC");
        let rows: Vec<(PackedThread, i64)> =
            super::packed::fetch(bind_list(&packed, user_id, after, limit, kind), &db.pool).await?;
        return rows
            .into_iter()
            .map(|(t, unread)| Ok((from_packed(t)?, unread != 0)))
            .collect();
    }
    let rows = bind_list(&sql, user_id, after, limit, kind)
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| Ok((from_row(r)?, r.try_get::<i64, _>("unread")? != 0)))
        .collect()
}

fn bind_list(
    sql: &str,
    user_id: i64,
    after: i64,
    limit: i64,
    kind: Option<ThreadKind>,
) -> sqlx::query::Query<'_, Any, sqlx::any::AnyArguments<'_>> {
    let query = sqlx::query(sql).bind(user_id).bind(after).bind(limit);
    match kind {
        Some(k) => query.bind(k.as_str()),
        None => query,
    }
}

/// How many of a user's threads have a visible message they have not read.
pub async fn unread_count<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    user_id: i64,
) -> Result<i64, sqlx::Error> {
    // Kept by triggers as read marks, messages, leaving and the Trash change.
    let n: Option<i64> = sqlx::query_scalar("SELECT n FROM unread_counts WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(ex)
        .await?;
    Ok(n.unwrap_or(0))
}

/// Whether one thread is unread for a user (false when they do not take part).
pub async fn is_unread<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    user_id: i64,
    thread_id: i64,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM participants p JOIN threads t ON t.id = p.thread_id \
         WHERE p.user_id = $1 AND p.thread_id = $2 AND p.left_at IS NULL \
           AND t.deleted_at IS NULL AND t.last_message_id > p.last_read_message_id",
    )
    .bind(user_id)
    .bind(thread_id)
    .fetch_one(ex)
    .await?;
    Ok(n > 0)
}
