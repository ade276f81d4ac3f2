//! Who may download a stored file: the same rules as the messages it is on.
use super::{member_threads, staff_threads};
use crate::backend::auth::links;
use crate::backend::db::{self, Db};

/// A stored file as a download needs it.
pub use crate::backend::db::attachments::AttachmentRow as StoredFile;
use crate::error::AppError;
use crate::model::viewer::{Permission, Viewer};

/// A file through a guest's link: a live link, for the file's thread (not in the Trash),
/// and a file on a message (never on an internal note).
pub async fn for_guest(db: &Db, id: i64, token: &str) -> Result<StoredFile, AppError> {
    let found = db::attachments::find_linked(db.reader(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let thread = links::guest_thread(db, token)
        .await?
        .ok_or(AppError::NotFound)?;
    if thread == found.thread_id && found.message_kind == "message" {
        Ok(found.file)
    } else {
        Err(AppError::NotFound)
    }
}

/// A file for someone logged in: staff who may read the thread, or a member taking part in
/// it (files on messages only, thread not in the Trash).
pub async fn for_viewer(db: &Db, id: i64, viewer: &Viewer) -> Result<StoredFile, AppError> {
    let found = db::attachments::find_linked(db.reader(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if viewer.can(Permission::Access)
        && staff_threads::readable(db, viewer, found.thread_id)
            .await
            .is_ok()
    {
        return Ok(found.file);
    }
    if found.message_kind == "message"
        && member_threads::ensure_participant(db, viewer, found.thread_id)
            .await
            .is_ok()
    {
        return Ok(found.file);
    }
    Err(AppError::NotFound)
}
