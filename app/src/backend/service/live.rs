//! Live updates: who may hear of which change. The same rules as the pages, checked for
//! every change when it is sent and again every second for the listener itself, so that
//! someone who loses access (logged out, disabled, rights taken, links revoked, thread
//! trashed) stops hearing at once. A change says only which thread changed and how; the
//! page then reads it through its own server function, which checks access again.
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

/// Whether the listener may hear of `change`.
pub async fn may_hear(db: &Db, listener: &Listener, change: &Change) -> Result<bool, AppError> {
    Ok(match listener {
        Listener::Staff { viewer, thread } => {
            if thread.is_some_and(|t| t != change.thread_id) {
                return Ok(false);
            }
            match staff_threads::readable(db, viewer, change.thread_id).await {
                Ok(_) => true,
                // Deleted for good: nothing is left to see but that it is gone.
                Err(AppError::NotFound) => {
                    change.kind == ChangeKind::Thread
                        && db::threads::find(db.reader(), change.thread_id)
                            .await?
                            .is_none()
                }
                Err(AppError::Internal) => return Err(AppError::Internal),
                Err(_) => false,
            }
        }
        Listener::Member { viewer, thread } => {
            !change.kind.staff_only()
                && thread.is_none_or(|t| t == change.thread_id)
                && member_threads::ensure_participant(db, viewer, change.thread_id)
                    .await
                    .is_ok()
        }
        Listener::Guest { thread, .. } => !change.kind.staff_only() && change.thread_id == *thread,
    })
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
