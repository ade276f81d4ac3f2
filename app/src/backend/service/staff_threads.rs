//! The staff view of one conversation and the staff actions on it. Every check is here,
//! not only in the page: `access` reads support threads, admins also read direct ones;
//! `manage_threads` writes; `assign_threads` assigns. Viewing never subscribes anyone.
use super::member_threads::summary;
use super::messages::{post_message, Author, Draft, Posted};
use super::read_state::message_views;
use crate::backend::db::{self, threads::ThreadRow, Db};
use crate::error::AppError;
use crate::model::staff::{ParticipantView, StaffThreadView};
use crate::model::thread::{MessageKind, ThreadKind, ThreadStatus};
use crate::model::viewer::{Permission, Viewer};

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
    readable(db, viewer, thread_id).await?;
    if !viewer.can(Permission::ManageThreads) {
        return Err(AppError::Forbidden);
    }
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
    post_message(db, thread_id, author, kind, draft, status_after).await
}

/// Sets a thread's status (with its system event); false when it already had it.
pub async fn set_status(
    db: &Db,
    viewer: &Viewer,
    thread_id: i64,
    status: ThreadStatus,
) -> Result<bool, AppError> {
    readable(db, viewer, thread_id).await?;
    if !viewer.can(Permission::ManageThreads) {
        return Err(AppError::Forbidden);
    }
    super::threads::change_status(db, viewer, thread_id, status).await
}

/// Assigns a support thread (None unassigns); false when nothing changed.
pub async fn assign(
    db: &Db,
    viewer: &Viewer,
    thread_id: i64,
    assignee: Option<i64>,
) -> Result<bool, AppError> {
    readable(db, viewer, thread_id).await?;
    if !viewer.can(Permission::AssignThreads) {
        return Err(AppError::Forbidden);
    }
    super::threads::assign(db, viewer, thread_id, assignee).await
}

/// Ends every guest link of a thread.
pub async fn revoke_guest_links(db: &Db, viewer: &Viewer, thread_id: i64) -> Result<u64, AppError> {
    readable(db, viewer, thread_id).await?;
    if !viewer.can(Permission::ManageThreads) {
        return Err(AppError::Forbidden);
    }
    super::guest::revoke_links(db, thread_id).await
}

/// Staff follow a thread (they join it and are emailed about new messages) or stop
/// following it (they stay on it, without emails). Reading is enough to follow.
pub async fn follow(db: &Db, viewer: &Viewer, thread_id: i64, on: bool) -> Result<(), AppError> {
    readable(db, viewer, thread_id).await?;
    if on {
        let mut tx = db.write().await?;
        db::participants::add_user(&mut tx, thread_id, viewer.id, &viewer.name, db::now_ms())
            .await?;
        db::participants::set_notify(&mut tx, thread_id, viewer.id, true).await?;
        tx.commit().await?;
    } else {
        db::participants::set_notify(&mut db.write_single().await?, thread_id, viewer.id, false)
            .await?;
    }
    Ok(())
}

/// Moves a thread to the Trash or back; false when nothing changed.
pub async fn set_trashed(
    db: &Db,
    viewer: &Viewer,
    thread_id: i64,
    trashed: bool,
) -> Result<bool, AppError> {
    readable(db, viewer, thread_id).await?;
    if !viewer.can(Permission::ManageThreads) {
        return Err(AppError::Forbidden);
    }
    super::threads::set_trashed(db, viewer, thread_id, trashed).await
}

/// Deletes a thread in the Trash for good.
pub async fn delete_forever(db: &Db, viewer: &Viewer, thread_id: i64) -> Result<(), AppError> {
    readable(db, viewer, thread_id).await?;
    if !viewer.can(Permission::ManageThreads) {
        return Err(AppError::Forbidden);
    }
    super::threads::delete_forever(db, thread_id).await
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
