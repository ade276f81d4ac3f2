//! All SQL lives under this module. One pool type for SQLite and PostgreSQL.
pub mod account_tokens;
pub mod attachments;
pub mod bulk;
pub mod events;
pub mod guest_tokens;
pub mod inbound;
pub mod mail_queue;
pub mod member_threads;
pub mod messages;
pub mod outbox;
pub mod packed;
pub mod participants;
pub mod presence;
pub mod rate_limits;
pub mod saved_replies;
pub mod search_index;
pub mod sessions;
pub mod settings;
pub mod setup;
pub mod staff_inbox;
pub mod staff_reads;
pub mod submissions;
pub mod threads;
pub mod undo;
pub mod users;

mod fault;
mod open;
mod write;

pub use fault::{fault, DbError, DbFault};
pub use open::redact;
pub use write::WriteTx;

use std::sync::Arc;

use sqlx::any::AnyRow;
use sqlx::AnyPool;

/// Which engine a pool talks to; dialect-specific SQL branches on it inside db functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database handle. Reads go through `reader()`; every write goes through a
/// `WriteTx` from `write()` or `write_single()`, which on SQLite hold this process's write
/// turn, so no caller can forget it: the functions of this module that write take a
/// `WriteTx`, never a pool.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// Where it was opened, for the change feed's own connection (`events`).
    url: Arc<str>,
    /// The change feed of this process, started by its first subscriber.
    feed: Arc<events::Feed>,
    /// SQLite takes one writer at a time. Writers of this process wait for their turn here,
    /// in order, instead of in SQLite's busy handler, which sleeps and retries (up to 100 ms
    /// at a time) and lets late arrivals overtake. Other processes still meet the busy
    /// timeout. Unused on PostgreSQL.
    turn: Arc<tokio::sync::Mutex<()>>,
    /// Counts of the inbox's views, each with the newest change it was read at
    /// (`service::staff_inbox`): kept with the handle, so they never outlive its database.
    view_counts: Arc<ViewCounts>,
}

/// A view's key → (the newest change when counted, the count).
pub type ViewCounts = std::sync::Mutex<std::collections::HashMap<String, (i64, i64)>>;

impl Db {
    /// The pool, for reads. The functions of this module that write take a `WriteTx`.
    pub fn reader(&self) -> &AnyPool {
        &self.pool
    }

    /// Which database handle this is: the same for every clone of it, different for every
    /// `connect` (what is read once per change and shared is kept per handle).
    pub fn instance(&self) -> usize {
        Arc::as_ptr(&self.feed) as usize
    }

    /// The inbox's view counts of this handle (see `ViewCounts`).
    pub fn view_counts(&self) -> &ViewCounts {
        &self.view_counts
    }

    /// The engine this handle talks to.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes every connection (at shutdown).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Answers whether the database responds.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// Ids written into a statement as an `IN (…)` list: integers only, so nothing is quoted.
pub fn id_list(ids: &[i64]) -> String {
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    list.join(",")
}

/// Reads a 0/1 column as a flag (portable across both engines).
pub fn flag(row: &AnyRow, column: &str) -> Result<bool, sqlx::Error> {
    use sqlx::Row;
    Ok(row.try_get::<i64, _>(column)? != 0)
}

/// Tables whose rows end at their `expires_at`: sessions and emailed links.
pub const EXPIRING: &[&str] = &["sessions", "account_tokens", "guest_tokens", "submissions"];

/// Removes the rows of `table` (one of `EXPIRING`) that expired by `now`; returns how many.
pub async fn purge_expired(
    tx: &mut WriteTx,
    table: &'static str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    debug_assert!(EXPIRING.contains(&table));
    let sql = format!("DELETE FROM {table} WHERE expires_at <= $1");
    let done = sqlx::query(&sql).bind(now).execute(tx.conn()).await?;
    Ok(done.rows_affected())
}

/// Current time as Unix milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
