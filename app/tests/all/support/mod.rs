//! Test support: a fresh database per test on SQLite and on PostgreSQL, and an HTTP
//! client that drives the real router.

pub mod http_client;
pub mod mail;

use std::future::Future;
use std::sync::Arc;

use app::backend::config::Config;
use app::backend::db::{Backend, Db};
use app::backend::service::accounts::{self, StaffAccount};
use app::backend::state::AppState;
use app::model::viewer::Permissions;
use sqlx::{Connection, Executor};

/// A database made for one test, removed by `finish`.
pub struct TestDb {
    pub db: Db,
    url: String,
    pg_name: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

fn postgres_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

impl TestDb {
    /// Creates and migrates an empty database on `backend`.
    pub async fn fresh(backend: Backend) -> TestDb {
        sqlx::any::install_default_drivers();
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}/pigeon.db", dir.path().display());
                let db = Db::connect(&url).await.expect("open SQLite");
                db.migrate().await.expect("migrate SQLite");
                TestDb {
                    db,
                    url,
                    pg_name: None,
                    _dir: Some(dir),
                }
            }
            Backend::Postgres => {
                let admin = postgres_admin_url();
                let name = format!("pigeon_test_{:016x}", rand_id());
                let mut conn = sqlx::AnyConnection::connect(&admin)
                    .await
                    .unwrap_or_else(|e| {
                        panic!("PostgreSQL must answer at TEST_DATABASE_URL ({admin}): {e}")
                    });
                conn.execute(format!("CREATE DATABASE {name}").as_str())
                    .await
                    .expect("create test database");
                let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
                let db = Db::connect(&url).await.expect("open PostgreSQL");
                db.migrate().await.expect("migrate PostgreSQL");
                TestDb {
                    db,
                    url,
                    pg_name: Some(name),
                    _dir: None,
                }
            }
        }
    }

    /// Closes the pool and drops a PostgreSQL test database.
    pub async fn finish(self) {
        self.db.close().await;
        if let Some(name) = self.pg_name {
            if let Ok(mut conn) = sqlx::AnyConnection::connect(&postgres_admin_url()).await {
                let _ = conn
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await;
            }
        }
    }
}

fn rand_id() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
    );
    h.finish()
}

/// Runs a test body on the one multi-threaded runtime all tests of a binary share, as
/// `pigeon serve` runs everything on one runtime.
pub fn run<F: Future<Output = ()>>(test: F) {
    static RUNTIME: std::sync::LazyLock<tokio::runtime::Runtime> = std::sync::LazyLock::new(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("test runtime")
    });
    RUNTIME.block_on(test)
}

/// Runs `test` once on a fresh SQLite database and once on a fresh PostgreSQL database.
pub async fn each_backend<F, Fut>(test: F)
where
    F: Fn(TestDbRef) -> Fut,
    Fut: Future<Output = ()>,
{
    for backend in [Backend::Sqlite, Backend::Postgres] {
        eprintln!("-- on {backend:?}");
        let t = TestDb::fresh(backend).await;
        let handle = TestDbRef {
            db: t.db.clone(),
            url: t.url.clone(),
        };
        test(handle).await;
        t.finish().await;
    }
}

/// What a test body gets: the pool and the URL of its database.
#[derive(Clone)]
pub struct TestDbRef {
    pub db: Db,
    pub url: String,
}

impl TestDbRef {
    /// A second, independent pool on the same database.
    pub async fn second_pool(&self) -> Db {
        Db::connect(&self.url).await.expect("second pool")
    }
}

/// A file store in a new folder of its own.
pub fn temp_store() -> app::backend::attachments::store::Store {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "pigeon-files-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    app::backend::attachments::store::Store::local(&dir).expect("file store")
}

/// The id of the thread with this subject.
pub async fn thread_of_subject(db: &Db, subject: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM threads WHERE subject = $1")
        .bind(subject)
        .fetch_one(db.reader())
        .await
        .unwrap()
}

/// Staff who manage and assign threads (not settings).
pub const MANAGER: Permissions = Permissions {
    access: true,
    manage_threads: true,
    assign_threads: true,
    manage_settings: false,
};

/// A user posting from the staff inbox.
pub fn staff(v: &app::model::viewer::Viewer) -> app::backend::service::messages::Author<'_> {
    app::backend::service::messages::Author::User {
        id: v.id,
        name: &v.name,
        as_staff: true,
    }
}

/// The reply domain of the test site's emails.
pub const REPLY_DOMAIN: &str = "reply.pigeon.test";
/// Mail to this address starts a support conversation on the test site.
pub const SUPPORT_ADDRESS: &str = "help@pigeon.test";

/// Application state over a test database, as `pigeon serve` builds it.
pub fn app_state(db: Db) -> AppState {
    let config = Config {
        database_url: String::new(),
        addr: "127.0.0.1:3000".parse().unwrap(),
        base_url: url::Url::parse("http://pigeon.test").unwrap(),
        data_dir: std::env::temp_dir(),
        secret: b"test-secret-test-secret-test-secret!".to_vec(),
        site_root: std::env::temp_dir(),
        smtp_url: None,
        templates_dir: None,
        trusted_proxies: Vec::new(),
        storage_url: None,
        inbound: app::backend::config::InboundConfig {
            reply_domain: Some(REPLY_DOMAIN.into()),
            support_address: Some(SUPPORT_ADDRESS.into()),
            ..Default::default()
        },
    };
    let leptos = leptos::config::LeptosOptions::builder()
        .output_name("pigeon")
        .site_root("site")
        .site_pkg_dir("pkg")
        .build();
    AppState {
        db,
        config: Arc::new(config),
        files: temp_store(),
        leptos,
    }
}

/// Creates a verified account; returns its id.
pub async fn make_user(
    db: &Db,
    email: &str,
    name: &str,
    password: &str,
    perms: Permissions,
    admin: bool,
) -> i64 {
    accounts::create_user(
        db,
        &StaffAccount {
            email: email.into(),
            name: name.into(),
            password: password.into(),
            is_admin: admin,
            permissions: perms,
        },
    )
    .await
    .expect("create user")
}

/// The page-facing view of a user, by id.
pub async fn viewer(db: &Db, id: i64) -> app::model::viewer::Viewer {
    app::backend::db::users::find_by_id(db.reader(), id)
        .await
        .expect("read user")
        .expect("user exists")
        .to_viewer()
}

/// A staff member (password `staff-password`) holding `perms`, as a viewer.
pub async fn make_staff(
    db: &Db,
    email: &str,
    name: &str,
    perms: Permissions,
) -> app::model::viewer::Viewer {
    let id = make_user(db, email, name, "staff-password", perms, false).await;
    viewer(db, id).await
}

/// The admin Ada (`ada@example.com`, password `admin-password`); returns her id.
pub async fn make_admin(db: &Db) -> i64 {
    make_user(
        db,
        "ada@example.com",
        "Ada",
        "admin-password",
        Permissions::default(),
        true,
    )
    .await
}

/// A member without staff permissions.
pub async fn make_member(db: &Db, email: &str, name: &str) -> i64 {
    make_user(
        db,
        email,
        name,
        "member-password",
        Permissions::default(),
        false,
    )
    .await
}
