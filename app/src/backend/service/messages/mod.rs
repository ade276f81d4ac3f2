//! Posting: the one place every message goes through (guest, member and staff paths).
use super::rate_limit::Limit;
use super::status_rules::next_status;
use super::submission_keys;
use crate::backend::db::WriteTx;
use crate::backend::db::{self, messages::NewMessage, now_ms, Db};
use crate::backend::validate;
use crate::error::AppError;
use crate::model::thread::{MessageKind, ThreadStatus};

mod author;
pub use author::*;

/// Posts a message or internal note. In one transaction: the message, the author as
/// participant, the author's read mark, the thread's last-message fields, the status rule
/// (with its system event) and the outbox rows.
pub async fn post_message<'a>(
    db: &Db,
    thread_id: i64,
    author: Author<'_>,
    kind: MessageKind,
    draft: impl Into<Draft<'a>>,
    status_after: Option<ThreadStatus>,
) -> Result<Posted, AppError> {
    post_counted(db, thread_id, author, kind, draft, status_after, &[]).await
}

/// As `post_message`, with a hit counted on each rate limit of `limits` (bucket and limit)
/// in the same transaction: one turn at the database for the counts and the post, and a
/// refused post rolls back with it.
pub async fn post_counted<'a>(
    db: &Db,
    thread_id: i64,
    author: Author<'_>,
    kind: MessageKind,
    draft: impl Into<Draft<'a>>,
    status_after: Option<ThreadStatus>,
    limits: &[(String, Limit)],
) -> Result<Posted, AppError> {
    let draft = draft.into();
    let body = validate::message_body("body", draft.body)?;
    match kind {
        MessageKind::Event => {
            return Err(AppError::invalid(
                "kind",
                "Events are recorded, not posted.",
            ))
        }
        MessageKind::Note if !author.is_staff() => return Err(AppError::Forbidden),
        _ => {}
    }
    // The transaction runs on the writer thread, with what it needs moved there.
    let author = OwnedAuthor::from(author);
    let files = draft.files.to_vec();
    let key = submission_keys::submission_key(draft.key, &body)?;
    let seen_up_to = draft.seen_up_to;
    let limits = limits.to_vec();
    let work = |db: Db| async move {
        let mut tx = db.write().await?;
        let key = key.as_deref();
        if let Some((_, first)) = submission_keys::take(&mut tx, author.borrow(), key).await? {
            return Ok(Posted {
                message_id: first.unwrap_or(0),
                author_participant_id: 0,
                status: ThreadStatus::Open,
                notified: 0,
                repeated: true,
            });
        }
        for (bucket, limit) in &limits {
            super::rate_limit::check_in(&mut tx, bucket, *limit).await?;
        }
        let draft = Draft {
            body: &body,
            files: &files,
            key,
            seen_up_to,
        };
        let posted = post_in(
            &mut tx,
            thread_id,
            author.borrow(),
            kind,
            draft,
            status_after,
        )
        .await?;
        submission_keys::settle(&mut tx, author.borrow(), key, thread_id, posted.message_id)
            .await?;
        tx.commit().await?;
        Ok::<_, AppError>(posted)
    };
    db.on_writer(work).await?
}

/// Posts a checked message inside the caller's transaction (which may also have created
/// the thread), so that a thread, its first message and its emails land together.
pub async fn post_in(
    tx: &mut WriteTx,
    thread_id: i64,
    author: Author<'_>,
    kind: MessageKind,
    draft: Draft<'_>,
    status_after: Option<ThreadStatus>,
) -> Result<Posted, AppError> {
    let body = draft.body;
    let thread = db::threads::find_for_update(tx, thread_id)
        .await?
        .filter(|t| t.deleted_at.is_none())
        .ok_or(AppError::NotFound)?;
    if let (
        Some(seen),
        Author::User {
            id, as_staff: true, ..
        },
    ) = (draft.seen_up_to, author)
    {
        // Checked under the thread's lock: of two colleagues answering at once, the second
        // is told, not sent.
        let newer = db::messages::visible_after(&mut **tx, thread_id, seen, id).await?;
        if newer > 0 {
            return Err(AppError::NewerMessages { count: newer });
        }
    }
    // Time is read after the lock so that message order and time order agree.
    let now = now_ms();
    let (author_user_id, author_guest_email) = match author {
        Author::User { id, .. } => (Some(id), None),
        Author::Guest { email, .. } => (None, Some(email)),
    };
    let message = NewMessage {
        thread_id,
        kind,
        author_user_id,
        author_guest_email,
        author_name: author.name(),
        body,
        now,
    };
    let message_id = db::messages::insert(tx, &message).await?;
    crate::backend::attachments::link_all(tx, message_id, draft.files).await?;
    let participant_id = match author {
        Author::User { id, name, .. } => {
            db::participants::add_author(tx, thread_id, id, name, message_id, now).await?
        }
        Author::Guest { email, name } => {
            db::participants::add_guest(tx, thread_id, email, name, message_id, now).await?
        }
    };
    if kind == MessageKind::Message {
        db::threads::advance_last_message(tx, thread_id, message_id, now, author.name()).await?;
    }
    let status = next_status(
        thread.kind,
        thread.status,
        kind,
        author.is_staff(),
        status_after,
    );
    if status != thread.status
        && db::threads::set_status(tx, thread_id, thread.status, status, now).await?
    {
        let text = status_change_text(author.name(), thread.status, status);
        record_event(tx, thread_id, author_user_id, author.name(), &text, now).await?;
    }
    let notified = super::fan_out::message(
        tx,
        super::fan_out::Posted {
            thread: &thread,
            message_id,
            kind,
            author_participant_id: participant_id,
            author_is_staff: author.is_staff(),
            now,
        },
    )
    .await?;
    Ok(Posted {
        message_id,
        author_participant_id: participant_id,
        status,
        notified,
        repeated: false,
    })
}

/// Appends a system event to a thread inside the caller's transaction.
pub async fn record_event(
    tx: &mut WriteTx,
    thread_id: i64,
    actor_id: Option<i64>,
    actor_name: &str,
    text: &str,
    now: i64,
) -> Result<i64, AppError> {
    let event = NewMessage {
        thread_id,
        kind: MessageKind::Event,
        author_user_id: actor_id,
        author_guest_email: None,
        author_name: actor_name,
        body: text,
        now,
    };
    Ok(db::messages::insert(tx, &event).await?)
}

/// "Ann changed the status from Open to Closed."
pub fn status_change_text(actor: &str, from: ThreadStatus, to: ThreadStatus) -> String {
    format!(
        "{actor} changed the status from {} to {}.",
        from.label(),
        to.label()
    )
}
