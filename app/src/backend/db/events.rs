//! The change feed: the rows the triggers of migration 0019 write for every change, read in
//! order by one task per process and handed to whoever listens in this process (the live
//! pages). PostgreSQL wakes the task with NOTIFY at each commit, whichever instance wrote;
//! SQLite wakes it from this process's commits, and the task also looks every quarter of a
//! second (another process may write, a notification may be lost).
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use sqlx::Row;
use tokio::sync::{broadcast, Notify};

use super::{Backend, Db, WriteTx};
use cursor::Cursor;

mod cursor;

/// What kind of change a row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// A visible message.
    Message,
    /// An internal note or a system event: staff only.
    Staff,
    /// The thread's status, assignee or place in the Trash; or it was deleted.
    Thread,
    /// Participants and their read marks.
    People,
    /// Staff arriving at, leaving or writing in a conversation: staff only.
    Presence,
    /// Who may hear what changed (a session ended, an account's rights, a guest link):
    /// listeners are checked again; nothing is sent.
    Access,
}

impl ChangeKind {
    /// Whether only staff may hear of it (notes, system events, presence).
    pub fn staff_only(self) -> bool {
        matches!(
            self,
            ChangeKind::Staff | ChangeKind::Presence | ChangeKind::Access
        )
    }

    fn parse(stored: &str) -> Option<ChangeKind> {
        Some(match stored {
            "message" => ChangeKind::Message,
            "staff" => ChangeKind::Staff,
            "thread" => ChangeKind::Thread,
            "people" => ChangeKind::People,
            "presence" => ChangeKind::Presence,
            "access" => ChangeKind::Access,
            _ => return None,
        })
    }

    /// Its name, as pages receive it.
    pub fn name(self) -> &'static str {
        match self {
            ChangeKind::Message => "message",
            ChangeKind::Staff => "staff",
            ChangeKind::Thread => "thread",
            ChangeKind::People => "people",
            ChangeKind::Presence => "presence",
            ChangeKind::Access => "access",
        }
    }
}

/// One change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub id: i64,
    pub thread_id: i64,
    pub kind: ChangeKind,
}

/// Changes are kept this long, for pages that reconnect.
pub const KEPT_MS: i64 = 3600 * 1000;
/// How often presence that was not renewed is removed.
const PRESENCE_SWEEP: Duration = Duration::from_secs(2);
/// Rows read at a time.
const BATCH: i64 = 500;

/// The feed of one process: listeners, and the wake-up its commits give.
#[derive(Debug, Default)]
pub struct Feed {
    sender: OnceLock<broadcast::Sender<Change>>,
    wake: Notify,
}

impl Feed {
    /// Tells the feed's task that something was committed here.
    pub(super) fn committed(&self) {
        if self.sender.get().is_some() {
            self.wake.notify_one();
        }
    }
}

impl Db {
    /// Listens to every change from now on; the feed's task starts with the first listener,
    /// from the newest change when it is asked (so a change committed after this returns is
    /// heard). A listener that falls far behind is told it lagged (and should reload).
    pub async fn changes(&self) -> broadcast::Receiver<Change> {
        let mut started = false;
        let sender = self.feed.sender.get_or_init(|| {
            started = true;
            broadcast::channel(1024).0
        });
        let receiver = sender.subscribe();
        if started {
            let from = latest_id(self).await.unwrap_or(0);
            tokio::spawn(run(self.clone(), sender.clone(), from));
        }
        receiver
    }
}

/// The newest change's id (0 when there is none).
pub async fn latest_id(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM events")
        .fetch_one(db.reader())
        .await
}

/// The oldest change still kept (0 when there is none).
pub async fn oldest_id(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT CAST(COALESCE(MIN(id), 0) AS BIGINT) FROM events")
        .fetch_one(db.reader())
        .await
}

/// Up to `limit` changes after `after`, in order.
pub async fn after(db: &Db, after: i64, limit: i64) -> Result<Vec<Change>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT id, thread_id, kind FROM events WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(db.reader())
            .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let kind: String = row.try_get("kind")?;
        if let Some(kind) = ChangeKind::parse(&kind) {
            out.push(Change {
                id: row.try_get("id")?,
                thread_id: row.try_get("thread_id")?,
                kind,
            });
        }
    }
    Ok(out)
}

/// Removes changes older than `KEPT_MS`, but never the newest (a page reconnecting from
/// before the oldest one kept is then told to reload); returns how many.
pub async fn purge(tx: &mut WriteTx, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM events WHERE created_at < $1 AND id < (SELECT MAX(id) FROM events)",
    )
    .bind(now - KEPT_MS)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected())
}

/// The feed's task: waits for a change, reads the new rows, hands them on; for the life of
/// the process.
async fn run(db: Db, sender: broadcast::Sender<Change>, from: i64) {
    let mut cursor = Cursor::new(from);
    let mut listener = Wake::new(&db).await;
    let mut swept = Instant::now();
    loop {
        listener.wait(&db).await;
        // Presence that was not renewed goes, which is a change its viewers hear of.
        if swept.elapsed() >= PRESENCE_SWEEP {
            swept = Instant::now();
            if let Ok(mut w) = db.write_single().await {
                let _ = super::presence::sweep(&mut w, super::now_ms()).await;
                w.commit().await.ok();
            }
        }
        match after(&db, cursor.low, BATCH).await {
            Ok(rows) => {
                for change in cursor.take(rows, Instant::now()) {
                    let _ = sender.send(change);
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "reading the change feed failed");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// What wakes the feed's task.
enum Wake {
    Postgres(Option<sqlx::postgres::PgListener>),
    Sqlite,
}

const CHANNEL: &str = "pigeon_events";

impl Wake {
    async fn new(db: &Db) -> Wake {
        match db.backend {
            Backend::Sqlite => Wake::Sqlite,
            Backend::Postgres => Wake::Postgres(listen(db).await),
        }
    }

    async fn wait(&mut self, db: &Db) {
        match self {
            Wake::Sqlite => {
                let _ =
                    tokio::time::timeout(Duration::from_millis(250), db.feed.wake.notified()).await;
            }
            Wake::Postgres(Some(listener)) => {
                let heard = tokio::time::timeout(Duration::from_secs(1), listener.recv()).await;
                if let Ok(Err(e)) = heard {
                    tracing::warn!(error = %e, "the change feed lost its notifications");
                    *self = Wake::Postgres(None);
                }
            }
            Wake::Postgres(None) => {
                tokio::time::sleep(Duration::from_secs(1)).await;
                *self = Wake::Postgres(listen(db).await);
            }
        }
    }
}

async fn listen(db: &Db) -> Option<sqlx::postgres::PgListener> {
    let mut listener = match sqlx::postgres::PgListener::connect(&db.url).await {
        Ok(l) => l,
        Err(e) => {
            tracing::warn!(error = %e, "the change feed cannot listen; it looks every second");
            return None;
        }
    };
    listener.listen(CHANNEL).await.ok()?;
    Some(listener)
}
