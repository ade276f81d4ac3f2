//! What members see: their thread list and a thread without notes or events.
use super::messages::{post_counted, Author, Draft};
use super::read_state::message_views;
use super::{rate_limit, threads};
use crate::backend::db::messages::MessageRow;
use crate::backend::db::participants::ParticipantRow;
use crate::backend::db::{self, member_threads::Cursor, threads::ThreadRow, Db};
use crate::backend::settings;
use crate::error::AppError;
use crate::model::thread::{MessageKind, ThreadKind, ThreadList, ThreadSummary, ThreadView};
use crate::model::viewer::Viewer;

/// Threads per page in the member list.
pub const PAGE_SIZE: i64 = 25;

/// One page of the member's threads, newest activity first.
pub async fn list(
    db: &Db,
    member: &Viewer,
    kind: Option<ThreadKind>,
    cursor: Option<&str>,
) -> Result<ThreadList, AppError> {
    let live_since = crate::backend::service::live::mark(db).await?;
    let after = cursor.map(parse_cursor).transpose()?;
    let mut rows = db::member_threads::list(db, member.id, kind, after, PAGE_SIZE + 1).await?;
    let more = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    let next_cursor = more
        .then(|| rows.last().map(|(t, _)| t.last_message_id.to_string()))
        .flatten();
    let threads = rows
        .into_iter()
        .map(|(t, unread)| summary(&t, unread))
        .collect();
    Ok(ThreadList {
        live_since,
        threads,
        next_cursor,
    })
}

fn parse_cursor(text: &str) -> Result<Cursor, AppError> {
    let last_message_id = text
        .parse()
        .map_err(|_| AppError::invalid("cursor", "That page link is not valid."))?;
    Ok(Cursor { last_message_id })
}

/// A row of a list.
pub fn summary(t: &ThreadRow, unread: bool) -> ThreadSummary {
    ThreadSummary {
        id: t.id,
        kind: t.kind,
        subject: t.subject.clone(),
        status: t.status,
        started_by_name: t.started_by_name.clone(),
        last_message_at: t.last_message_at,
        last_author_name: t.last_author_name.clone(),
        unread,
    }
}

/// The thread and the member's place in it; `NotFound` unless they take part (the same
/// answer as a missing or trashed thread).
async fn participation(
    db: &Db,
    member: &Viewer,
    thread_id: i64,
) -> Result<(ThreadRow, ParticipantRow), AppError> {
    let thread = db::threads::find(db.reader(), thread_id)
        .await?
        .filter(|t| t.deleted_at.is_none())
        .ok_or(AppError::NotFound)?;
    let me = db::participants::find_user(db.reader(), thread_id, member.id)
        .await?
        .filter(|p| p.left_at.is_none())
        .ok_or(AppError::NotFound)?;
    Ok((thread, me))
}

/// `NotFound` unless the member takes part in the thread.
pub async fn ensure_participant(db: &Db, member: &Viewer, thread_id: i64) -> Result<(), AppError> {
    participation(db, member, thread_id).await.map(|_| ())
}

/// The participants a member may know of: on a support thread, the people who wrote a
/// message the member sees, the customer and the member; never a staff member who only
/// wrote internal notes, was assigned or follows. On a direct thread, everyone in it.
pub fn known_people(
    thread: &ThreadRow,
    people: Vec<ParticipantRow>,
    visible: &[MessageRow],
    viewer_id: i64,
) -> Vec<ParticipantRow> {
    if thread.kind == ThreadKind::Direct {
        return people;
    }
    people
        .into_iter()
        .filter(|p| {
            p.guest_email.is_some()
                || p.user_id == Some(viewer_id)
                || p.user_id.is_some() && p.user_id == thread.started_by_user_id
                || visible
                    .iter()
                    .any(|m| m.author_user_id.is_some() && m.author_user_id == p.user_id)
        })
        .collect()
}

/// A thread as a participating member sees it: visible messages only, with receipts.
/// `NotFound` for anyone who does not take part (the same answer as a missing thread).
pub async fn view(db: &Db, member: &Viewer, thread_id: i64) -> Result<ThreadView, AppError> {
    let live_since = crate::backend::service::live::mark(db).await?;
    let (thread, me) = participation(db, member, thread_id).await?;
    let messages = db::messages::list(db, thread_id, true).await?;
    let people = db::participants::list(db.reader(), thread_id).await?;
    let people = known_people(&thread, people, &messages, member.id);
    let mut messages = message_views(messages, &people, member.id, Some(me.id));
    crate::backend::attachments::fill(db, &mut messages, thread.has_files).await?;
    let unread = thread.last_message_id > me.last_read_message_id;
    Ok(ThreadView {
        live_since,
        summary: summary(&thread, unread),
        messages,
        participants: people
            .iter()
            .filter(|p| p.left_at.is_none())
            .map(|p| p.display_name.clone())
            .collect(),
        muted: !me.notify,
    })
}

/// Other active members to start a direct thread with, by name (never by email).
pub async fn find_members(
    db: &Db,
    viewer: &Viewer,
    query: &str,
) -> Result<Vec<(i64, String)>, AppError> {
    let with_staff = settings::load(db).await?.staff_as_recipients;
    Ok(db::users::directory(db.reader(), query, viewer.id, with_staff, 50).await?)
}

/// A member starts a conversation: `support` with the team, or `direct` with the chosen
/// members (when the site allows it). Returns the new thread's id.
pub async fn start(
    db: &Db,
    member: &Viewer,
    kind: &str,
    subject: &str,
    recipients: &[i64],
    draft: Draft<'_>,
) -> Result<i64, AppError> {
    let (bucket, limit) = rate_limit::member_post_limit(db, member.id).await?;
    rate_limit::check(db, &bucket, limit).await?;
    match kind {
        "support" => threads::start_support(db, member, subject, draft).await,
        "direct" if !settings::load(db).await?.allow_user_threads => Err(AppError::invalid(
            "kind",
            "Direct messages between members are turned off on this site.",
        )),
        "direct" => {
            // Only whom the list offers: staff too only when the site allows it.
            if !settings::load(db).await?.staff_as_recipients {
                for &id in recipients.iter().filter(|&&id| id != member.id) {
                    let user = db::users::find_by_id(db.reader(), id).await?;
                    if user.is_some_and(|u| u.to_viewer().is_staff()) {
                        return Err(AppError::invalid(
                            "recipients",
                            "Choose recipients from the list.",
                        ));
                    }
                }
            }
            threads::start_direct(db, member, recipients, subject, draft).await
        }
        _ => Err(AppError::invalid(
            "kind",
            "Choose who the conversation is with.",
        )),
    }
}

/// A member's reply to a thread they take part in; returns the new message's id.
pub async fn reply(
    db: &Db,
    member: &Viewer,
    thread_id: i64,
    draft: Draft<'_>,
) -> Result<i64, AppError> {
    ensure_participant(db, member, thread_id).await?;
    let limit = rate_limit::member_post_limit(db, member.id).await?;
    let author = Author::User {
        id: member.id,
        name: &member.name,
        as_staff: false,
    };
    let kind = MessageKind::Message;
    let posted = post_counted(db, thread_id, author, kind, draft, None, &[limit]).await?;
    Ok(posted.message_id)
}
