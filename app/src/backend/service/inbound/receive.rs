//! The way in: a message is kept as it arrived (durably, once per Message-ID) before the
//! sender is told it was taken; the SMTP receiver's per-sender limit.
use sha2::{Digest, Sha256};

use crate::backend::db::{self, inbound::Arrived, now_ms};
use crate::backend::service::rate_limit::{self, Limit};
use crate::backend::state::AppState;
use crate::error::AppError;

/// What became of a message handed to `receive`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// Kept, to be processed (its row id).
    Kept(i64),
    /// The same message was kept before: nothing more to do.
    Duplicate,
}

/// Keeps a message as it arrived (`via`: `smtp` or `imap`). Durable when this returns: the
/// SMTP receiver answers 250 (and the IMAP poller moves the message) only after it.
pub async fn receive(
    state: &AppState,
    via: &str,
    envelope_from: &str,
    envelope_to: &[String],
    raw: &[u8],
) -> Result<Received, AppError> {
    let dedupe_key = dedupe_key(raw);
    let to = envelope_to.join(", ");
    let arrived = Arrived {
        via,
        envelope_from,
        envelope_to: &to,
        dedupe_key: &dedupe_key,
        raw,
        now: now_ms(),
    };
    let mut w = state.db.write_single().await?;
    Ok(match db::inbound::keep(&mut w, &arrived).await? {
        Some(id) => Received::Kept(id),
        None => Received::Duplicate,
    })
}

/// The Message-ID when the message has one, else a digest of the whole message.
fn dedupe_key(raw: &[u8]) -> String {
    let header_end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .or_else(|| raw.windows(2).position(|w| w == b"\n\n"))
        .unwrap_or(raw.len());
    let headers = &raw[..header_end];
    let id = mail_parser::MessageParser::new()
        .parse_headers(headers)
        .and_then(|m| m.message_id().map(|id| id.trim().to_string()))
        .filter(|id| !id.is_empty() && id.len() <= 500);
    match id {
        Some(id) => format!("id:{id}"),
        None => format!("sha256:{}", hex::encode(Sha256::digest(raw))),
    }
}

/// Messages one envelope sender may hand the SMTP receiver per hour.
pub const MESSAGES_PER_SENDER: Limit = Limit {
    max: 120,
    window_s: 3600,
};

/// Counts a message from `envelope_from` at the SMTP receiver; `RateLimited` past
/// `MESSAGES_PER_SENDER` (the receiver answers 450: a real server tries again later).
pub async fn admit(state: &AppState, envelope_from: &str) -> Result<(), AppError> {
    let bucket = format!("inbound-smtp:{}", envelope_from.to_ascii_lowercase());
    rate_limit::check(&state.db, &bucket, MESSAGES_PER_SENDER).await
}
