//! The `pigeon` binary: server, migrations and account administration.
mod cli;
mod config;
mod seed;
mod serve;
mod user_cmd;

use clap::Parser;
use cli::{Cli, Command, QueueCommand, SettingsCommand, TemplatesCommand};
use tracing_subscriber::EnvFilter;

/// jemalloc instead of the C library's allocator: rows are built on SQLite's worker threads
/// and freed on the request's thread, and glibc serialises those frees on its arena locks.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Err(err) = run(Cli::parse()).await {
        eprintln!("pigeon: {err:#}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = config::build(&cli.opts)?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve::run(config).await,
        Command::Migrate => {
            serve::open_database(&config).await?;
            eprintln!("migrations applied");
            Ok(())
        }
        Command::Worker { until_empty } => serve::run_worker(config, until_empty).await,
        Command::Inbound => serve::run_inbound(config).await,
        Command::Queue(cmd) => {
            let db = serve::open_database(&config).await?;
            queue_command(&db, cmd).await
        }
        Command::Seed {
            threads,
            members,
            messages_per_thread,
            queued_emails,
        } => {
            let db = serve::open_database(&config).await?;
            let size = seed::SeedSize {
                threads,
                members,
                messages_per_thread,
            };
            seed::run(&db, size).await?;
            if queued_emails > 0 {
                let n = seed::queue_emails(&db, queued_emails).await?;
                eprintln!("queued {n} notification emails");
            }
            Ok(())
        }
        Command::Templates(TemplatesCommand::Export { dir }) => {
            let written = app::backend::mail::templates::export(&dir)?;
            for name in &written {
                println!("{}", dir.join(name).display());
            }
            eprintln!(
                "{} template(s) written; set PIGEON_TEMPLATES_DIR={} to use them",
                written.len(),
                dir.display()
            );
            Ok(())
        }
        Command::Settings(cmd) => {
            let db = serve::open_database(&config).await?;
            settings_command(&db, cmd).await
        }
        Command::User(cmd) => {
            let db = serve::open_database(&config).await?;
            user_cmd::run(&db, cmd).await
        }
    }
}

async fn queue_command(db: &app::backend::db::Db, cmd: QueueCommand) -> anyhow::Result<()> {
    use app::backend::service::outbox;
    match cmd {
        QueueCommand::Status => {
            let (pending, failed, sent) = outbox::counts(db).await?;
            println!("pending {pending}\nfailed {failed}\nsent {sent}");
        }
        QueueCommand::Retry { id, failed } => {
            if id.is_none() && !failed {
                anyhow::bail!("name an outbox id, or use --failed to retry every failed email");
            }
            let n = outbox::retry(db, id).await?;
            println!("{n} email(s) queued again");
        }
    }
    Ok(())
}

async fn settings_command(db: &app::backend::db::Db, cmd: SettingsCommand) -> anyhow::Result<()> {
    use app::backend::settings;
    match cmd {
        SettingsCommand::List => {
            for (key, value) in settings::load(db).await?.entries() {
                println!("{key} = {value}");
            }
        }
        SettingsCommand::Set { key, value } => {
            settings::set(db, &key, &value).await?;
            println!("{key} saved");
        }
    }
    Ok(())
}
