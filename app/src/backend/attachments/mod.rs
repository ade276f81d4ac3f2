//! Files on messages (SPEC §9): what is accepted, where it is kept, who may fetch it, and
//! the sweep that deletes files nothing points at.
pub mod keep;
pub mod quota;
pub mod rules;
pub mod store;
pub mod upload;

use std::collections::HashMap;

use crate::backend::db::{self, attachments::AttachmentRow, Db};
use crate::error::AppError;
use crate::model::thread::{AttachmentView, MessageView};
use store::Store;
use upload::{Uploaded, Uploads};

/// How long an upload may wait for its message before the sweep deletes it.
pub const UPLOAD_GRACE_MS: i64 = 3600 * 1000;
/// Rows handled per sweep round.
const SWEEP_BATCH: i64 = 200;

/// The files the current request stored (see `web::actions`), for the server
/// function that posts them.
pub fn request_files() -> Vec<Uploaded> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<Uploads>().cloned())
        .map(|u| u.0.to_vec())
        .unwrap_or_default()
}

/// Links a post's stored files to its message, inside the message's transaction.
pub async fn link_all(
    tx: &mut db::WriteTx,
    message_id: i64,
    files: &[Uploaded],
) -> Result<(), AppError> {
    for f in files {
        if !db::attachments::link(tx, f.id, message_id, &f.content_type, f.size).await? {
            return Err(AppError::invalid(
                upload::FIELD,
                format!(
                    "\u{201c}{}\u{201d} was lost on its way. Please attach it again.",
                    f.name
                ),
            ));
        }
    }
    Ok(())
}

/// What people see of a stored file.
pub fn view_of(row: &AttachmentRow) -> AttachmentView {
    AttachmentView {
        id: row.id,
        name: row.file_name.clone(),
        size: row.size_bytes,
        image: rules::is_inline_image_type(&row.content_type),
    }
}

/// Puts each message's files on it; asks nothing of a thread that never had files
/// (`has_files`, migration 0016).
pub async fn fill(db: &Db, messages: &mut [MessageView], has_files: bool) -> Result<(), AppError> {
    if !has_files {
        return Ok(());
    }
    let ids: Vec<i64> = messages.iter().map(|m| m.id).collect();
    let rows = db::attachments::list_for_messages(db.reader(), &ids).await?;
    if rows.is_empty() {
        return Ok(());
    }
    let mut by_message: HashMap<i64, Vec<AttachmentView>> = HashMap::new();
    for row in &rows {
        if let Some(m) = row.message_id {
            by_message.entry(m).or_default().push(view_of(row));
        }
    }
    for m in messages.iter_mut() {
        if let Some(files) = by_message.remove(&m.id) {
            m.attachments = files;
        }
    }
    Ok(())
}

/// Deletes the files of threads just deleted for good (and anything else due); a failure
/// is left to the periodic sweep.
pub async fn delete_released(state: &crate::backend::state::AppState) {
    if let Err(e) = sweep(&state.db, &state.files, db::now_ms()).await {
        tracing::warn!(error = %e, "deleting files of deleted threads failed; the sweep retries");
    }
}

/// Deletes the files nothing points at any more (refused or abandoned uploads older than
/// the grace time, and files of threads deleted for good), then their rows. Safe to run
/// from several servers at once. Returns how many were deleted.
pub async fn sweep(db: &Db, store: &Store, now: i64) -> Result<usize, AppError> {
    let mut deleted = 0;
    loop {
        let due = db::attachments::unlinked_before(db.reader(), now - UPLOAD_GRACE_MS, SWEEP_BATCH)
            .await?;
        for (id, key) in &due {
            if let Err(e) = store.delete(key).await {
                tracing::warn!(error = %e, "deleting an unused file failed; trying again later");
                return Ok(deleted);
            }
            let mut w = db.write_single().await?;
            if db::attachments::delete_unlinked(&mut w, *id).await? {
                deleted += 1;
            }
        }
        if (due.len() as i64) < SWEEP_BATCH {
            return Ok(deleted);
        }
    }
}
