//! Replies by email and mail to the support address (SPEC §15). Two ways in (the SMTP
//! receiver, IMAP polling), one pipeline: `receive` keeps the raw message first (the same
//! message twice is kept once), then `process_due` claims kept messages and does what each
//! asks: posts it to its conversation, starts a conversation, holds it for review, or drops
//! it (auto-replies, bounces, Pigeon's own mail), recording what happened and why. A message
//! that cannot be read is parked as failed; it never blocks the ones behind it.
mod acts;
mod matching;
mod receive;
mod review;

use acts::{finish, post, start};
pub use matching::{Poster, Verdict};
pub use receive::{admit, receive, Received, MESSAGES_PER_SENDER};
pub use review::{decide, original, overview, Decision};

use crate::backend::db::{self, inbound::Claimed, now_ms};
use crate::backend::mail::incoming::{self, Incoming, Noise};
use crate::backend::state::AppState;
use crate::error::AppError;

/// How long a claimed message is held by its processor.
const LEASE_MS: i64 = 120_000;
/// Attempts before a message that keeps failing is parked.
const MAX_ATTEMPTS: i64 = 3;

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

/// An admin's choice for a held (or failed) message: process it again.
pub async fn retry(state: &AppState, id: i64) -> Result<(), AppError> {
    let mut w = state.db.write_single().await?;
    if db::inbound::requeue(&mut w, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
