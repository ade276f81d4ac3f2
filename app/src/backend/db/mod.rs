//! All SQL lives under this module. One pool type for SQLite and PostgreSQL.
pub mod account_tokens;
pub mod attachments;
pub mod bulk;
pub mod guest_tokens;
pub mod mail_queue;
pub mod member_threads;
pub mod messages;
pub mod outbox;
pub mod packed;
pub mod participants;
pub mod rate_limits;
pub mod search_index;
pub mod sessions;
pub mod settings;
pub mod staff_inbox;
pub mod submissions;
pub mod threads;
pub mod users;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Executor, Transaction};

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
    /// SQLite takes one writer at a time. Writers of this process wait for their turn here,
    /// in order, instead of in SQLite's busy handler, which sleeps and retries (up to 100 ms
    /// at a time) and lets late arrivals overtake. Other processes still meet the busy
    /// timeout. Unused on PostgreSQL.
    turn: Arc<tokio::sync::Mutex<()>>,
}

/// A write: a transaction (`Db::write`) or one connection for single statements
/// (`Db::write_single`). On SQLite it holds this process's write turn until it ends. It
/// knows its engine, for the few statements that differ.
pub struct WriteTx {
    conn: Held,
    backend: Backend,
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
    began: std::time::Instant,
}

enum Held {
    Transaction(Transaction<'static, Any>),
    Single(PoolConnection<Any>),
}

impl WriteTx {
    /// Commits the transaction (and gives the turn to the next writer). A single write has
    /// nothing to commit: each statement was its own.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        let began = self.began;
        let done = match self.conn {
            Held::Transaction(tx) => tx.commit().await,
            Held::Single(_) => Ok(()),
        };
        tracing::trace!(
            held_us = began.elapsed().as_micros() as u64,
            "write transaction"
        );
        done
    }

    /// The engine this write runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection, for a statement.
    pub(crate) fn conn(&mut self) -> &mut AnyConnection {
        self
    }
}

impl std::ops::Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &Self::Target {
        match &self.conn {
            Held::Transaction(tx) => tx,
            Held::Single(conn) => conn,
        }
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        match &mut self.conn {
            Held::Transaction(tx) => tx,
            Held::Single(conn) => conn,
        }
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
     PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;";

const POSTGRES_SETTINGS: &str = "SET lock_timeout = '10s'; SET statement_timeout = '30s';";

impl Db {
    /// Opens a pool for `url`, creating the SQLite file and its folder when needed.
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = backend_of(url)?;
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(url)?,
            Backend::Postgres => url.to_string(),
        };
        let options = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(15));
        // The pool tests a connection before lending it by default, which for SQLite is a
        // round trip to the connection's worker thread before every statement run on the
        // pool. An embedded connection cannot be lost, so SQLite skips the test; a
        // PostgreSQL connection can (a restarted server), and keeps it.
        let options = if backend == Backend::Sqlite {
            options.test_before_acquire(false).after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(SQLITE_PRAGMAS).await?;
                    Ok(())
                })
            })
        } else {
            // A request never waits longer for a lock than SQLite's busy timeout, nor runs a
            // statement longer than half a minute: it gets a 503 to try again instead.
            options.after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(POSTGRES_SETTINGS).await?;
                    Ok(())
                })
            })
        };
        let pool = options
            .connect(&url)
            .await
            .with_context(|| format!("cannot open the database ({})", redact(&url)))?;
        Ok(Db {
            pool,
            backend,
            turn: Arc::default(),
        })
    }

    /// Applies pending migrations on one dedicated connection.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let mut conn = self.pool.acquire().await?;
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => {
                // A migration may rewrite a big table: no request timeouts here.
                conn.execute("SET statement_timeout = 0; SET lock_timeout = 0;")
                    .await?;
                &POSTGRES_MIGRATIONS
            }
        };
        migrator
            .run(&mut *conn)
            .await
            .context("database migration failed")?;
        if self.backend == Backend::Postgres {
            conn.execute(POSTGRES_SETTINGS).await?;
        }
        Ok(())
    }

    /// Starts a write transaction (on SQLite: after this process's earlier writers, then
    /// `BEGIN IMMEDIATE`, so that writers queue and never deadlock).
    ///
    /// The transaction is begun in a task of its own. A request that ends while it waits
    /// (the client went away) must not cut the beginning short: sqlx's custom `BEGIN` has
    /// a second step after the database has answered, and a caller dropped between the two
    /// leaves the connection inside a transaction nobody ends, holding SQLite's write lock,
    /// so every later writer waits out the busy timeout and fails. Run to the end in its own
    /// task, an unwanted transaction is dropped whole, which rolls it back.
    pub async fn write(&self) -> Result<WriteTx, sqlx::Error> {
        let db = self.clone();
        tokio::spawn(async move { db.begin_write().await })
            .await
            .map_err(|e| sqlx::Error::Io(std::io::Error::other(e)))?
    }

    async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        let turn = self.turn().await;
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(self.held(Held::Transaction(tx), turn))
    }

    /// A write of single statements, each its own transaction: the write turn (on SQLite)
    /// and one connection, held until the `WriteTx` is dropped or committed.
    pub async fn write_single(&self) -> Result<WriteTx, sqlx::Error> {
        let turn = self.turn().await;
        let conn = self.pool.acquire().await?;
        Ok(self.held(Held::Single(conn), turn))
    }

    fn held(&self, conn: Held, turn: Option<tokio::sync::OwnedMutexGuard<()>>) -> WriteTx {
        WriteTx {
            conn,
            backend: self.backend,
            _turn: turn,
            began: std::time::Instant::now(),
        }
    }

    /// The pool, for reads. The functions of this module that write take a `WriteTx`.
    pub fn reader(&self) -> &AnyPool {
        &self.pool
    }

    /// The engine this handle talks to.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes every connection (at shutdown).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Runs `work` (which writes, with the `Db` it is given) on SQLite's writer thread and
    /// returns its output; on PostgreSQL, runs it here.
    ///
    /// A write transaction holds the write turn from its `BEGIN` to its `COMMIT`, and
    /// between its statements it waits for the task that runs it to be polled again. On the
    /// server's own threads that wait is behind every request being served (under load, as
    /// long as the statements themselves), and every other writer waits with it. The writer
    /// thread runs transactions and nothing else, so each goes on as soon as its statement
    /// is done. Like `write()`, the work is finished even if the caller goes away.
    pub async fn on_writer<T, F>(&self, work: impl FnOnce(Db) -> F) -> Result<T, sqlx::Error>
    where
        T: Send + 'static,
        F: std::future::Future<Output = T> + Send + 'static,
    {
        let work = work(self.clone());
        match self.backend {
            Backend::Sqlite => writer_thread()
                .spawn(work)
                .await
                .map_err(|e| sqlx::Error::Io(std::io::Error::other(e))),
            Backend::Postgres => Ok(work.await),
        }
    }

    /// This process's write turn on SQLite. None on PostgreSQL.
    async fn turn(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        match self.backend {
            Backend::Sqlite => Some(self.turn.clone().lock_owned().await),
            Backend::Postgres => None,
        }
    }

    /// Answers whether the database responds.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }
}

/// The writer thread of `Db::on_writer`: a single-threaded runtime of its own, started on
/// first use and kept for the life of the process.
fn writer_thread() -> &'static tokio::runtime::Handle {
    static WRITER: std::sync::OnceLock<tokio::runtime::Handle> = std::sync::OnceLock::new();
    WRITER.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("the writer thread's runtime starts");
        let handle = runtime.handle().clone();
        std::thread::Builder::new()
            .name("pigeon-writer".into())
            .spawn(move || runtime.block_on(std::future::pending::<()>()))
            .expect("the writer thread starts");
        handle
    })
}

/// The error of every database function.
pub use sqlx::Error as DbError;

/// What kind of failure a database error is, for the answer a request gets.
pub enum DbFault {
    /// Locked or timed out: try again later.
    Busy,
    /// Text the engine cannot store.
    BadText,
    /// Anything else: a bug.
    Other,
}

pub fn fault(err: &DbError) -> DbFault {
    match err {
        sqlx::Error::PoolTimedOut => DbFault::Busy,
        sqlx::Error::Database(db) => {
            let code = db.code();
            match code.as_deref() {
                // SQLite: SQLITE_BUSY (5) and SQLITE_LOCKED (6), with their extended codes.
                Some(c)
                    if c.parse::<i64>()
                        .is_ok_and(|n| n & 0xff == 5 || n & 0xff == 6) =>
                {
                    DbFault::Busy
                }
                // PostgreSQL: lock_not_available, query_canceled (statement timeout),
                // deadlock_detected, serialization_failure.
                Some("55P03" | "57014" | "40P01" | "40001") => DbFault::Busy,
                // PostgreSQL: character_not_in_repertoire, untranslatable_character.
                Some("22021" | "22P05") => DbFault::BadText,
                _ if db.message().contains("database is locked") => DbFault::Busy,
                _ => DbFault::Other,
            }
        }
        _ => DbFault::Other,
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

fn backend_of(url: &str) -> anyhow::Result<Backend> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        anyhow::bail!(
            "DATABASE_URL must start with sqlite:// or postgres:// (got {})",
            redact(url)
        )
    }
}

fn prepare_sqlite_url(url: &str) -> anyhow::Result<String> {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        anyhow::bail!("DATABASE_URL must name a SQLite file, e.g. sqlite://./data/pigeon.db");
    }
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create the folder {}", parent.display()))?;
        }
    }
    if rest.contains("mode=") {
        Ok(format!("sqlite://{rest}"))
    } else if rest.contains('?') {
        Ok(format!("sqlite://{rest}&mode=rwc"))
    } else {
        Ok(format!("sqlite://{rest}?mode=rwc"))
    }
}

/// Hides a password in a database URL before it is shown or logged.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_choose_the_engine() {
        assert_eq!(backend_of("sqlite://x.db").unwrap(), Backend::Sqlite);
        assert_eq!(backend_of("postgres://h/db").unwrap(), Backend::Postgres);
        assert!(backend_of("mysql://h/db").is_err());
    }

    #[test]
    fn both_engines_have_the_same_migration_versions() {
        let versions = |m: &sqlx::migrate::Migrator| -> Vec<i64> {
            m.iter().map(|migration| migration.version).collect()
        };
        assert_eq!(
            versions(&SQLITE_MIGRATIONS),
            versions(&POSTGRES_MIGRATIONS),
            "a migration added for one engine needs a twin (a no-op with a comment) for the other"
        );
    }

    #[test]
    fn passwords_in_database_urls_are_redacted() {
        let shown = redact("postgres://pigeon:hunter2@db/pigeon");
        assert!(!shown.contains("hunter2"));
        assert!(shown.contains("***"));
    }
}
