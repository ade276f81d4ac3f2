//! Read state (SPEC §6): marking read, unread counts, and "Seen by" receipts.
use std::collections::HashMap;

use crate::backend::db::{self, messages::MessageRow, now_ms, participants::ParticipantRow, Db};
use crate::error::AppError;
use crate::model::thread::{MessageKind, MessageView};
use crate::model::viewer::{Permission, Viewer};

/// Marks a thread read for a participant; false when nothing was unread.
pub async fn mark_read(db: &Db, user_id: i64, thread_id: i64) -> Result<bool, AppError> {
    let mut w = db.write_single().await?;
    Ok(db::participants::mark_read(&mut w, thread_id, user_id, now_ms()).await?)
}

/// Number of the user's non-trashed threads with a visible message they have not read.
pub async fn unread_count(db: &Db, user_id: i64) -> Result<i64, AppError> {
    Ok(db::member_threads::unread_count(db.reader(), user_id).await?)
}

/// Whether one thread is unread for the user (false when they do not take part).
pub async fn is_unread(db: &Db, user_id: i64, thread_id: i64) -> Result<bool, AppError> {
    Ok(db::member_threads::is_unread(db.reader(), user_id, thread_id).await?)
}

/// The header's counts for a viewer: unread member threads, and for staff the
/// conversations awaiting a reply.
pub async fn header_counts(db: &Db, viewer: &Viewer) -> Result<(i64, Option<i64>), AppError> {
    let staff = viewer.can(Permission::Access);
    let all = staff.then_some(viewer.is_admin);
    Ok(db::staff_inbox::header_counts(db.reader(), viewer.id, all).await?)
}

/// Who wrote a message or holds a read mark: a user id or a guest's lower-cased email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Party {
    User(i64),
    Guest(String),
}

/// For each shown message id, the names of readers whose mark stops there: each reader
/// appears once, under the newest shown message by someone else that their mark covers.
pub fn receipts(
    shown: &[(i64, Party)],
    readers: &[(String, i64, Party)],
) -> HashMap<i64, Vec<String>> {
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    for (name, mark, reader) in readers {
        let newest = shown
            .iter()
            .filter(|(id, author)| id <= mark && author != reader)
            .map(|(id, _)| *id)
            .max();
        if let Some(id) = newest {
            out.entry(id).or_default().push(name.clone());
        }
    }
    out
}

impl Party {
    /// The party of a user id or, without one, of a guest's email.
    pub fn of(user_id: Option<i64>, guest_email: Option<&str>) -> Party {
        match user_id {
            Some(id) => Party::User(id),
            None => Party::Guest(guest_email.unwrap_or_default().to_lowercase()),
        }
    }
}

/// Messages as a viewer sees them, each visible message with the names of the participants
/// (still in the thread, but not `skip`) whose read mark stops there. Notes and events get
/// no receipts.
pub fn message_views(
    messages: Vec<MessageRow>,
    people: &[ParticipantRow],
    viewer_id: i64,
    skip: Option<i64>,
) -> Vec<MessageView> {
    let shown: Vec<(i64, Party)> = messages
        .iter()
        .filter(|m| m.kind == MessageKind::Message)
        .map(|m| {
            (
                m.id,
                Party::of(m.author_user_id, m.author_guest_email.as_deref()),
            )
        })
        .collect();
    let readers: Vec<(String, i64, Party)> = people
        .iter()
        .filter(|p| Some(p.id) != skip && p.left_at.is_none())
        .map(|p| {
            let who = Party::of(p.user_id, p.guest_email.as_deref());
            (p.display_name.clone(), p.last_read_message_id, who)
        })
        .collect();
    let mut seen = receipts(&shown, &readers);
    messages
        .into_iter()
        .map(|m| MessageView {
            id: m.id,
            kind: m.kind,
            mine: m.author_user_id == Some(viewer_id),
            seen_by: seen.remove(&m.id).unwrap_or_default(),
            author_name: m.author_name,
            body: m.body,
            created_at: m.created_at,
            attachments: Vec::new(),
            by_email: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{receipts, Party};

    fn by(id: i64) -> Party {
        Party::User(id)
    }

    #[test]
    fn a_reader_is_shown_once_under_the_newest_message_they_read() {
        let shown = [(1, by(1)), (4, by(1)), (9, by(1))];
        let readers = [
            ("Bo".into(), 5, by(2)),
            ("Cy".into(), 9, by(3)),
            ("Di".into(), 0, by(4)),
        ];
        let r = receipts(&shown, &readers);
        assert_eq!(r.get(&4), Some(&vec!["Bo".to_string()]));
        assert_eq!(r.get(&9), Some(&vec!["Cy".to_string()]));
        assert_eq!(r.get(&1), None);
        assert_eq!(r.len(), 2, "a reader who read nothing gets no receipt");
    }

    #[test]
    fn a_read_mark_on_a_hidden_note_counts_for_the_visible_message_before_it() {
        // message 7 is an internal note the viewer cannot see
        let r = receipts(&[(3, by(1)), (8, by(1))], &[("Bo".into(), 7, by(2))]);
        assert_eq!(r.get(&3), Some(&vec!["Bo".to_string()]));
    }

    #[test]
    fn a_readers_own_messages_do_not_carry_their_receipt() {
        let shown = [(1, by(1)), (2, by(2)), (3, Party::Guest("g@x.org".into()))];
        let r = receipts(
            &shown,
            &[
                ("Bo".into(), 2, by(2)),
                ("Gu".into(), 3, Party::Guest("g@x.org".into())),
            ],
        );
        assert_eq!(r.get(&1), Some(&vec!["Bo".to_string()]));
        assert_eq!(r.get(&2), Some(&vec!["Gu".to_string()]));
    }
}
