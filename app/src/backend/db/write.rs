//! Writes: every one goes through a `WriteTx`, which on SQLite holds this process's write
//! turn, and a whole unit of work can run on SQLite's writer thread (`Db::on_writer`).
use sqlx::pool::PoolConnection;
use sqlx::AnyConnection;
use sqlx::{Any, Transaction};

use super::{Backend, Db};

/// A write: a transaction (`Db::write`) or one connection for single statements
/// (`Db::write_single`). On SQLite it holds this process's write turn until it ends. It
/// knows its engine, for the few statements that differ.
pub struct WriteTx {
    conn: Held,
    backend: Backend,
    /// Told of the commit, so that live pages hear of it at once.
    feed: std::sync::Arc<super::events::Feed>,
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
        self.feed.committed();
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

impl Db {
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
            feed: self.feed.clone(),
            _turn: turn,
            began: std::time::Instant::now(),
        }
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
