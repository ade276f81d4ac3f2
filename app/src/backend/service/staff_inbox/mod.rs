//! The staff inbox (SPEC §3): its sources, search, order and pages; the bulk actions are in
//! `bulk`.
//! `access` reads support threads; only admins see members' direct threads; the Trash and
//! every change need `manage_threads`; assigning needs `assign_threads`.
use crate::backend::db::{self, staff_inbox::InboxFilter, Db};
use crate::error::AppError;
use crate::model::staff::{
    first_line, InboxItem, InboxPage, InboxQuery, InboxSort, InboxSource, SEARCH_TOTAL_CAP,
    TOTAL_CAP,
};
use crate::model::viewer::{Permission, Viewer};

mod bulk;
pub use bulk::*;

/// Threads on one page of the inbox.
pub const PAGE_SIZE: i64 = 50;
/// Longest search text read.
pub const MAX_SEARCH_CHARS: usize = 200;
/// Most pages a cursor remembers for "Previous".
const MAX_TRAIL: usize = 200;

/// The sources a viewer may open.
pub fn sources_for(viewer: &Viewer) -> Vec<InboxSource> {
    InboxSource::ALL
        .into_iter()
        .filter(|s| match s {
            InboxSource::Direct => viewer.is_admin,
            InboxSource::Trash => viewer.can(Permission::ManageThreads),
            _ => true,
        })
        .collect()
}

/// One page of the inbox. Unknown names in the URL fall back to the defaults; a source the
/// viewer may not open is refused.
pub async fn page(
    db: &Db,
    viewer: &Viewer,
    source: &str,
    q: &str,
    sort: &str,
    cursor: &str,
) -> Result<InboxPage, AppError> {
    let live_since = crate::backend::service::live::mark(db).await?;
    if !viewer.can(Permission::Access) {
        return Err(AppError::Forbidden);
    }
    let source = InboxSource::parse(source).unwrap_or(InboxSource::All);
    let sources = sources_for(viewer);
    if !sources.contains(&source) {
        return Err(AppError::Forbidden);
    }
    let sort = InboxSort::parse(sort).unwrap_or(InboxSort::Activity);
    let q: String = q.trim().chars().take(MAX_SEARCH_CHARS).collect();
    let words = db::staff_inbox::search_words(&q);
    // The cursor is the trail of pages walked: the last thread of each, oldest first.
    let mut trail: Vec<i64> = cursor
        .split('.')
        .map_while(|c| c.trim().parse::<i64>().ok())
        .collect();
    if trail.len() > MAX_TRAIL {
        trail.drain(..trail.len() - MAX_TRAIL);
    }
    let after = match trail.last() {
        Some(&id) => db::threads::find(db.reader(), id).await?,
        None => None,
    };
    if after.is_none() {
        trail.clear();
    }
    let filter = InboxFilter {
        viewer_id: viewer.id,
        all_kinds: viewer.is_admin,
        source,
        words: &words,
        sort,
        after: after.as_ref(),
        limit: PAGE_SIZE + 1,
    };
    let mut rows = db::staff_inbox::list(db, &filter).await?;
    let joined = |ids: &[i64]| {
        let parts: Vec<String> = ids.iter().map(i64::to_string).collect();
        parts.join(".")
    };
    let next_cursor = if rows.len() as i64 > PAGE_SIZE {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(|(t, ..)| {
            let mut next = trail.clone();
            next.push(t.id);
            joined(&next)
        })
    } else {
        None
    };
    let prev_cursor = (!trail.is_empty()).then(|| joined(&trail[..trail.len() - 1]));
    let cap = if words.is_empty() {
        TOTAL_CAP
    } else {
        SEARCH_TOTAL_CAP
    };
    let total = view_total(db, &filter, live_since, cap).await?;
    let ids: Vec<i64> = rows.iter().map(|(t, ..)| t.id).collect();
    let mut present = super::presence::others_on(db, viewer.id, &ids).await?;
    let marks = db::staff_reads::marks(db, viewer.id, &ids).await?;
    let last_ids: Vec<i64> = rows.iter().map(|(t, ..)| t.last_message_id).collect();
    let mut openings = db::messages::openings(db, &last_ids).await?;
    let items = rows
        .into_iter()
        .map(|(t, guest_email, assignee_name)| InboxItem {
            preview: openings
                .remove(&t.last_message_id)
                .map(|b| first_line(&b))
                .unwrap_or_default(),
            unread: marks.get(&t.id).copied().unwrap_or(0) < t.last_message_id,
            present: present.remove(&t.id).unwrap_or_default(),
            id: t.id,
            subject: t.subject,
            status: t.status,
            kind: t.kind,
            started_by_name: t.started_by_name,
            started_by_email: guest_email,
            assignee_name,
            last_message_at: t.last_message_at,
            last_author_name: t.last_author_name,
            created_at: t.created_at,
        })
        .collect();
    let staff = if viewer.can(Permission::AssignThreads) {
        db::users::staff_directory(db.reader()).await?
    } else {
        Vec::new()
    };
    Ok(InboxPage {
        start: trail.len() as i64 * PAGE_SIZE + 1,
        total_capped: total >= cap,
        prev_cursor,
        total,
        words: highlight_words(&q),
        live_since,
        query: InboxQuery { source, sort, q },
        items,
        next_cursor,
        sources,
        staff,
        can_manage: viewer.can(Permission::ManageThreads),
        can_assign: viewer.can(Permission::AssignThreads),
    })
}

/// Most view counts kept (then they are all forgotten).
const MAX_COUNTS: usize = 4_096;

/// How many threads a view holds, counted up to `cap`. A count is kept with the newest
/// change it was read at and used again only while nothing has changed since: the change
/// feed is shared by every process, and any change (a message, a status, the Trash, a
/// login) makes every view count again.
async fn view_total(
    db: &Db,
    filter: &InboxFilter<'_>,
    mark: i64,
    cap: i64,
) -> Result<i64, AppError> {
    let key = format!(
        "{}|{}|{}|{}|{}",
        filter.source.as_str(),
        filter.all_kinds,
        if filter.source == InboxSource::Mine {
            filter.viewer_id
        } else {
            0
        },
        cap,
        filter.words.join("\u{1f}")
    );
    if let Ok(counts) = db.view_counts().lock() {
        if let Some(&(at, total)) = counts.get(&key) {
            if at == mark {
                return Ok(total);
            }
        }
    }
    let total = if filter.words.is_empty() {
        db::staff_inbox::count(db, filter, None, cap).await?
    } else {
        match db::staff_inbox::engine_query(db, filter.words).await? {
            Some(query) => db::staff_inbox::count(db, filter, Some(&query), cap).await?,
            None => 0,
        }
    };
    if let Ok(mut counts) = db.view_counts().lock() {
        if counts.len() >= MAX_COUNTS {
            counts.clear();
        }
        counts.insert(key, (mark, total));
    }
    Ok(total)
}

/// The words of a search as typed, lower-cased, for highlighting (quotes and operators
/// dropped).
fn highlight_words(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric() && c != '@' && c != '.' && c != '-')
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| w.chars().count() >= 2)
        .take(8)
        .collect()
}
