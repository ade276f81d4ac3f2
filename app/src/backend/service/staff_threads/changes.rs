//! The staff actions on one conversation: status, assignment, guest links, following, the
//! Trash. Each checks that the viewer may read the thread and holds the action's permission.
use super::readable;
use crate::backend::db::{self, Db};
use crate::backend::service::{guest, threads};
use crate::error::AppError;
use crate::model::thread::ThreadStatus;
use crate::model::viewer::{Permission, Viewer};

/// Refused unless the viewer may read the thread and holds `permission`.
async fn allowed(
    db: &Db,
    viewer: &Viewer,
    thread_id: i64,
    permission: Permission,
) -> Result<(), AppError> {
    readable(db, viewer, thread_id).await?;
    if !viewer.can(permission) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// Sets a thread's status (with its system event); false when it already had it.
pub async fn set_status(
    db: &Db,
    viewer: &Viewer,
    thread_id: i64,
    status: ThreadStatus,
) -> Result<bool, AppError> {
    allowed(db, viewer, thread_id, Permission::ManageThreads).await?;
    threads::change_status(db, viewer, thread_id, status).await
}

/// Assigns a support thread (None unassigns); false when nothing changed.
pub async fn assign(
    db: &Db,
    viewer: &Viewer,
    thread_id: i64,
    assignee: Option<i64>,
) -> Result<bool, AppError> {
    allowed(db, viewer, thread_id, Permission::AssignThreads).await?;
    threads::assign(db, viewer, thread_id, assignee).await
}

/// Gives a thread back to whom it was assigned before (undo), without emailing them again.
pub async fn assign_back(
    db: &Db,
    viewer: &Viewer,
    thread_id: i64,
    assignee: Option<i64>,
) -> Result<bool, AppError> {
    allowed(db, viewer, thread_id, Permission::AssignThreads).await?;
    threads::assign_back(db, viewer, thread_id, assignee).await
}

/// Ends every guest link of a thread.
pub async fn revoke_guest_links(db: &Db, viewer: &Viewer, thread_id: i64) -> Result<u64, AppError> {
    allowed(db, viewer, thread_id, Permission::ManageThreads).await?;
    guest::revoke_links(db, thread_id).await
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
    allowed(db, viewer, thread_id, Permission::ManageThreads).await?;
    threads::set_trashed(db, viewer, thread_id, trashed).await
}

/// Deletes a thread in the Trash for good.
pub async fn delete_forever(db: &Db, viewer: &Viewer, thread_id: i64) -> Result<(), AppError> {
    allowed(db, viewer, thread_id, Permission::ManageThreads).await?;
    threads::delete_forever(db, thread_id).await
}
