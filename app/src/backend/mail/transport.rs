//! Where emails go: an SMTP server (`PIGEON_SMTP_URL`), or `.eml` files under the data
//! directory when none is configured.
use std::path::PathBuf;

use std::sync::Arc;

use lettre::Message;

pub use super::smtp::SendFailure;
use super::smtp::SmtpClient;

/// A configured mail transport.
#[derive(Clone)]
pub enum Mailer {
    Smtp(Arc<SmtpClient>),
    Files(PathBuf),
}

impl Mailer {
    /// SMTP for `smtp://…` / `smtps://…` URLs; otherwise files in `outbox_dir`.
    pub fn new(smtp_url: Option<&str>, outbox_dir: PathBuf) -> anyhow::Result<Mailer> {
        match smtp_url.filter(|u| !u.trim().is_empty()) {
            Some(url) => SmtpClient::from_url(url)
                .map(|c| Mailer::Smtp(Arc::new(c)))
                .map_err(|e| anyhow::anyhow!("PIGEON_SMTP_URL is not a valid SMTP URL (smtp://host:port or smtps://…): {e}")),
            None => Ok(Mailer::Files(outbox_dir)),
        }
    }

    /// Sends one email; `Ok` only once the SMTP server accepted it (or the file is written).
    pub async fn send(&self, message: &Message, file_stem: &str) -> Result<(), SendFailure> {
        match self {
            Mailer::Smtp(smtp) => smtp.send(message.envelope(), &message.formatted()).await,
            Mailer::Files(dir) => {
                let temporary = |e: std::io::Error| SendFailure {
                    permanent: false,
                    reason: format!("cannot write to {}: {e}", dir.display()),
                };
                tokio::fs::create_dir_all(dir).await.map_err(temporary)?;
                let path = dir.join(format!("{file_stem}.eml"));
                tokio::fs::write(&path, message.formatted())
                    .await
                    .map_err(temporary)?;
                tracing::info!(path = %path.display(), "email written to the local outbox");
                Ok(())
            }
        }
    }
}
