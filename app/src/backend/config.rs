//! Typed infrastructure configuration (flags and environment are parsed by the binary).
use std::net::{IpAddr, SocketAddr};
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
    /// Proxies whose `X-Forwarded-For` is believed; empty: the socket address is the client.
    pub trusted_proxies: Vec<IpRange>,
    /// `s3://bucket/prefix` or `file:///folder`; `None` keeps files in `<data dir>/attachments`.
    pub storage_url: Option<String>,
    /// Mail coming in: replies by email and the support address.
    pub inbound: InboundConfig,
}

/// Mail coming in (SPEC §15).
#[derive(Debug, Clone)]
pub struct InboundConfig {
    /// The domain of reply addresses (`reply+…@<domain>`); when unset but mail is taken in,
    /// the public URL's host.
    pub reply_domain: Option<String>,
    /// Mail to this address (not a reply) starts a support conversation.
    pub support_address: Option<String>,
    /// Where the built-in SMTP receiver listens (`pigeon inbound`, or inside `serve`).
    pub smtp_addr: Option<SocketAddr>,
    /// The largest message taken in, in bytes.
    pub max_message_bytes: usize,
    /// A mailbox to read mail from (`PIGEON_IMAP_URL`).
    pub imap: Option<crate::backend::inbound::imap::ImapSource>,
}

impl Default for InboundConfig {
    fn default() -> Self {
        InboundConfig {
            reply_domain: None,
            support_address: None,
            smtp_addr: None,
            max_message_bytes: 30_000_000,
            imap: None,
        }
    }
}

/// One address or a CIDR range, e.g. `10.0.0.0/8` or `::1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl IpRange {
    /// Parses `ip` or `ip/prefix`.
    pub fn parse(text: &str) -> Result<IpRange, String> {
        let text = text.trim();
        let (ip, prefix) = match text.split_once('/') {
            Some((ip, p)) => (ip, Some(p)),
            None => (text, None),
        };
        let addr: IpAddr = ip
            .parse()
            .map_err(|_| format!("{text} is not an IP address or range"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{text} has a bad prefix length"))?,
            None => max,
        };
        Ok(IpRange { addr, prefix })
    }

    /// Parses a list separated by commas or spaces.
    pub fn parse_list(text: &str) -> Result<Vec<IpRange>, String> {
        text.split(|c: char| c == ',' || c.is_whitespace())
            .filter(|p| !p.is_empty())
            .map(IpRange::parse)
            .collect()
    }

    /// Whether `ip` falls in this range.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        match (self.addr, ip) {
            (IpAddr::V4(a), IpAddr::V4(b)) => {
                let shift = 32 - u32::from(self.prefix);
                shift == 32 || (u32::from(a) >> shift) == (u32::from(b) >> shift)
            }
            (IpAddr::V6(a), IpAddr::V6(b)) => {
                let shift = 128 - u32::from(self.prefix);
                shift == 128 || (u128::from(a) >> shift) == (u128::from(b) >> shift)
            }
            _ => false,
        }
    }
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

    /// The attachment store this configuration asks for.
    pub fn file_store(&self) -> anyhow::Result<crate::backend::attachments::store::Store> {
        crate::backend::attachments::store::Store::open(
            self.storage_url.as_deref(),
            &self.data_dir.join("attachments"),
        )
    }

    /// The domain reply addresses are made for, when this site takes mail in (a receiver or a
    /// reply domain is configured); `None`: emails say that replies are not read.
    pub fn reply_domain(&self) -> Option<String> {
        if let Some(d) = &self.inbound.reply_domain {
            return Some(d.to_ascii_lowercase());
        }
        if self.inbound.smtp_addr.is_none() && self.inbound.imap.is_none() {
            return None;
        }
        match self.base_url.host() {
            Some(url::Host::Domain(d)) => Some(d.to_ascii_lowercase()),
            _ => Some("localhost".to_string()),
        }
    }

    /// The default database: a SQLite file in the data directory.
    pub fn default_database_url(data_dir: &std::path::Path) -> String {
        format!("sqlite://{}", data_dir.join("pigeon.db").display())
    }
}

#[cfg(test)]
mod tests {
    use super::{Config, IpRange};

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
            trusted_proxies: Vec::new(),
            storage_url: None,
            inbound: Default::default(),
        };
        let shown = config.without_smtp_password("auth failed for mailer:s3cret-pw");
        assert_eq!(shown, "auth failed for mailer:***");
    }

    #[test]
    fn proxy_ranges_match_addresses_in_them() {
        let r = IpRange::parse("10.0.0.0/8").unwrap();
        assert!(r.contains("10.1.2.3".parse().unwrap()));
        assert!(!r.contains("11.0.0.1".parse().unwrap()));
        assert!(r.contains("::ffff:10.9.9.9".parse().unwrap()));
        let one = IpRange::parse("::1").unwrap();
        assert!(one.contains("::1".parse().unwrap()));
        assert!(!one.contains("::2".parse().unwrap()));
        assert!(IpRange::parse("10.0.0.0/33").is_err());
        assert!(IpRange::parse("example.com").is_err());
        assert_eq!(
            IpRange::parse_list("127.0.0.1, 10.0.0.0/8").unwrap().len(),
            2
        );
    }
}
