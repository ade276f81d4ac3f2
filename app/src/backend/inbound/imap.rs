//! IMAP polling, for sites whose mail is hosted elsewhere: `PIGEON_IMAP_URL`
//! (`imaps://user:pass@host[:port]/INBOX`, or `imap://` on a trusted network). Each message in
//! the mailbox is kept (`service::inbound::receive`) and only then moved to the processed
//! folder (`?processed=<folder>`, default `Pigeon-Processed`, created when missing). A message
//! that cannot be kept stays in the mailbox and is tried again; one kept but not yet moved (a
//! crash in between) is recognised as a duplicate and moved. Waits with IDLE where the server
//! offers it, else polls.
use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;

use async_imap::Client;
use futures::StreamExt;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio::sync::{watch, Notify};

use crate::backend::service::inbound;
use crate::backend::state::AppState;

/// Messages fetched per round.
const BATCH: usize = 50;
/// How long one IDLE (or one poll's sleep) lasts before the mailbox is searched again.
const WAIT: Duration = Duration::from_secs(60);
/// Pause after a connection or login failure.
const BACK_OFF: Duration = Duration::from_secs(30);

/// Where to read mail.
#[derive(Clone, PartialEq, Eq)]
pub struct ImapSource {
    pub tls: bool,
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: String,
    pub mailbox: String,
    pub processed: String,
}

impl Debug for ImapSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the password.
        write!(
            f,
            "{}://{}@{}:{}/{}",
            if self.tls { "imaps" } else { "imap" },
            self.user,
            self.host,
            self.port,
            self.mailbox
        )
    }
}

impl ImapSource {
    /// Reads `imaps://user:pass@host[:port]/MAILBOX[?processed=FOLDER]`.
    pub fn parse(text: &str) -> Result<ImapSource, String> {
        let url =
            url::Url::parse(text.trim()).map_err(|_| "PIGEON_IMAP_URL is not a URL".to_string())?;
        let tls = match url.scheme() {
            "imaps" => true,
            "imap" => false,
            other => {
                return Err(format!(
                    "PIGEON_IMAP_URL must start with imaps:// or imap:// (not {other}://)"
                ))
            }
        };
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or("PIGEON_IMAP_URL names no host")?;
        let decode = |s: &str| {
            url::form_urlencoded::parse(format!("x={s}").as_bytes())
                .next()
                .map(|(_, v)| v.to_string())
                .unwrap_or_default()
        };
        let user = decode(url.username());
        if user.is_empty() {
            return Err("PIGEON_IMAP_URL names no user (imaps://user:password@host/INBOX)".into());
        }
        let mailbox = decode(url.path().trim_start_matches('/'));
        let processed = url
            .query_pairs()
            .find(|(k, _)| k == "processed")
            .map(|(_, v)| v.to_string())
            .unwrap_or_else(|| "Pigeon-Processed".into());
        Ok(ImapSource {
            tls,
            host: host.trim_matches(['[', ']']).to_string(),
            port: url.port().unwrap_or(if tls { 993 } else { 143 }),
            user,
            password: decode(url.password().unwrap_or("")),
            mailbox: if mailbox.is_empty() {
                "INBOX".into()
            } else {
                mailbox
            },
            processed,
        })
    }
}

/// Reads the mailbox until `stop` turns true; `arrived` is told of every kept message.
pub async fn run(
    state: AppState,
    source: ImapSource,
    mut stop: watch::Receiver<bool>,
    arrived: Arc<Notify>,
) {
    loop {
        let outcome = tokio::select! {
            r = connect_and_work(&state, &source, &arrived, stop.clone()) => r,
            _ = stop.changed() => return,
        };
        if let Err(e) = outcome {
            tracing::warn!(source = ?source, error = %e, "reading mail by IMAP failed; trying again soon");
        }
        if *stop.borrow() {
            return;
        }
        tokio::select! {
            _ = tokio::time::sleep(BACK_OFF) => {}
            _ = stop.changed() => return,
        }
    }
}

async fn connect_and_work(
    state: &AppState,
    source: &ImapSource,
    arrived: &Notify,
    stop: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let tcp = tokio::time::timeout(
        Duration::from_secs(20),
        TcpStream::connect((source.host.as_str(), source.port)),
    )
    .await??;
    if source.tls {
        let roots = tokio_rustls::rustls::RootCertStore::from_iter(
            webpki_roots::TLS_SERVER_ROOTS.iter().cloned(),
        );
        let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
        let config = tokio_rustls::rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let name = tokio_rustls::rustls::pki_types::ServerName::try_from(source.host.clone())?;
        let tls = tokio_rustls::TlsConnector::from(Arc::new(config))
            .connect(name, tcp)
            .await?;
        work(state, source, Client::new(tls), arrived, stop).await
    } else {
        work(state, source, Client::new(tcp), arrived, stop).await
    }
}

async fn work<T>(
    state: &AppState,
    source: &ImapSource,
    mut client: Client<T>,
    arrived: &Notify,
    stop: watch::Receiver<bool>,
) -> anyhow::Result<()>
where
    T: AsyncRead + AsyncWrite + Unpin + Debug + Send,
{
    client
        .read_response()
        .await?
        .ok_or_else(|| anyhow::anyhow!("the IMAP server closed the connection"))?;
    let mut session = client
        .login(&source.user, &source.password)
        .await
        .map_err(|(e, _)| anyhow::anyhow!("IMAP login failed: {e}"))?;
    let idle = session.capabilities().await?.has_str("IDLE");
    // The processed folder may exist already.
    let _ = session.create(&source.processed).await;
    session.select(&source.mailbox).await?;
    tracing::info!(source = ?source, idle, "reading mail by IMAP");
    loop {
        if *stop.borrow() {
            let _ = session.logout().await;
            return Ok(());
        }
        let mut uids: Vec<u32> = session.uid_search("ALL").await?.into_iter().collect();
        uids.sort_unstable();
        uids.truncate(BATCH);
        for uid in &uids {
            let raw = {
                let mut fetched = session.uid_fetch(uid.to_string(), "BODY.PEEK[]").await?;
                let mut raw = None;
                while let Some(f) = fetched.next().await {
                    if let Some(body) = f?.body() {
                        raw = Some(body.to_vec());
                    }
                }
                raw
            };
            let Some(raw) = raw else { continue };
            match inbound::receive(state, "imap", "", &[], &raw).await {
                Ok(_) => {
                    arrived.notify_one();
                    move_out(&mut session, *uid, &source.processed).await?;
                }
                // Left in the mailbox: tried again on the next round.
                Err(e) => tracing::warn!(uid, error = %e, "an IMAP message could not be kept yet"),
            }
        }
        if uids.len() == BATCH {
            continue;
        }
        if idle {
            let mut handle = session.idle();
            handle.init().await?;
            let (wait, _interrupt) = handle.wait_with_timeout(WAIT);
            let mut stopping = stop.clone();
            tokio::select! {
                r = wait => { r?; }
                _ = stopping.changed() => {}
            }
            session = handle.done().await?;
        } else {
            let mut stopping = stop.clone();
            tokio::select! {
                _ = tokio::time::sleep(WAIT.min(Duration::from_secs(30))) => {}
                _ = stopping.changed() => {}
            }
        }
        // A NOOP makes the server report what arrived meanwhile.
        session.noop().await?;
    }
}

/// Moves a kept message to the processed folder (MOVE, or COPY + delete where MOVE is
/// missing).
async fn move_out<T>(
    session: &mut async_imap::Session<T>,
    uid: u32,
    folder: &str,
) -> anyhow::Result<()>
where
    T: AsyncRead + AsyncWrite + Unpin + Debug + Send,
{
    let set = uid.to_string();
    if session.uid_mv(&set, folder).await.is_ok() {
        return Ok(());
    }
    session.uid_copy(&set, folder).await?;
    {
        let stored = session.uid_store(&set, "+FLAGS.SILENT (\\Deleted)").await?;
        let _: Vec<_> = stored.collect().await;
    }
    {
        let expunged = session.uid_expunge(&set).await?;
        let _: Vec<_> = expunged.collect().await;
    }
    Ok(())
}
