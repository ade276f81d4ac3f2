//! `pigeon serve`: migrate, bind, serve until SIGINT/SIGTERM, then drain.
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use app::backend::attachments::store::Store;
use app::backend::config::Config;
use app::backend::db::{self, now_ms, Db};
use app::backend::inbound::Inbound;
use app::backend::state::AppState;
use app::backend::web::{listener, router::router};
use leptos::config::LeptosOptions;

/// Opens the database and applies migrations, with a clear error on failure.
pub async fn open_database(config: &Config) -> anyhow::Result<Db> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    Ok(db)
}

/// Runs the HTTP server.
pub async fn run(config: Config) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let db = open_database(&config).await?;
    if let Some(code) = app::backend::service::setup::prepare(&db).await? {
        let base = config.base_url.as_str().trim_end_matches('/');
        let link = format!("{base}{}?code={code}", app::routes::page::SETUP);
        tracing::info!("no administrator yet: the setup link is printed on standard output");
        println!("\nNo administrator yet. Open this link to create the first one (it works once):\n\n    {link}\n");
    }
    // A build that named its files after their content lists the names in `hash.txt`.
    let hash_file = std::path::absolute(config.site_root.join("hash.txt"))?;
    let leptos = LeptosOptions::builder()
        .output_name("pigeon")
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .hash_files(hash_file.exists())
        .hash_file(std::sync::Arc::from(hash_file.to_string_lossy().as_ref()))
        .build();
    let files = config.file_store()?;
    let state_files_label = files.label.clone();
    let state = AppState {
        db: db.clone(),
        config: Arc::new(config.clone()),
        files: files.clone(),
        leptos,
    };
    let worker = MailWorker::start(state.clone(), &config)?;
    let inbound = Inbound::start(state.clone(), config.inbound.smtp_addr).await?;
    if let Some(addr) = inbound.smtp_addr {
        tracing::info!(%addr, reply_domain = ?config.reply_domain(), "taking mail in by SMTP");
    }
    let app = router(state);
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.addr))?;
    tokio::spawn(housekeeping(db.clone(), files));
    tracing::info!(
        addr = %config.addr,
        base_url = %config.base_url,
        database = %db::redact(&config.database_url),
        files = %state_files_label,
        startup_ms = started.elapsed().as_millis() as u64,
        "Pigeon is listening"
    );
    let limits = listener::Limits::default();
    let proxies = config.trusted_proxies.clone();
    listener::serve(listener, app, limits, proxies, shutdown_signal()).await;
    worker.stop().await;
    inbound.stop().await;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// `pigeon worker`: works the mail queue until SIGINT/SIGTERM.
pub async fn run_worker(config: Config, until_empty: bool) -> anyhow::Result<()> {
    let db = open_database(&config).await?;
    let state = AppState {
        db: db.clone(),
        config: Arc::new(config.clone()),
        files: config.file_store()?,
        leptos: LeptosOptions::builder().output_name("pigeon").build(),
    };
    if until_empty {
        let mailer = config.mailer()?;
        let started = std::time::Instant::now();
        let mut handled = 0;
        loop {
            let n = app::backend::mail::worker::process_due(&state, &mailer, None).await?;
            if n == 0 {
                break;
            }
            handled += n;
        }
        let seconds = started.elapsed().as_secs_f64();
        let (pending, failed, sent) = app::backend::service::outbox::counts(&db).await?;
        println!(
            "handled {handled} emails in {seconds:.2} s ({:.0} emails/s); queue: pending {pending}, failed {failed}, sent {sent}",
            handled as f64 / seconds.max(1e-9)
        );
        db.close().await;
        return Ok(());
    }
    let worker = MailWorker::start(state, &config)?;
    tracing::info!("mail worker started");
    shutdown_signal().await;
    worker.stop().await;
    db.close().await;
    Ok(())
}

/// `pigeon inbound`: the SMTP receiver (PIGEON_INBOUND_ADDR, default 127.0.0.1:2725) and the
/// processing of incoming mail, until SIGINT/SIGTERM.
pub async fn run_inbound(config: Config) -> anyhow::Result<()> {
    let db = open_database(&config).await?;
    let addr = config
        .inbound
        .smtp_addr
        .unwrap_or_else(|| "127.0.0.1:2725".parse().expect("a valid address"));
    let mut config = config;
    config.inbound.smtp_addr = Some(addr);
    let state = AppState {
        db: db.clone(),
        config: Arc::new(config.clone()),
        files: config.file_store()?,
        leptos: LeptosOptions::builder().output_name("pigeon").build(),
    };
    let inbound = Inbound::start(state, Some(addr)).await?;
    tracing::info!(
        addr = ?inbound.smtp_addr,
        reply_domain = ?config.reply_domain(),
        support_address = ?config.inbound.support_address,
        "taking mail in by SMTP"
    );
    shutdown_signal().await;
    inbound.stop().await;
    db.close().await;
    Ok(())
}

/// The mail queue worker running beside the server (or alone).
struct MailWorker {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl MailWorker {
    fn start(state: AppState, config: &Config) -> anyhow::Result<MailWorker> {
        let mailer = config.mailer()?;
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(app::backend::mail::worker::run(state, mailer, stopped));
        Ok(MailWorker { stop, task })
    }

    /// Finishes the email being sent; the rest waits for the next start.
    async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Removes expired sessions, email links, old rate-limit windows and unused files, and
/// merges the search index when it has split into many pieces, at start-up and every ten
/// minutes.
async fn housekeeping(db: Db, files: Store) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        app::backend::service::housekeeping::tidy(&db, &files, now_ms()).await;
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
