//! The inbox's actions on many threads at once: every thread is checked before any changes.
use crate::backend::db::Db;
use crate::backend::service::staff_threads;
use crate::backend::service::threads;
use crate::error::AppError;
use crate::model::thread::ThreadStatus;
use crate::model::viewer::{Permission, Viewer};

/// Most threads one bulk action changes.
pub const MAX_BULK: usize = 200;

/// What a bulk action does to each chosen thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkOp {
    Status(ThreadStatus),
    /// Assign to a member of staff, or unassign (None).
    Assign(Option<i64>),
    Trash,
    Restore,
    Delete,
}

impl BulkOp {
    /// Reads the form's `op` (and `assignee_id` for "assign").
    pub fn parse(op: &str, assignee_id: Option<&str>) -> Result<BulkOp, AppError> {
        let bad = || AppError::invalid("op", "Choose an action from the list.");
        Ok(match op {
            "open" | "pending" | "closed" => {
                BulkOp::Status(ThreadStatus::parse(op).ok_or_else(bad)?)
            }
            "assign" => {
                BulkOp::Assign(match assignee_id.unwrap_or("").trim() {
                    "" => None,
                    s => Some(s.parse().map_err(|_| {
                        AppError::invalid("assignee_id", "Choose a member of staff.")
                    })?),
                })
            }
            "unassign" => BulkOp::Assign(None),
            "trash" => BulkOp::Trash,
            "restore" => BulkOp::Restore,
            "delete" => BulkOp::Delete,
            _ => return Err(bad()),
        })
    }

    fn permission(self) -> Permission {
        match self {
            BulkOp::Assign(_) => Permission::AssignThreads,
            _ => Permission::ManageThreads,
        }
    }
}

/// Applies one action to many threads; returns how many changed. Every thread is checked
/// before any is changed, so a refused one leaves them all as they were.
pub async fn bulk(db: &Db, viewer: &Viewer, ids: &[i64], op: BulkOp) -> Result<usize, AppError> {
    let ids = check_bulk(db, viewer, ids, op).await?;
    let mut changed = 0;
    for &id in &ids {
        let done = match op {
            BulkOp::Status(s) => threads::change_status(db, viewer, id, s).await?,
            BulkOp::Assign(a) => threads::assign(db, viewer, id, a).await?,
            BulkOp::Trash => threads::set_trashed(db, viewer, id, true).await?,
            BulkOp::Restore => threads::set_trashed(db, viewer, id, false).await?,
            BulkOp::Delete => {
                threads::delete_forever(db, id).await?;
                true
            }
        };
        changed += usize::from(done);
    }
    Ok(changed)
}

/// Whether the viewer may apply `op` to every one of these threads; returns them sorted,
/// each once.
pub async fn check_bulk(
    db: &Db,
    viewer: &Viewer,
    ids: &[i64],
    op: BulkOp,
) -> Result<Vec<i64>, AppError> {
    if !viewer.can(Permission::Access) || !viewer.can(op.permission()) {
        return Err(AppError::Forbidden);
    }
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(AppError::invalid(
            "thread_ids",
            "Choose at least one thread.",
        ));
    }
    if ids.len() > MAX_BULK {
        return Err(AppError::invalid(
            "thread_ids",
            format!("Choose at most {MAX_BULK} threads at a time."),
        ));
    }
    for &id in &ids {
        let thread = staff_threads::readable(db, viewer, id).await?;
        if op == BulkOp::Delete && thread.deleted_at.is_none() {
            return Err(AppError::invalid(
                "thread_ids",
                "Only threads in the Trash can be deleted. Move them to the Trash first.",
            ));
        }
        if matches!(op, BulkOp::Assign(_))
            && thread.kind != crate::model::thread::ThreadKind::Support
        {
            return Err(AppError::invalid(
                "thread_ids",
                "Only support threads can be assigned.",
            ));
        }
    }
    Ok(ids)
}
