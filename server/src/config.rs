//! Turns flags and environment into the typed `Config`, with clear errors.
use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context};
use app::backend::config::{Config, InboundConfig};
use app::backend::inbound::imap::ImapSource;
use rand::RngCore;

use crate::cli::GlobalOpts;

/// Builds the configuration; creates the data folder and the secret when needed.
pub fn build(opts: &GlobalOpts) -> anyhow::Result<Config> {
    std::fs::create_dir_all(&opts.data_dir)
        .with_context(|| format!("cannot create the data folder {}", opts.data_dir.display()))?;
    let database_url = opts
        .database_url
        .clone()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| Config::default_database_url(&opts.data_dir));
    let base_text = opts
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", opts.addr));
    let base_url = url::Url::parse(base_text.trim_end_matches('/'))
        .with_context(|| format!("PIGEON_BASE_URL is not a valid URL: {base_text}"))?;
    if base_url.scheme() != "http" && base_url.scheme() != "https" {
        bail!("PIGEON_BASE_URL must start with http:// or https:// (got {base_text})");
    }
    let secret = match &opts.secret {
        Some(s) if s.len() >= 32 => s.as_bytes().to_vec(),
        Some(_) => bail!("PIGEON_SECRET must be at least 32 characters long"),
        None => load_or_create_secret(&opts.data_dir)?,
    };
    Ok(Config {
        database_url,
        addr: opts.addr,
        base_url,
        data_dir: opts.data_dir.clone(),
        secret,
        site_root: opts.site_root.clone(),
        smtp_url: opts.smtp_url.clone().filter(|u| !u.trim().is_empty()),
        templates_dir: opts.templates_dir.clone(),
        trusted_proxies: app::backend::config::IpRange::parse_list(
            opts.trusted_proxies.as_deref().unwrap_or(""),
        )
        .map_err(|e| anyhow::anyhow!("PIGEON_TRUSTED_PROXIES: {e}"))?,
        storage_url: opts.storage_url.clone().filter(|u| !u.trim().is_empty()),
        inbound: InboundConfig {
            reply_domain: non_empty(&opts.reply_domain),
            support_address: non_empty(&opts.support_address).map(|a| a.to_ascii_lowercase()),
            smtp_addr: opts.inbound_addr,
            max_message_bytes: opts.inbound_max_mb.clamp(1, 200) * 1_000_000,
            imap: match non_empty(&opts.imap_url) {
                Some(url) => Some(ImapSource::parse(&url).map_err(|e| anyhow::anyhow!(e))?),
                None => None,
            },
        },
    })
}

fn non_empty(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

fn load_or_create_secret(data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    let path = data_dir.join("secret.key");
    if let Ok(text) = std::fs::read_to_string(&path) {
        let text = text.trim();
        if text.len() >= 32 {
            return Ok(text.as_bytes().to_vec());
        }
        bail!(
            "{} is too short; delete it to generate a new one",
            path.display()
        );
    }
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let text = hex::encode(bytes);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(&path)
        .with_context(|| format!("cannot write the secret to {}", path.display()))?;
    file.write_all(text.as_bytes())?;
    tracing::info!(path = %path.display(), "generated a new secret");
    Ok(text.into_bytes())
}
