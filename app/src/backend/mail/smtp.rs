//! SMTP delivery over connections this process opens itself, so that each socket sends
//! without Nagle's delay: an SMTP client writes the message and its final `.` in two
//! writes before it reads, and with Nagle the second write waits for the server's delayed
//! acknowledgement (40 ms on Linux) on every email. Connections are kept and reused.
//! `smtps://` (TLS from the first byte) goes through lettre's own transport.
use std::time::Duration;

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, DEFAULT_MECHANISMS};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use tokio::sync::Mutex;

/// Why an email was not sent, and whether trying again can help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendFailure {
    pub permanent: bool,
    pub reason: String,
}

const TIMEOUT: Duration = Duration::from_secs(20);
/// Idle connections kept for reuse (the worker sends this many emails at once).
pub const MAX_IDLE: usize = 8;

/// How a `smtp://` connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartTls {
    /// Plain text (`?tls=none`, the default as with lettre's URLs).
    Never,
    /// Upgrade when the server offers it (`?tls=opportunistic`).
    WhenOffered,
    /// Refuse to send unless upgraded (`?tls=required`).
    Always,
}

/// Where and how to connect, read from `PIGEON_SMTP_URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub port: u16,
    pub starttls: StartTls,
    pub user: Option<String>,
    pub password: Option<String>,
}

impl Target {
    /// Parses `smtp://[user:pass@]host[:port][?tls=none|opportunistic|required]`.
    pub fn parse(url: &url::Url) -> Result<Target, String> {
        if url.scheme() != "smtp" {
            return Err("only smtp:// URLs are handled here".into());
        }
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or("the SMTP URL has no host")?
            .trim_matches(|c| c == '[' || c == ']')
            .to_string();
        let starttls = match url.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v) {
            None => StartTls::Never,
            Some(v) if v == "none" => StartTls::Never,
            Some(v) if v == "opportunistic" => StartTls::WhenOffered,
            Some(v) if v == "required" || v == "starttls" => StartTls::Always,
            Some(v) => {
                return Err(format!(
                    "tls={v} is not one of none, opportunistic, required"
                ))
            }
        };
        let decode = |s: &str| {
            percent_decode(s)
                .map_err(|_| "the SMTP user or password is not valid UTF-8".to_string())
        };
        let user = (!url.username().is_empty())
            .then(|| decode(url.username()))
            .transpose()?;
        let password = url.password().map(decode).transpose()?;
        Ok(Target {
            host,
            port: url.port().unwrap_or(25),
            starttls,
            user,
            password,
        })
    }
}

fn percent_decode(s: &str) -> Result<String, std::string::FromUtf8Error> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out)
}

/// An SMTP client shared by the worker's concurrent sends.
pub enum SmtpClient {
    Direct {
        target: Target,
        idle: Mutex<Vec<AsyncSmtpConnection>>,
    },
    Lettre(AsyncSmtpTransport<Tokio1Executor>),
}

impl std::fmt::Debug for SmtpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SmtpClient::Direct { target, .. } => {
                write!(f, "SmtpClient({}:{})", target.host, target.port)
            }
            SmtpClient::Lettre(_) => write!(f, "SmtpClient(smtps)"),
        }
    }
}

impl SmtpClient {
    /// A client for `smtp://…` or `smtps://…`.
    pub fn from_url(raw: &str) -> Result<SmtpClient, String> {
        let url = url::Url::parse(raw).map_err(|e| e.to_string())?;
        match url.scheme() {
            "smtp" => Ok(SmtpClient::Direct {
                target: Target::parse(&url)?,
                idle: Mutex::new(Vec::new()),
            }),
            "smtps" => AsyncSmtpTransport::<Tokio1Executor>::from_url(raw)
                .map(|b| SmtpClient::Lettre(b.timeout(Some(TIMEOUT)).build()))
                .map_err(|e| e.to_string()),
            other => Err(format!("{other}:// is not smtp:// or smtps://")),
        }
    }

    /// Sends one email; `Ok` once the server accepted it.
    pub async fn send(&self, envelope: &Envelope, bytes: &[u8]) -> Result<(), SendFailure> {
        match self {
            SmtpClient::Lettre(t) => t
                .send_raw(envelope, bytes)
                .await
                .map(|_| ())
                .map_err(failure),
            SmtpClient::Direct { target, idle } => {
                let reused = idle.lock().await.pop();
                let was_reused = reused.is_some();
                let mut conn = match reused {
                    Some(c) => c,
                    None => connect(target).await?,
                };
                let mut outcome = timed(conn.send(envelope, bytes)).await;
                if was_reused && outcome.as_ref().is_err_and(|e| !e.permanent) {
                    // The server may have closed an idle connection: one fresh try.
                    conn = connect(target).await?;
                    outcome = timed(conn.send(envelope, bytes)).await;
                }
                if outcome.is_ok() && !conn.has_broken() {
                    let mut idle = idle.lock().await;
                    if idle.len() < MAX_IDLE {
                        idle.push(conn);
                    }
                }
                outcome.map(|_| ())
            }
        }
    }
}

async fn timed<T>(
    f: impl std::future::Future<Output = Result<T, lettre::transport::smtp::Error>>,
) -> Result<T, SendFailure> {
    match tokio::time::timeout(TIMEOUT, f).await {
        Ok(r) => r.map_err(failure),
        Err(_) => Err(SendFailure {
            permanent: false,
            reason: "the SMTP server did not answer in time".into(),
        }),
    }
}

fn failure(e: lettre::transport::smtp::Error) -> SendFailure {
    SendFailure {
        permanent: e.is_permanent(),
        reason: e.to_string(),
    }
}

async fn connect(target: &Target) -> Result<AsyncSmtpConnection, SendFailure> {
    let unreachable = |e: std::io::Error| SendFailure {
        permanent: false,
        reason: format!(
            "cannot reach the SMTP server {}:{}: {e}",
            target.host, target.port
        ),
    };
    let tcp = tokio::time::timeout(
        TIMEOUT,
        tokio::net::TcpStream::connect((target.host.as_str(), target.port)),
    )
    .await
    .map_err(|_| unreachable(std::io::ErrorKind::TimedOut.into()))?
    .map_err(unreachable)?;
    tcp.set_nodelay(true).map_err(unreachable)?;
    let hello = ClientId::default();
    let mut conn = timed(AsyncSmtpConnection::connect_with_transport(
        Box::new(tcp),
        &hello,
    ))
    .await?;
    let upgrade = match target.starttls {
        StartTls::Never => false,
        StartTls::WhenOffered => conn.can_starttls(),
        StartTls::Always => true,
    };
    if upgrade {
        let tls = TlsParameters::new(target.host.clone()).map_err(failure)?;
        timed(conn.starttls(tls, &hello)).await?;
    }
    if let (Some(user), Some(password)) = (&target.user, &target.password) {
        let credentials = Credentials::new(user.clone(), password.clone());
        timed(conn.auth(DEFAULT_MECHANISMS, &credentials)).await?;
    }
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_give_host_port_security_and_credentials() {
        let t = Target::parse(&url::Url::parse("smtp://127.0.0.1:2525").unwrap()).unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.starttls),
            ("127.0.0.1", 2525, StartTls::Never)
        );
        assert_eq!((t.user, t.password), (None, None));
        let t = Target::parse(
            &url::Url::parse("smtp://mailer:p%40ss%2Fword@mx.example.com:587?tls=required")
                .unwrap(),
        )
        .unwrap();
        assert_eq!(t.port, 587);
        assert_eq!(t.starttls, StartTls::Always);
        assert_eq!(t.user.as_deref(), Some("mailer"));
        assert_eq!(t.password.as_deref(), Some("p@ss/word"));
        assert_eq!(
            Target::parse(&url::Url::parse("smtp://h?tls=opportunistic").unwrap())
                .unwrap()
                .starttls,
            StartTls::WhenOffered
        );
        assert!(Target::parse(&url::Url::parse("smtp://h?tls=maybe").unwrap()).is_err());
        assert!(SmtpClient::from_url("http://h").is_err());
    }
}
