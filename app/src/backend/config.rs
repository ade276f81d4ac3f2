//! Typed infrastructure configuration (flags and environment are parsed by the binary).
use std::net::SocketAddr;
use std::path::PathBuf;

/// What the server needs to know about where it runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Address the HTTP listener binds.
    pub addr: SocketAddr,
    /// Public base URL used for absolute links, without a trailing slash.
    pub base_url: url::Url,
    /// Directory for the SQLite file, the secret and the local mail outbox.
    pub data_dir: PathBuf,
    /// Key material for signing; never logged.
    pub secret: Vec<u8>,
    /// Where the compiled site (wasm, js, css) is served from.
    pub site_root: PathBuf,
    /// `smtp://…` or `smtps://…`; `None` writes emails to `<data dir>/outbox/`. Never logged.
    pub smtp_url: Option<String>,
}

impl Config {
    /// Cookies carry `Secure` when the public URL is https.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.scheme() == "https"
    }

    /// `scheme://host[:port]` of the public URL, as browsers send it in `Origin`.
    pub fn origin(&self) -> String {
        self.base_url.origin().ascii_serialization()
    }

    /// The mail transport this configuration asks for.
    pub fn mailer(&self) -> anyhow::Result<crate::backend::mail::transport::Mailer> {
        crate::backend::mail::transport::Mailer::new(
            self.smtp_url.as_deref(),
            self.data_dir.join("outbox"),
        )
    }

    /// The default database: a SQLite file in the data directory.
    pub fn default_database_url(data_dir: &std::path::Path) -> String {
        format!("sqlite://{}", data_dir.join("pigeon.db").display())
    }
}
