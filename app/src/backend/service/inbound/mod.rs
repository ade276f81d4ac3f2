//! Replies by email and mail to the support address (SPEC §15). Two ways in (the SMTP
//! receiver, IMAP polling), one pipeline: `receive` keeps the raw message first (the same
//! message twice is kept once), then `process_due` claims kept messages and does what each
//! asks: posts it to its conversation, starts a conversation, holds it for review, or drops
//! it (auto-replies, bounces, Pigeon's own mail), recording what happened and why. A message
//! that cannot be read is parked as failed; it never blocks the ones behind it.
mod matching;
mod review;

use sha2::{Digest, Sha256};

pub use matching::{Poster, Verdict};
pub use review::{decide, original, overview, Decision};

use crate::backend::attachments::keep::{discard, keep_bytes};
use crate::backend::attachments::upload::Uploaded;
use crate::backend::db::{self, inbound::Arrived, inbound::Claimed, inbound::Outcome, now_ms};
use crate::backend::mail::incoming::{self, Incoming, Noise};
use crate::backend::service::messages::{post_counted, Author, Draft};
use crate::backend::service::rate_limit::{self, Limit};
use crate::backend::service::{guest, member_threads, staff_threads};
use crate::backend::state::AppState;
use crate::error::AppError;
use crate::model::thread::MessageKind;

/// How long a claimed message is held by its processor.
const LEASE_MS: i64 = 120_000;
/// Attempts before a message that keeps failing is parked.
const MAX_ATTEMPTS: i64 = 3;
/// Replies by email one sender may post in 10 minutes (guests and members; staff are
/// trusted like in the browser).
const REPLIES_PER_SENDER: Limit = Limit {
    max: 30,
    window_s: 600,
};

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

/// Processes the messages due now (up to `limit`); returns how many were handled.
pub async fn process_due(state: &AppState, limit: i64) -> Result<usize, AppError> {
    // A read first: an idle site's processors look without taking a write turn.
    if !db::inbound::any_due(state.db.reader(), now_ms()).await? {
        return Ok(0);
    }
    let claimed = db::inbound::claim(&state.db, now_ms(), LEASE_MS, limit).await?;
    let n = claimed.len();
    for message in claimed {
        process(state, message).await?;
    }
    Ok(n)
}

/// Processes one claimed message. A database failure is returned (the message is due again
/// after its lease); anything else is recorded on the message.
async fn process(state: &AppState, message: Claimed) -> Result<(), AppError> {
    let id = message.id;
    let raw = message.raw;
    // Parsing runs off the async threads: a huge or deeply nested message costs its own
    // time, not everyone's.
    let read = tokio::task::spawn_blocking(move || incoming::read(&raw)).await;
    let mail = match read {
        Ok(Ok(mail)) => mail,
        Ok(Err(unreadable)) => {
            let why = format!("it could not be read: {}", unreadable.0);
            return finish(state, id, "failed", &why, None, None, &Incoming::default()).await;
        }
        Err(_) => {
            let why = "reading it failed (the parser gave up)";
            return finish(state, id, "failed", why, None, None, &Incoming::default()).await;
        }
    };
    let envelope_to: Vec<String> = message
        .envelope_to
        .split(',')
        .map(|r| r.trim().to_ascii_lowercase())
        .filter(|r| !r.is_empty())
        .collect();
    match act(state, id, &mail, &envelope_to).await {
        Ok(()) => Ok(()),
        Err(e @ (AppError::Unavailable { .. } | AppError::Internal)) => {
            if message.attempts >= MAX_ATTEMPTS {
                let why = format!("it failed {MAX_ATTEMPTS} times: {e}");
                finish(state, id, "failed", &why, None, None, &mail).await
            } else {
                let mut w = state.db.write_single().await?;
                db::inbound::retry_later(&mut w, id, &e.to_string()).await?;
                Err(e)
            }
        }
        Err(e) => {
            let why = format!("it was refused: {}", refusal_text(&e));
            finish(state, id, "held", &why, None, None, &mail).await
        }
    }
}

fn refusal_text(e: &AppError) -> String {
    match e {
        AppError::Validation { message, .. } => message.clone(),
        AppError::RateLimited { .. } => "the sender wrote too often; try again later".into(),
        other => other.to_string(),
    }
}

/// Does what a readable message asks.
async fn act(
    state: &AppState,
    id: i64,
    mail: &Incoming,
    envelope_to: &[String],
) -> Result<(), AppError> {
    let settings = crate::backend::settings::load(&state.db).await?;
    let own = |a: &str| {
        a.eq_ignore_ascii_case(&settings.from_email)
            || state.config.reply_domain().is_some_and(|d| {
                a.starts_with(crate::backend::mail::reply_address::PREFIX)
                    && a.ends_with(&format!("@{d}"))
            })
    };
    if own(&mail.from) {
        let why = "it came from Pigeon's own address (a mail loop)";
        return finish(state, id, "dropped", why, None, None, mail).await;
    }
    match mail.noise {
        Some(Noise::Bounce) => {
            let now = now_ms();
            let reason = format!("bounced: {}", mail.subject);
            let mut tx = state.db.write().await?;
            for address in &mail.failed_recipients {
                db::inbound::mark_bouncing(&mut tx, address, &reason, now).await?;
            }
            tx.commit().await?;
            let why = match mail.failed_recipients.len() {
                0 => "a delivery failure notice (bounce)".to_string(),
                _ => format!(
                    "a delivery failure notice (bounce) for {}",
                    mail.failed_recipients.join(", ")
                ),
            };
            return finish(state, id, "dropped", &why, None, None, mail).await;
        }
        Some(noise) => {
            return finish(state, id, "dropped", noise.describe(), None, None, mail).await;
        }
        None => {}
    }
    match matching::verdict(&state.db, &state.config, mail, envelope_to).await? {
        Verdict::Hold { thread, why } => finish(state, id, "held", &why, thread, None, mail).await,
        Verdict::Post {
            thread,
            poster,
            why,
        } => {
            post(
                state,
                id,
                mail,
                thread,
                &poster,
                &format!("posted: matched by {why}"),
            )
            .await
        }
        Verdict::Start => start(state, id, mail, "started by mail to the support address").await,
    }
}

/// The text a message posts: its new text (quoted history and signature cut).
fn body_of(mail: &Incoming) -> String {
    incoming::new_text(&mail.text)
}

/// Posts a reply as `poster` (files through the upload rules), recording the outcome with
/// `reason`.
async fn post(
    state: &AppState,
    id: i64,
    mail: &Incoming,
    thread: i64,
    poster: &Poster,
    reason: &str,
) -> Result<(), AppError> {
    let body = body_of(mail);
    let t = Some(thread);
    if body.is_empty() && mail.files.is_empty() {
        let why = "it has no new text (only quoted history)";
        return finish(state, id, "held", why, t, None, mail).await;
    }
    let sender = format!("email:{}", mail.from);
    let (files, refused) = keep_files(state, &sender, t, mail).await?;
    let body = if body.is_empty() {
        "(files sent by email)".to_string()
    } else {
        body
    };
    let key = format!("inbound-{id}");
    let draft = Draft {
        body: &body,
        files: &files,
        key: Some(&key),
        seen_up_to: None,
    };
    let bucket = format!("inbound-reply:{}", mail.from);
    let posted = match poster {
        Poster::Guest { email, name } => {
            let author = Author::Guest { email, name };
            let limits = [(bucket, REPLIES_PER_SENDER)];
            post_counted(
                &state.db,
                thread,
                author,
                MessageKind::Message,
                draft,
                None,
                &limits,
            )
            .await
            .map(|p| p.message_id)
        }
        Poster::Member(viewer) => member_threads::reply(&state.db, viewer, thread, draft).await,
        Poster::Staff { viewer, note } => {
            staff_threads::reply(&state.db, viewer, thread, draft, *note, None)
                .await
                .map(|p| p.message_id)
        }
    };
    let message_id = match posted {
        Ok(m) => m,
        Err(e) => {
            discard(state, &files).await;
            return Err(e);
        }
    };
    let mut why = reason.to_string();
    if !refused.is_empty() {
        why.push_str(&format!("; files not kept: {}", refused.join(" ")));
    }
    finish(state, id, "posted", &why, t, Some(message_id), mail).await
}

/// A new support conversation from mail to the support address, like the contact form.
async fn start(state: &AppState, id: i64, mail: &Incoming, reason: &str) -> Result<(), AppError> {
    let body = body_of(mail);
    let sender = format!("email:{}", mail.from);
    let (files, refused) = keep_files(state, &sender, None, mail).await?;
    let started = guest::start_by_email(
        &state.db,
        &mail.from_name,
        &mail.from,
        &mail.subject,
        &body,
        &format!("inbound-{id}"),
        &files,
    )
    .await;
    let thread = match started {
        Ok(t) => t,
        Err(e) => {
            discard(state, &files).await;
            return Err(e);
        }
    };
    let mut why = reason.to_string();
    if !refused.is_empty() {
        why.push_str(&format!("; files not kept: {}", refused.join(" ")));
    }
    finish(state, id, "started", &why, Some(thread), None, mail).await
}

async fn keep_files(
    state: &AppState,
    sender: &str,
    thread: Option<i64>,
    mail: &Incoming,
) -> Result<(Vec<Uploaded>, Vec<String>), AppError> {
    if mail.files.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let files = mail
        .files
        .iter()
        .map(|f| (f.name.clone(), f.bytes.clone()))
        .collect();
    keep_bytes(state, sender, thread, files).await
}

async fn finish(
    state: &AppState,
    id: i64,
    outcome: &str,
    why: &str,
    thread: Option<i64>,
    posted: Option<i64>,
    mail: &Incoming,
) -> Result<(), AppError> {
    let outcome = Outcome {
        state: outcome,
        reason: why,
        thread_id: thread,
        posted_message_id: posted,
        from_address: &mail.from,
        subject: &mail.subject,
    };
    let mut w = state.db.write_single().await?;
    db::inbound::finish(&mut w, id, &outcome, now_ms()).await?;
    Ok(())
}

/// An admin's choice for a held (or failed) message: process it again.
pub async fn retry(state: &AppState, id: i64) -> Result<(), AppError> {
    let mut w = state.db.write_single().await?;
    if db::inbound::requeue(&mut w, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
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
