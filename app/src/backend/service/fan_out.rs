//! Who is emailed about what (SPEC §7), in one place. Every function runs inside the
//! transaction of the change that causes the emails, so they are queued with it or not at all.
use crate::backend::db::WriteTx;

use crate::backend::db::{self, outbox::AlertRecipient, threads::ThreadRow};
use crate::backend::settings;
use crate::model::thread::{MessageKind, ThreadKind};

/// What was posted, as fan-out needs to know it.
#[derive(Debug, Clone, Copy)]
pub struct Posted<'a> {
    pub thread: &'a ThreadRow,
    pub message_id: i64,
    pub kind: MessageKind,
    pub author_participant_id: i64,
    /// Posted from the staff inbox.
    pub author_is_staff: bool,
    pub now: i64,
}

/// Queues the emails a new message or note causes; returns how many.
///
/// - Every participant but the author who has neither muted nor left the thread.
/// - An internal note only to participants who are staff with `access` right now.
/// - A guest or member message on an unassigned support thread also alerts the support
///   recipients (the `support_recipients` setting, or else every active staff user who may
///   manage threads), except anyone already taking part in the thread.
pub async fn message(tx: &mut WriteTx, posted: Posted<'_>) -> Result<u64, db::DbError> {
    let mut queued = db::outbox::enqueue_message(
        tx,
        posted.thread.id,
        posted.message_id,
        Some(posted.author_participant_id),
        posted.kind == MessageKind::Note,
        posted.now,
    )
    .await?;
    let wants_alert = posted.thread.kind == ThreadKind::Support
        && posted.thread.assignee_id.is_none()
        && posted.kind == MessageKind::Message
        && !posted.author_is_staff;
    if wants_alert {
        queued += alert(tx, posted.thread.id, posted.message_id, posted.now).await?;
    }
    Ok(queued)
}

/// Tells a new assignee (unless they assigned themselves).
pub async fn assigned(
    tx: &mut WriteTx,
    thread_id: i64,
    assignee_id: i64,
    actor_id: i64,
    now: i64,
) -> Result<(), db::DbError> {
    if assignee_id != actor_id {
        db::outbox::enqueue_for_user(tx, "assigned", Some(thread_id), assignee_id, now).await?;
    }
    Ok(())
}

/// Queues the support alerts of a message: to the configured support recipients, or
/// when there are none to every active staff user who may manage threads; in either case
/// not to anyone still taking part in the thread, who hears of it already (or chose not to).
async fn alert(
    tx: &mut WriteTx,
    thread_id: i64,
    message_id: i64,
    now: i64,
) -> Result<u64, db::DbError> {
    let key = "support_recipients";
    let stored = db::settings::one(&mut **tx, key).await?;
    let configured =
        settings::from_stored(stored.map(|v| (key.to_string(), v)).into_iter().collect())
            .support_recipients;
    if configured.is_empty() {
        return db::outbox::enqueue_manager_alerts(tx, thread_id, message_id, now).await;
    }
    let mut candidates: Vec<AlertRecipient> = Vec::new();
    for address in configured {
        match db::users::find_by_email(&mut **tx, &address).await? {
            Some(u) if u.disabled => {}
            Some(u) => candidates.push(AlertRecipient::User(u.id)),
            None => candidates.push(AlertRecipient::Address(address.to_lowercase())),
        }
    }
    let present: Vec<_> = db::participants::list(&mut **tx, thread_id)
        .await?
        .into_iter()
        .filter(|p| p.left_at.is_none())
        .collect();
    let mut out: Vec<AlertRecipient> = Vec::new();
    for c in candidates {
        let taking_part = present.iter().any(|p| match &c {
            AlertRecipient::User(id) => p.user_id == Some(*id),
            AlertRecipient::Address(a) => p
                .guest_email
                .as_deref()
                .is_some_and(|g| g.eq_ignore_ascii_case(a)),
        });
        if !taking_part && !out.contains(&c) {
            out.push(c);
        }
    }
    db::outbox::enqueue_alerts(tx, thread_id, message_id, &out, now).await
}
