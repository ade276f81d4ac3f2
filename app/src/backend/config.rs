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
    /// Folder of email template overrides; `None` uses the built-in templates.
    pub templates_dir: Option<PathBuf>,
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

    /// `text` with the SMTP password, if any, masked.
    pub fn without_smtp_password(&self, text: &str) -> String {
        let password = self
            .smtp_url
            .as_deref()
            .and_then(|u| url::Url::parse(u).ok())
            .and_then(|u| u.password().map(str::to_string))
            .filter(|p| !p.is_empty());
        match password {
            Some(p) => text.replace(&p, "***"),
            None => text.to_string(),
        }
    }

    /// The default database: a SQLite file in the data directory.
    pub fn default_database_url(data_dir: &std::path::Path) -> String {
        format!("sqlite://{}", data_dir.join("pigeon.db").display())
    }
}

#[cfg(test)]
mod tests {
    use super::Config;

    #[test]
    fn smtp_passwords_are_masked_in_error_text() {
        let config = Config {
            database_url: String::new(),
            addr: "127.0.0.1:3000".parse().unwrap(),
            base_url: url::Url::parse("http://x.test").unwrap(),
            data_dir: ".".into(),
            secret: vec![],
            site_root: ".".into(),
            smtp_url: Some("smtp://mailer:s3cret-pw@smtp.x.test:587".into()),
            templates_dir: None,
        };
        let shown = config.without_smtp_password("auth failed for mailer:s3cret-pw");
        assert_eq!(shown, "auth failed for mailer:***");
    }
}
