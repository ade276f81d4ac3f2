//! What a matched message does: posts as its sender (files through the upload rules, a
//! submission key so that a crash never posts twice), or starts a support conversation; and
//! the record of what became of it.
use super::Poster;
use crate::backend::attachments::keep::{discard, keep_bytes};
use crate::backend::attachments::upload::Uploaded;
use crate::backend::db::{self, inbound::Outcome, now_ms};
use crate::backend::mail::incoming::{self, Incoming};
use crate::backend::service::messages::{post_counted, Author, Draft};
use crate::backend::service::rate_limit::Limit;
use crate::backend::service::{guest, member_threads, staff_threads};
use crate::backend::state::AppState;
use crate::error::AppError;
use crate::model::thread::MessageKind;

/// Replies by email one sender may post in 10 minutes (guests and members; staff are
/// trusted like in the browser).
const REPLIES_PER_SENDER: Limit = Limit {
    max: 30,
    window_s: 600,
};

/// The text a message posts: its new text (quoted history and signature cut).
fn body_of(mail: &Incoming) -> String {
    incoming::new_text(&mail.text)
}

/// Posts a reply as `poster` (files through the upload rules), recording the outcome with
/// `reason`.
pub(super) async fn post(
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
pub(super) async fn start(
    state: &AppState,
    id: i64,
    mail: &Incoming,
    reason: &str,
) -> Result<(), AppError> {
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

pub(super) async fn finish(
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
