//! The staff's "awaiting a reply" set (SPEC §3): support threads that need a reply and are
//! unassigned or assigned to the viewer (admins: all of them). The badge's count and the
//! dashboard's list come from the same condition, so they always agree.
use sqlx::{Any, Executor};

use super::threads::{from_row, ThreadRow, THREAD_COLUMNS};

const AWAITING: &str = "t.kind = 'support' AND t.status = 'pending' AND t.deleted_at IS NULL \
     AND (t.assignee_id IS NULL OR t.assignee_id = $1 OR $2 = 1)";

/// How many threads await a reply for a viewer (`all` for admins).
pub async fn awaiting_count<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    viewer_id: i64,
    all: bool,
) -> Result<i64, sqlx::Error> {
    let sql = format!("SELECT COUNT(*) FROM threads t WHERE {AWAITING}");
    sqlx::query_scalar(&sql)
        .bind(viewer_id)
        .bind(all as i64)
        .fetch_one(ex)
        .await
}

/// The most recently active threads of that same set.
pub async fn awaiting_recent<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    viewer_id: i64,
    all: bool,
    limit: i64,
) -> Result<Vec<ThreadRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {THREAD_COLUMNS} FROM threads t WHERE {AWAITING} \
         ORDER BY t.last_message_at DESC, t.id DESC LIMIT $3"
    );
    let rows = sqlx::query(&sql)
        .bind(viewer_id)
        .bind(all as i64)
        .bind(limit)
        .fetch_all(ex)
        .await?;
    rows.iter().map(from_row).collect()
}
