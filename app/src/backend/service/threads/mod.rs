//! Starting threads and changing them: status, assignment, Trash, mute, leave. Every change
//! is a targeted update inside one transaction, recorded as a system event.
use super::messages::{post_in, record_event, status_change_text, Author, Draft};
use super::submission_keys;
use crate::backend::db::{self, now_ms, threads::NewThread, Db};
use crate::backend::validate;
use crate::error::AppError;
use crate::model::thread::{MessageKind, ThreadKind, ThreadStatus};
use crate::model::viewer::Viewer;

/// Default subjects (SPEC §1).
pub const SUPPORT_SUBJECT: &str = "Support request";
pub const DIRECT_SUBJECT: &str = "New message";
/// Most recipients of one direct thread.
pub const MAX_RECIPIENTS: usize = 20;

/// A member starts a support thread; returns its id.
pub async fn start_support<'a>(
    db: &Db,
    member: &Viewer,
    subject: &str,
    draft: impl Into<Draft<'a>>,
) -> Result<i64, AppError> {
    let draft = draft.into();
    ensure_verified(member)?;
    let subject = validate::subject("subject", subject, SUPPORT_SUBJECT)?;
    create(db, ThreadKind::Support, subject, member, Vec::new(), draft).await
}

/// The message shown to a member who has not confirmed their address yet.
pub const UNVERIFIED: &str = "Please confirm your email address before starting a conversation: \
     open the link we emailed you, or ask for a new one below.";

/// Only members with a confirmed address start threads (staff accounts are created verified).
fn ensure_verified(member: &Viewer) -> Result<(), AppError> {
    if member.email_verified {
        Ok(())
    } else {
        Err(AppError::invalid("", UNVERIFIED))
    }
}

/// A member starts a direct thread with other active members; returns its id.
pub async fn start_direct<'a>(
    db: &Db,
    member: &Viewer,
    recipients: &[i64],
    subject: &str,
    draft: impl Into<Draft<'a>>,
) -> Result<i64, AppError> {
    let draft = draft.into();
    ensure_verified(member)?;
    let subject = validate::subject("subject", subject, DIRECT_SUBJECT)?;
    validate::message_body("body", draft.body)?;
    let mut others: Vec<(i64, String)> = Vec::new();
    for &id in recipients.iter().filter(|&&id| id != member.id) {
        if others.iter().any(|(o, _)| *o == id) {
            continue;
        }
        // Unknown and disabled accounts get the same answer: nobody learns who exists.
        match db::users::find_by_id(db.reader(), id).await? {
            Some(u) if !u.disabled => others.push((u.id, u.name)),
            _ => {
                return Err(AppError::invalid(
                    "recipients",
                    "Choose recipients from the list.",
                ))
            }
        }
    }
    if others.is_empty() {
        return Err(AppError::invalid(
            "recipients",
            "Choose at least one other member.",
        ));
    }
    if others.len() > MAX_RECIPIENTS {
        return Err(AppError::invalid(
            "recipients",
            format!("A conversation can have at most {MAX_RECIPIENTS} recipients."),
        ));
    }
    create(db, ThreadKind::Direct, subject, member, others, draft).await
}

/// The thread, its people and its first message in one transaction (on the writer
/// thread); a repeated submission key gives the first thread's id and stores nothing.
async fn create(
    db: &Db,
    kind: ThreadKind,
    subject: String,
    starter: &Viewer,
    others: Vec<(i64, String)>,
    draft: Draft<'_>,
) -> Result<i64, AppError> {
    let body = validate::message_body("body", draft.body)?;
    let key = submission_keys::submission_key(draft.key, &body)?;
    let files = draft.files.to_vec();
    let (starter_id, starter_name) = (starter.id, starter.name.clone());
    let work = move |db: Db| async move {
        let mut tx = db.write().await?;
        let author = Author::User {
            id: starter_id,
            name: &starter_name,
            as_staff: false,
        };
        let key = key.as_deref();
        if let Some((first, _)) = submission_keys::take(&mut tx, author, key).await? {
            return Ok(first.unwrap_or(0));
        }
        let now = now_ms();
        let status = match kind {
            ThreadKind::Support => ThreadStatus::Pending,
            ThreadKind::Direct => ThreadStatus::Open,
        };
        let new = NewThread {
            kind,
            subject: &subject,
            status,
            started_by_user_id: Some(starter_id),
            started_by_guest_email: None,
            started_by_name: &starter_name,
            now,
        };
        let id = db::threads::insert(&mut tx, &new).await?;
        db::participants::add_user(&mut tx, id, starter_id, &starter_name, now).await?;
        for (uid, name) in &others {
            db::participants::add_user(&mut tx, id, *uid, name, now).await?;
        }
        let draft = Draft {
            body: &body,
            files: &files,
            key,
            seen_up_to: None,
        };
        let kind = MessageKind::Message;
        let posted = post_in(&mut tx, id, author, kind, draft, None).await?;
        submission_keys::settle(&mut tx, author, key, id, posted.message_id).await?;
        tx.commit().await?;
        Ok::<_, AppError>(id)
    };
    db.on_writer(work).await?
}

mod changes;
pub use changes::*;
