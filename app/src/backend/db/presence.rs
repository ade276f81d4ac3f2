//! Staff presence on conversations (migration 0020): who has one open, and whether they are
//! writing. Rows expire unless renewed; renewing with nothing new writes nothing.
use sqlx::{Any, Executor, Row};

use super::WriteTx;

/// Someone present on a thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Present {
    pub thread_id: i64,
    pub user_id: i64,
    pub name: String,
    pub state: String,
}

/// Marks a user present on a thread in `state` until `until`. A renewal that changes
/// nothing but comes well before the expiry writes nothing.
pub async fn renew(
    tx: &mut WriteTx,
    thread_id: i64,
    user_id: i64,
    name: &str,
    state: &str,
    now: i64,
    until: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO presence (thread_id, user_id, user_name, state, expires_at) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (thread_id, user_id) DO UPDATE SET state = excluded.state, \
           user_name = excluded.user_name, expires_at = excluded.expires_at \
         WHERE presence.state <> excluded.state OR presence.expires_at < $6",
    )
    .bind(thread_id)
    .bind(user_id)
    .bind(name)
    .bind(state)
    .bind(until)
    .bind(now + (until - now) / 2)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// What a user's presence on a thread says now, if anything: (state, expires_at).
pub async fn find<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    thread_id: i64,
    user_id: i64,
) -> Result<Option<(String, i64)>, sqlx::Error> {
    let row =
        sqlx::query("SELECT state, expires_at FROM presence WHERE thread_id = $1 AND user_id = $2")
            .bind(thread_id)
            .bind(user_id)
            .fetch_optional(ex)
            .await?;
    row.map(|r| Ok((r.try_get("state")?, r.try_get("expires_at")?)))
        .transpose()
}

/// The user leaves the thread.
pub async fn leave(tx: &mut WriteTx, thread_id: i64, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM presence WHERE thread_id = $1 AND user_id = $2")
        .bind(thread_id)
        .bind(user_id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Removes the rows expired by `now`; returns how many.
pub async fn sweep(tx: &mut WriteTx, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM presence WHERE expires_at < $1")
        .bind(now)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected())
}

/// Who is present on the threads `ids` (a list of integers) at `now`.
pub async fn on_threads<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    ids: &[i64],
    now: i64,
) -> Result<Vec<Present>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT thread_id, user_id, user_name, state FROM presence \
         WHERE thread_id IN ({}) AND expires_at >= $1 ORDER BY user_name, user_id",
        super::id_list(ids)
    );
    let rows = sqlx::query(&sql).bind(now).fetch_all(ex).await?;
    rows.iter()
        .map(|r| {
            Ok(Present {
                thread_id: r.try_get("thread_id")?,
                user_id: r.try_get("user_id")?,
                name: r.try_get("user_name")?,
                state: r.try_get("state")?,
            })
        })
        .collect()
}
