//! Command-line interface: every setting is a flag with an environment variable.
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Pigeon: a self-hosted two-way messaging server.
#[derive(Debug, Parser)]
#[command(name = "pigeon", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub opts: GlobalOpts,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Infrastructure settings shared by every command.
#[derive(Debug, Args)]
pub struct GlobalOpts {
    /// Database URL: sqlite://<file> or postgres://user@host/db
    /// [default: sqlite://<data dir>/pigeon.db]
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Address to listen on.
    #[arg(
        long,
        env = "PIGEON_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub addr: SocketAddr,
    /// Public base URL for absolute links in emails [default: http://<addr>].
    #[arg(long, env = "PIGEON_BASE_URL", global = true)]
    pub base_url: Option<String>,
    /// Folder for the SQLite database, the generated secret and the local mail outbox.
    #[arg(long, env = "PIGEON_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,
    /// Signing key (at least 32 characters); generated into the data folder when unset.
    #[arg(long, env = "PIGEON_SECRET", global = true, hide_env_values = true)]
    pub secret: Option<String>,
    /// SMTP server for outgoing mail: smtp://host:port, smtp://user:pass@host:587?tls=required
    /// or smtps://…  [default: write each email as a file under <data dir>/outbox/]
    #[arg(long, env = "PIGEON_SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// Folder of email template overrides (files named like the built-in ones, see
    /// `pigeon templates export`)  [default: the built-in templates]
    #[arg(long, env = "PIGEON_TEMPLATES_DIR", global = true)]
    pub templates_dir: Option<std::path::PathBuf>,
    /// Proxies (addresses or CIDR ranges, comma-separated) whose X-Forwarded-For header
    /// names the client  [default: none; the socket address is the client]
    #[arg(long, env = "PIGEON_TRUSTED_PROXIES", global = true)]
    pub trusted_proxies: Option<String>,
    /// Where attachment files are kept: s3://bucket/folder (credentials, region and endpoint
    /// from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL) or
    /// file:///folder  [default: <data dir>/attachments]
    #[arg(long, env = "PIGEON_STORAGE_URL", global = true)]
    pub storage_url: Option<String>,
    /// Domain of the reply addresses in notification emails (reply+…@<domain>); its mail
    /// must reach Pigeon's SMTP receiver (MX record or forwarding)  [default: the public
    /// URL's host when the receiver runs; otherwise emails say replies are not read]
    #[arg(long, env = "PIGEON_REPLY_DOMAIN", global = true)]
    pub reply_domain: Option<String>,
    /// Mail to this address (not a reply) starts a support conversation, like the contact form.
    #[arg(long, env = "PIGEON_SUPPORT_ADDRESS", global = true)]
    pub support_address: Option<String>,
    /// Address of the built-in SMTP receiver for incoming mail (inside `serve` when set;
    /// `pigeon inbound` runs it alone)  [default: none in `serve`, 127.0.0.1:2725 for `inbound`]
    #[arg(long, env = "PIGEON_INBOUND_ADDR", global = true)]
    pub inbound_addr: Option<SocketAddr>,
    /// A mailbox to read incoming mail from: imaps://user:password@host[:port]/INBOX
    /// [?processed=FOLDER] (processed messages are moved there; default Pigeon-Processed)
    #[arg(long, env = "PIGEON_IMAP_URL", global = true, hide_env_values = true)]
    pub imap_url: Option<String>,
    /// Largest incoming message, in MB.
    #[arg(
        long,
        env = "PIGEON_INBOUND_MAX_MB",
        default_value_t = 30,
        global = true
    )]
    pub inbound_max_mb: usize,
    /// Folder holding the built browser files (pkg/pigeon.<hash>.js, .wasm, .css; hash.txt names them).
    #[arg(
        long,
        env = "PIGEON_SITE_ROOT",
        default_value = "./site",
        global = true
    )]
    pub site_root: PathBuf,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Work the mail queue only (no HTTP), e.g. on another machine.
    Worker {
        /// Send what is due, print the rate, and exit.
        #[arg(long)]
        until_empty: bool,
    },
    /// Take mail in only (no HTTP): the SMTP receiver and the processing of what arrives.
    Inbound,
    /// Inspect or retry the mail queue.
    #[command(subcommand)]
    Queue(QueueCommand),
    /// Email templates.
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// Read or change site settings (also editable by admins in the browser).
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Fill the database with generated members and conversations (for measuring).
    Seed {
        /// Number of threads.
        #[arg(long, default_value_t = 100_000)]
        threads: usize,
        /// Number of members.
        #[arg(long, default_value_t = 1_000)]
        members: usize,
        /// Average messages per thread.
        #[arg(long, default_value_t = 10)]
        messages_per_thread: usize,
        /// Also queue this many notification emails (for measuring the mail queue).
        #[arg(long, default_value_t = 0)]
        queued_emails: usize,
    },
}

/// `pigeon templates …`
#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Write the built-in templates into a folder to edit them there; files already in the
    /// folder are kept. Point PIGEON_TEMPLATES_DIR at the folder.
    Export {
        /// Folder to write into.
        dir: PathBuf,
    },
}

/// `pigeon settings …`
#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Print every setting with its current value.
    List,
    /// Change one setting (checked like the settings page does).
    Set {
        /// Setting name, e.g. support_recipients.
        key: String,
        /// New value.
        value: String,
    },
}

/// `pigeon queue …`
#[derive(Debug, Subcommand)]
pub enum QueueCommand {
    /// Count pending, failed and sent emails.
    Status,
    /// Put a failed email (by id) or every failed email (--failed) back in the queue.
    Retry {
        /// Outbox row id.
        id: Option<i64>,
        /// Retry every failed email.
        #[arg(long, conflicts_with = "id")]
        failed: bool,
    },
}

/// `pigeon user …`
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a verified account; prints its id alone on the last line.
    Create {
        /// Email address (unique, case-insensitive).
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// Make the user an administrator (every permission).
        #[arg(long)]
        admin: bool,
        /// Grant a staff permission: access, manage_threads, assign_threads, manage_settings.
        #[arg(long = "permission", value_name = "PERMISSION")]
        permissions: Vec<String>,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Replace a user's admin flag and permissions.
    SetPermissions {
        /// User id or email address.
        user: String,
        /// Make the user an administrator.
        #[arg(long)]
        admin: bool,
        /// Staff permission to hold (repeat); none makes the user a plain member.
        #[arg(long = "permission", value_name = "PERMISSION")]
        permissions: Vec<String>,
    },
    /// Disable an account and end its sessions.
    Disable {
        /// User id or email address.
        user: String,
    },
    /// Enable a disabled account again.
    Enable {
        /// User id or email address.
        user: String,
    },
}
