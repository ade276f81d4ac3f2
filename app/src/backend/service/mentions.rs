//! Mentions in internal notes: `@Full Name` (or `@First` when one colleague has that first
//! name) names a member of staff. One who may read conversations (`access`) joins the
//! conversation as a follower and is emailed the note; anyone else is not told, and the
//! writer is told so.
use std::collections::HashSet;

use crate::backend::db::{self, now_ms, Db};
use crate::error::AppError;
use crate::model::viewer::Permission;

/// What became of a note's mentions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mentions {
    /// Colleagues emailed the note (now following the conversation).
    pub told: Vec<String>,
    /// People named who may not read conversations: nobody told them.
    pub not_told: Vec<String>,
}

/// The ids of the people `text` mentions, in order, each once. `people` are (id, name).
pub fn find(text: &str, people: &[(i64, String)]) -> Vec<i64> {
    let lower = text.to_lowercase();
    // Positions in `lower` must be positions in `text` for the checks below.
    let text = if lower.len() == text.len() {
        text
    } else {
        &lower
    };
    let names: Vec<(i64, String)> = people
        .iter()
        .map(|(id, n)| (*id, n.trim().to_lowercase()))
        .filter(|(_, n)| !n.is_empty())
        .collect();
    let mut found = Vec::new();
    for (at, _) in lower.match_indices('@') {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '.' || c == '_') {
            continue; // an email address
        }
        let rest = &lower[at + 1..];
        let ends_word = |len: usize| {
            rest[len..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
        };
        let full = names
            .iter()
            .filter(|(_, n)| rest.starts_with(n.as_str()) && ends_word(n.len()))
            .max_by_key(|(_, n)| n.len())
            .map(|(id, _)| *id);
        let first = || {
            let word: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
            let by_first: Vec<i64> = names
                .iter()
                .filter(|(_, n)| !word.is_empty() && n.split_whitespace().next() == Some(&word))
                .map(|(id, _)| *id)
                .collect();
            (by_first.len() == 1).then(|| by_first[0])
        };
        if let Some(id) = full.or_else(first) {
            if !found.contains(&id) {
                found.push(id);
            }
        }
    }
    found
}

/// The staff a note mentions who already follow the conversation: its own emails reach them.
pub async fn following(
    db: &Db,
    thread_id: i64,
    body: &str,
) -> Result<(Vec<i64>, HashSet<i64>), AppError> {
    let staff = db::users::staff_directory(db.reader()).await?;
    let ids = find(body, &staff);
    let mut already = HashSet::new();
    for &id in &ids {
        if let Some(p) = db::participants::find_user(db.reader(), thread_id, id).await? {
            if p.left_at.is_none() && p.notify {
                already.insert(id);
            }
        }
    }
    Ok((ids, already))
}

/// Tells the mentioned: each with `access` follows the conversation and, unless it already
/// reached them, is emailed the note `note_id`. The author is never told of their own note.
pub async fn tell(
    db: &Db,
    author_id: i64,
    thread_id: i64,
    note_id: i64,
    mentioned: &[i64],
    already: &HashSet<i64>,
) -> Result<Mentions, AppError> {
    let mut out = Mentions::default();
    for &id in mentioned {
        if id == author_id {
            continue;
        }
        let Some(user) = db::users::find_by_id(db.reader(), id).await? else {
            continue;
        };
        if user.disabled || !user.to_viewer().can(Permission::Access) {
            out.not_told.push(user.name.clone());
            continue;
        }
        if !already.contains(&id) {
            let mut tx = db.write().await?;
            let now = now_ms();
            let pid = db::participants::add_user(&mut tx, thread_id, id, &user.name, now).await?;
            db::participants::set_notify(&mut tx, thread_id, id, true).await?;
            db::outbox::enqueue_for_participant(
                &mut tx,
                "note",
                thread_id,
                Some(note_id),
                pid,
                now,
            )
            .await?;
            tx.commit().await?;
        }
        out.told.push(user.name.clone());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn mentions_are_found_by_full_or_unique_first_name() {
        let people = vec![
            (1, "Ann Lee".to_string()),
            (2, "Ann Marsh".to_string()),
            (3, "Sam Field".to_string()),
            (4, "Sam".to_string()),
        ];
        assert_eq!(
            find("@ann lee and @Sam Field, see this", &people),
            vec![1, 3]
        );
        assert_eq!(find("@Ann please", &people), Vec::<i64>::new()); // two Anns
        assert_eq!(find("@Sam!", &people), vec![4]); // the whole name wins
        assert_eq!(
            find("mail ann@lee.test or x@Sam", &people),
            Vec::<i64>::new()
        );
        assert_eq!(find("@Ann Leeward", &people), Vec::<i64>::new());
        assert_eq!(find("(@ann lee) @ann lee", &people), vec![1]);
    }
}
