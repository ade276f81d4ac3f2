//! The staff view of one conversation and the staff actions on it. Every check is here,
//! not only in the page: `access` reads support threads, admins also read direct ones;
//! `manage_threads` writes; `assign_threads` assigns. Viewing never subscribes anyone.
use super::member_threads::summary;
use super::mentions::{self, Mentions};
use super::messages::{post_message, Author, Draft, Posted};
use super::read_state::message_views;
use crate::backend::db::{self, threads::ThreadRow, Db};
use crate::error::AppError;
use crate::model::staff::{ParticipantView, StaffThreadView};
use crate::model::thread::{MessageKind, ThreadKind, ThreadStatus};
use crate::model::viewer::{Permission, Viewer};

mod changes;
pub use changes::*;

/// The thread, when the viewer may read it as staff.
pub(crate) async fn readable(
    db: &Db,
    viewer: &Viewer,
    thread_id: i64,
) -> Result<ThreadRow, AppError> {
    if !viewer.can(Permission::Access) {
        return Err(AppError::Forbidden);
    }
    let thread = db::threads::find(db.reader(), thread_id)
        .await?
        .ok_or(AppError::NotFound)?;
    may_read(viewer, &thread)?;
    Ok(thread)
}

/// Whether staff member `viewer` may read `thread` (as `readable`, for a thread in hand).
pub(crate) fn may_read(viewer: &Viewer, thread: &ThreadRow) -> Result<(), AppError> {
    if !viewer.can(Permission::Access) {
        return Err(AppError::Forbidden);
    }
    if thread.kind == ThreadKind::Direct && !viewer.is_admin {
        // Members' private messages are for admins only: the same answer as a missing thread.
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Everything staff see of a thread.
pub async fn view(db: &Db, viewer: &Viewer, thread_id: i64) -> Result<StaffThreadView, AppError> {
    let live_since = crate::backend::service::live::mark(db).await?;
    let thread = readable(db, viewer, thread_id).await?;
    // A read mark is worth a write, never a page: when the database cannot take it (locked,
    // read-only), the conversation is shown all the same.
    if let Err(e) = mark_seen(db, viewer.id, thread_id, thread.last_message_id).await {
        tracing::warn!(error = %e, thread_id, "could not keep a staff read mark");
    }
    let messages = db::messages::list(db, thread_id, false).await?;
    let (people, account_emails): (Vec<_>, Vec<_>) =
        db::participants::list_with_emails(db.reader(), thread_id)
            .await?
            .into_iter()
            .unzip();
    let mut messages = message_views(messages, &people, viewer.id, None);
    crate::backend::attachments::fill(db, &mut messages, thread.has_files).await?;
    let by_email: std::collections::HashMap<i64, i64> =
        db::inbound::posted_in(db.reader(), thread_id)
            .await?
            .into_iter()
            .collect();
    for m in &mut messages {
        m.by_email = by_email.get(&m.id).copied();
    }
    let mut participants = Vec::new();
    for (p, account_email) in people.iter().zip(account_emails) {
        if p.left_at.is_some() {
            continue;
        }
        let email = p.guest_email.clone().or(account_email).unwrap_or_default();
        participants.push(ParticipantView {
            name: p.display_name.clone(),
            email,
            is_guest: p.user_id.is_none(),
            caught_up: p.last_read_message_id >= thread.last_message_id,
            muted: !p.notify,
        });
    }
    let staff = db::users::staff_directory(db.reader()).await?;
    let assignee_name = thread
        .assignee_id
        .and_then(|id| staff.iter().find(|(s, _)| *s == id).map(|(_, n)| n.clone()));
    Ok(StaffThreadView {
        live_since,
        summary: summary(&thread, false),
        messages,
        participants,
        assignee_id: thread.assignee_id,
        assignee_name,
        staff,
        can_manage: viewer.can(Permission::ManageThreads),
        can_assign: viewer.can(Permission::AssignThreads) && thread.kind == ThreadKind::Support,
        following: people
            .iter()
            .any(|p| p.user_id == Some(viewer.id) && p.left_at.is_none() && p.notify),
        trashed: thread.deleted_at.is_some(),
        saved_replies: Vec::new(),
        mentionable: db::users::readers_directory(db.reader())
            .await?
            .into_iter()
            .filter(|(id, _)| *id != viewer.id)
            .map(|(_, name)| name)
            .collect(),
    })
}

/// A reply or an internal note from the staff inbox, with an optional status afterwards.
pub async fn reply<'a>(
    db: &Db,
    viewer: &Viewer,
    thread_id: i64,
    draft: impl Into<Draft<'a>>,
    internal_note: bool,
    status_after: Option<ThreadStatus>,
) -> Result<Posted, AppError> {
    reply_and_mention(db, viewer, thread_id, draft, internal_note, status_after)
        .await
        .map(|(posted, _)| posted)
}

/// `reply`, and what became of a note's mentions (see `mentions`).
pub async fn reply_and_mention<'a>(
    db: &Db,
    viewer: &Viewer,
    thread_id: i64,
    draft: impl Into<Draft<'a>>,
    internal_note: bool,
    status_after: Option<ThreadStatus>,
) -> Result<(Posted, Mentions), AppError> {
    readable(db, viewer, thread_id).await?;
    if !viewer.can(Permission::ManageThreads) {
        return Err(AppError::Forbidden);
    }
    let draft: Draft<'a> = draft.into();
    if let Some(name) = crate::model::saved_reply::unfilled(draft.body).first() {
        return Err(AppError::invalid(
            "body",
            format!(
                "{{{{{name}}}}} has no value in this conversation: write it in yourself \
                 before sending."
            ),
        ));
    }
    let mentioned = if internal_note {
        Some(mentions::following(db, thread_id, draft.body).await?)
    } else {
        None
    };
    let author = Author::User {
        id: viewer.id,
        name: &viewer.name,
        as_staff: true,
    };
    let kind = if internal_note {
        MessageKind::Note
    } else {
        MessageKind::Message
    };
    let posted = post_message(db, thread_id, author, kind, draft, status_after).await?;
    if kind == MessageKind::Message {
        // Writing is reading: the writer's own reply never makes the row bold for them. The
        // reply is posted whatever becomes of the mark.
        if let Err(e) = mark_seen(db, viewer.id, thread_id, posted.message_id).await {
            tracing::warn!(error = %e, thread_id, "could not keep a staff read mark");
        }
    }
    let told = match mentioned {
        Some((ids, already)) if !posted.repeated => {
            mentions::tell(db, viewer.id, thread_id, posted.message_id, &ids, &already).await?
        }
        _ => Mentions::default(),
    };
    Ok((posted, told))
}

/// Moves a staff member's read mark of a thread up to `message_id`; reads first, so a
/// page view that changes nothing writes nothing.
pub(crate) async fn mark_seen(
    db: &Db,
    user_id: i64,
    thread_id: i64,
    message_id: i64,
) -> Result<(), AppError> {
    let marks = db::staff_reads::marks(db, user_id, &[thread_id]).await?;
    if marks.get(&thread_id).copied().unwrap_or(0) >= message_id {
        return Ok(());
    }
    let mut w = db.write_single().await?;
    db::staff_reads::mark(&mut w, user_id, thread_id, message_id, db::now_ms()).await?;
    Ok(())
}

/// Makes a thread unread again for a staff member (its row turns bold).
pub async fn mark_unread(db: &Db, viewer: &Viewer, thread_id: i64) -> Result<(), AppError> {
    let thread = readable(db, viewer, thread_id).await?;
    let mut w = db.write_single().await?;
    db::staff_reads::unmark(&mut w, viewer.id, thread_id, thread.last_message_id).await?;
    Ok(())
}

/// The "awaiting a reply" count and its `limit` most recent threads, for staff with `access`.
pub async fn awaiting(
    db: &Db,
    viewer: &Viewer,
    limit: i64,
) -> Result<(i64, Vec<crate::model::thread::ThreadSummary>), AppError> {
    if !viewer.can(Permission::Access) {
        return Err(AppError::Forbidden);
    }
    let count = db::staff_inbox::awaiting_count(db.reader(), viewer.id, viewer.is_admin).await?;
    let recent = db::staff_inbox::awaiting_recent(db.reader(), viewer.id, viewer.is_admin, limit)
        .await?
        .iter()
        .map(|t| summary(t, false))
        .collect();
    Ok((count, recent))
}
