//! Live updates: who may hear of which change. The same rules as the pages, checked for
//! every change when it is sent, and for the listener itself whenever a change may have
//! moved its rights (`touches_access`), so that someone who loses access (logged out,
//! disabled, rights taken, links revoked, thread trashed) stops hearing at once. A change says only which thread changed and how; the
//! page then reads it through its own server function, which checks access again.
use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, LazyLock, Mutex};

use tokio::sync::OnceCell;

use super::{member_threads, staff_threads};
use crate::backend::db::events::{self, ChangeKind};

pub use crate::backend::db::events::Change;
use crate::backend::db::{self, Db};
use crate::error::AppError;
use crate::model::viewer::{Permission, Viewer};

/// The newest change now: a page read after this listens from it (`/pigeon/live?since=`).
pub async fn mark(db: &Db) -> Result<i64, AppError> {
    Ok(db::events::latest_id(db).await?)
}

/// Every change from now on (the caller then checks each with `may_hear`).
pub async fn subscribe(db: &Db) -> tokio::sync::broadcast::Receiver<Change> {
    db.changes().await
}

/// The changes after `since` (at most `limit`), or None when some are no longer kept or
/// there are more: the page should reload instead.
pub async fn missed(db: &Db, since: i64, limit: i64) -> Result<Option<Vec<Change>>, AppError> {
    let oldest = events::oldest_id(db).await?;
    let missed = events::after(db, since, limit + 1).await?;
    if oldest > since + 1 || missed.len() as i64 > limit {
        return Ok(None);
    }
    Ok(Some(missed))
}

/// Who listens, and to what.
#[derive(Debug, Clone)]
pub enum Listener {
    /// Staff with `access`: every thread they may read (the inbox, the badge), or one.
    Staff { viewer: Viewer, thread: Option<i64> },
    /// A member: the threads they take part in (the unread count), or one.
    Member { viewer: Viewer, thread: Option<i64> },
    /// A guest through a private link: its one thread.
    Guest { token: String, thread: i64 },
}

/// Where a page listens: `staff`, `member` or `guest`, with a thread or a guest's token.
#[derive(Debug, Clone, Default)]
pub struct Asked {
    pub scope: String,
    pub thread: Option<i64>,
    pub token: Option<String>,
}

/// The listener a request may be, for the viewer it is (None: nobody logged in).
pub async fn listener(
    db: &Db,
    viewer: Option<Viewer>,
    asked: &Asked,
) -> Result<Listener, AppError> {
    let listener = match (asked.scope.as_str(), viewer) {
        ("guest", _) => {
            let token = asked.token.clone().unwrap_or_default();
            let thread = guest_thread(db, &token).await?.ok_or(AppError::NotFound)?;
            Listener::Guest { token, thread }
        }
        ("staff", Some(viewer)) => Listener::Staff {
            viewer,
            thread: asked.thread,
        },
        ("member", Some(viewer)) => Listener::Member {
            viewer,
            thread: asked.thread,
        },
        ("staff" | "member", None) => return Err(AppError::Unauthorized),
        _ => {
            return Err(AppError::invalid(
                "scope",
                "Listen as staff, member or guest.",
            ))
        }
    };
    if still_allowed(db, &listener).await? {
        Ok(listener)
    } else {
        Err(AppError::NotFound)
    }
}

/// Whether the listener may still listen (checked every second). A staff member or
/// member passed in is the one their session gives now.
pub async fn still_allowed(db: &Db, listener: &Listener) -> Result<bool, AppError> {
    Ok(match listener {
        Listener::Staff { viewer, thread } => match thread {
            _ if !viewer.can(Permission::Access) => false,
            Some(id) => {
                readable_or_gone(staff_threads::readable(db, viewer, *id).await.map(|_| ()))?
            }
            None => true,
        },
        Listener::Member { viewer, thread } => match thread {
            Some(id) => readable_or_gone(
                member_threads::ensure_participant(db, viewer, *id)
                    .await
                    .map(|_| ()),
            )?,
            None => true,
        },
        Listener::Guest { token, thread } => guest_thread(db, token).await? == Some(*thread),
    })
}

/// Whether the listener may hear of `change`. The thread's facts are read once per change
/// in this process and shared by every listener (`facts`), so a change heard by two
/// thousand open pages costs two reads, not two thousand.
pub async fn may_hear(db: &Db, listener: &Listener, change: &Change) -> Result<bool, AppError> {
    let facts = match needs_facts(listener, change) {
        true => Some(facts(db, change).await?),
        false => None,
    };
    Ok(hears(listener, change, facts.as_deref()))
}

/// Whether deciding if the listener hears of `change` needs the thread's facts.
pub fn needs_facts(listener: &Listener, change: &Change) -> bool {
    match listener {
        _ if change.kind == ChangeKind::Access => false,
        Listener::Staff { viewer, thread } => {
            thread.is_none_or(|t| t == change.thread_id) && viewer.can(Permission::Access)
        }
        Listener::Member { thread, .. } => {
            !change.kind.staff_only() && thread.is_none_or(|t| t == change.thread_id)
        }
        Listener::Guest { .. } => false,
    }
}

/// Whether the listener hears of `change`, given the thread's facts when `needs_facts`
/// says they are needed (without them, such a listener hears nothing).
pub fn hears(listener: &Listener, change: &Change, facts: Option<&Facts>) -> bool {
    if change.kind == ChangeKind::Access {
        return false;
    }
    match listener {
        Listener::Guest { thread, .. } => !change.kind.staff_only() && change.thread_id == *thread,
        _ if !needs_facts(listener, change) => false,
        Listener::Staff { viewer, .. } => match facts.map(|f| &f.thread) {
            Some(Some(t)) => staff_threads::may_read(viewer, t).is_ok(),
            // Deleted for good: nothing is left to see but that it is gone.
            Some(None) => change.kind == ChangeKind::Thread,
            None => false,
        },
        Listener::Member { viewer, .. } => facts.is_some_and(|f| {
            f.thread.as_ref().is_some_and(|t| t.deleted_at.is_none())
                && f.members.contains(&viewer.id)
        }),
    }
}

/// Whether `change` may have changed who the listener is allowed to be: its rights, a
/// session or a guest link ended, or its own thread changed (Trash, leaving).
pub fn touches_access(listener: &Listener, change: &Change) -> bool {
    let own_thread = match listener {
        Listener::Staff { thread, .. } | Listener::Member { thread, .. } => *thread,
        Listener::Guest { thread, .. } => Some(*thread),
    };
    change.kind == ChangeKind::Access
        || (matches!(change.kind, ChangeKind::Thread | ChangeKind::People)
            && own_thread == Some(change.thread_id))
}

/// What the listeners of one change need to know about its thread.
pub struct Facts {
    thread: Option<db::threads::ThreadRow>,
    /// The accounts taking part (not left).
    members: HashSet<i64>,
}

type Shared = Arc<OnceCell<Arc<Facts>>>;
/// The facts of the last changes, by (database handle, change id), oldest first.
type Kept = VecDeque<((usize, i64), Shared)>;

static FACTS: LazyLock<Mutex<Kept>> = LazyLock::new(|| Mutex::new(VecDeque::new()));
/// Changes whose facts are kept (a change is heard within moments of its commit).
const FACTS_KEPT: usize = 512;

/// The facts of `change`'s thread, read once per process.
pub async fn facts(db: &Db, change: &Change) -> Result<Arc<Facts>, AppError> {
    let key = (db.instance(), change.id);
    let cell = {
        let mut kept = FACTS.lock().expect("facts lock");
        match kept.iter().find(|(k, _)| *k == key) {
            Some((_, cell)) => cell.clone(),
            None => {
                let cell: Shared = Arc::default();
                kept.push_back((key, cell.clone()));
                if kept.len() > FACTS_KEPT {
                    kept.pop_front();
                }
                cell
            }
        }
    };
    let facts = cell
        .get_or_try_init(|| async {
            let thread = db::threads::find(db.reader(), change.thread_id).await?;
            let members = db::participants::list(db.reader(), change.thread_id)
                .await?
                .into_iter()
                .filter(|p| p.left_at.is_none())
                .filter_map(|p| p.user_id)
                .collect();
            Ok::<_, AppError>(Arc::new(Facts { thread, members }))
        })
        .await?;
    Ok(facts.clone())
}

/// Access errors mean "no"; a failing database is an error.
fn readable_or_gone(result: Result<(), AppError>) -> Result<bool, AppError> {
    match result {
        Ok(()) => Ok(true),
        Err(e @ (AppError::Internal | AppError::Unavailable { .. })) => Err(e),
        Err(_) => Ok(false),
    }
}

/// The thread a live guest link opens (not extending it), or None.
async fn guest_thread(db: &Db, token: &str) -> Result<Option<i64>, AppError> {
    Ok(crate::backend::auth::links::guest_thread(db, token).await?)
}
