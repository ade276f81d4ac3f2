//! Opening the database: the pool for a `DATABASE_URL`, each connection's settings, and
//! the migrations of each engine.
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use sqlx::any::AnyPoolOptions;
use sqlx::Executor;

use super::{Backend, Db};

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
            view_counts: Default::default(),
            pool,
            backend,
            url: Arc::from(url.as_str()),
            feed: Arc::default(),
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
