//! The staff's "awaiting a reply" set (SPEC §3): support threads that need a reply and are
//! unassigned or assigned to the viewer (admins: all of them). The badge's count and the
//! dashboard's list come from the same condition, so they always agree.
use sqlx::{Any, Executor};

use crate::backend::db::threads::{from_row, ThreadRow, THREAD_COLUMNS};

const AWAITING: &str = "t.kind = 'support' AND t.status = 'pending' AND t.deleted_at IS NULL \
     AND (t.assignee_id IS NULL OR t.assignee_id = $1 OR $2 = 1)";

/// The awaiting count of viewer `$1` (`$2` = 1 for admins), from the counts the triggers
/// keep: one row read per assignee.
const AWAITING_SUM: &str = "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM awaiting_counts \
     WHERE assignee_id = 0 OR assignee_id = $1 OR $2 = 1";

/// How many threads await a reply for a viewer (`all` for admins): unassigned ones and
/// their own.
pub async fn awaiting_count<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    viewer_id: i64,
    all: bool,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(AWAITING_SUM)
        .bind(viewer_id)
        .bind(all as i64)
        .fetch_one(ex)
        .await
}

/// The header's two figures in one statement: the user's unread threads and, for staff
/// (`awaiting` is `Some(all)`), the threads awaiting their reply.
pub async fn header_counts<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    user_id: i64,
    awaiting: Option<bool>,
) -> Result<(i64, Option<i64>), sqlx::Error> {
    let sql = format!(
        "SELECT CAST(COALESCE((SELECT n FROM unread_counts WHERE user_id = $1), 0) AS BIGINT), \
         CASE WHEN $3 = 1 THEN ({AWAITING_SUM}) END"
    );
    sqlx::query_as(&sql)
        .bind(user_id)
        .bind((awaiting == Some(true)) as i64)
        .bind(awaiting.is_some() as i64)
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
