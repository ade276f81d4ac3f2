//! Undo for the inbox's actions (Trash, status, assignment, bulk): before an action changes
//! threads, their state is kept; its author may then put every one back exactly as it was
//! (status, assignee, Trash), once, for `WINDOW_MS`. Each change back is a system event of
//! its own, like any other change.
use super::staff_threads;
use crate::backend::db::{self, now_ms, Db};
use crate::error::AppError;
use crate::model::thread::{ThreadKind, ThreadStatus};
use crate::model::viewer::{Permission, Viewer};

/// How long an action can be undone.
pub const WINDOW_MS: i64 = 10 * 60 * 1000;

/// A thread's state before an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prior {
    pub thread_id: i64,
    pub status: ThreadStatus,
    pub assignee_id: Option<i64>,
    pub trashed: bool,
}

impl Prior {
    fn line(&self) -> String {
        let assignee = self
            .assignee_id
            .map_or_else(|| "-".to_string(), |a| a.to_string());
        format!(
            "{} {} {assignee} {}",
            self.thread_id,
            self.status.as_str(),
            u8::from(self.trashed)
        )
    }

    fn parse(line: &str) -> Option<Prior> {
        let mut parts = line.split(' ');
        let thread_id = parts.next()?.parse().ok()?;
        let status = ThreadStatus::parse(parts.next()?)?;
        let assignee_id = match parts.next()? {
            "-" => None,
            a => Some(a.parse().ok()?),
        };
        let trashed = parts.next()? == "1";
        Some(Prior {
            thread_id,
            status,
            assignee_id,
            trashed,
        })
    }
}

/// Keeps the state of these threads before the viewer changes them; returns the undo's id.
pub async fn keep(db: &Db, viewer: &Viewer, thread_ids: &[i64]) -> Result<i64, AppError> {
    let mut lines = Vec::with_capacity(thread_ids.len());
    for &id in thread_ids {
        let t = staff_threads::readable(db, viewer, id).await?;
        lines.push(
            Prior {
                thread_id: t.id,
                status: t.status,
                assignee_id: t.assignee_id,
                trashed: t.deleted_at.is_some(),
            }
            .line(),
        );
    }
    let mut w = db.write_single().await?;
    Ok(db::undo::insert(&mut w, viewer.id, &lines.join("\n"), now_ms()).await?)
}

/// Puts back what the action `id` changed; returns how many threads changed back. Only its
/// author may, once, within `WINDOW_MS`; a thread deleted since is left out.
pub async fn undo(db: &Db, viewer: &Viewer, id: i64) -> Result<usize, AppError> {
    if !viewer.can(Permission::Access) {
        return Err(AppError::Forbidden);
    }
    let gone = || {
        AppError::invalid(
            "undo_id",
            "This can no longer be undone: it was undone already, or it is too old.",
        )
    };
    let kept = db::undo::find(db.reader(), id).await?.ok_or_else(gone)?;
    if kept.user_id != viewer.id {
        return Err(gone());
    }
    let now = now_ms();
    {
        let mut w = db.write_single().await?;
        if !db::undo::claim(&mut w, id, viewer.id, now - WINDOW_MS, now).await? {
            return Err(gone());
        }
    }
    let mut changed = 0;
    for prior in kept.prior.lines().filter_map(Prior::parse) {
        let Some(t) = db::threads::find(db.reader(), prior.thread_id).await? else {
            continue;
        };
        let mut any = false;
        if t.deleted_at.is_some() != prior.trashed {
            any |= staff_threads::set_trashed(db, viewer, t.id, prior.trashed).await?;
        }
        if t.status != prior.status {
            any |= staff_threads::set_status(db, viewer, t.id, prior.status).await?;
        }
        if t.assignee_id != prior.assignee_id && t.kind == ThreadKind::Support {
            any |= staff_threads::assign_back(db, viewer, t.id, prior.assignee_id).await?;
        }
        changed += usize::from(any);
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prior_lines_round_trip() {
        for p in [
            Prior {
                thread_id: 7,
                status: ThreadStatus::Pending,
                assignee_id: Some(3),
                trashed: false,
            },
            Prior {
                thread_id: 9,
                status: ThreadStatus::Closed,
                assignee_id: None,
                trashed: true,
            },
        ] {
            assert_eq!(Prior::parse(&p.line()), Some(p));
        }
        assert_eq!(Prior::parse("x open - 0"), None);
        assert_eq!(Prior::parse("1 shut - 0"), None);
    }
}
