//! Keeping an upload's files: each stored while it is checked against the rules and the
//! quotas, and the files no message took let go of again.
use super::quota::Quota;
use super::rules::{clean_name, extension, kind_of_extension, sniff};
use super::store::Store;
use super::upload::{stream_error, Uploaded, FIELD, SNIFF_BYTES};
use crate::backend::db::{self, now_ms};
use crate::backend::settings::Settings;
use crate::backend::state::AppState;
use crate::error::AppError;

/// Where a file's bytes come from.
pub(super) enum Chunks {
    /// A form's multipart field, streamed.
    Field(Box<multer::Field<'static>>),
    /// A file already in memory (an email's attachment), in one piece.
    Whole(Option<bytes::Bytes>),
}

impl Chunks {
    /// The next piece of the file, `None` at its end.
    async fn next_chunk(&mut self, s: &Settings) -> Result<Option<bytes::Bytes>, AppError> {
        match self {
            Chunks::Field(field) => field.chunk().await.map_err(|e| stream_error(s, e)),
            Chunks::Whole(bytes) => Ok(bytes.take()),
        }
    }
}

/// Stores the files of an email (name, bytes) for its message, each through the rules and
/// quotas of an upload (`sender`: the address the quota counts against). Returns the kept
/// files, and why each other one was not kept.
pub async fn keep_bytes(
    state: &AppState,
    sender: &str,
    thread: Option<i64>,
    files: Vec<(String, Vec<u8>)>,
) -> Result<(Vec<Uploaded>, Vec<String>), AppError> {
    let s = crate::backend::settings::load(&state.db).await?;
    let quota = Quota::new(&s, sender, thread);
    let (mut kept, mut refused) = (Vec::new(), Vec::new());
    for (name, bytes) in files {
        let source = Chunks::Whole(Some(bytes::Bytes::from(bytes)));
        match store_file(state, &s, &quota, &name, source, kept.len()).await {
            Ok(file) => kept.push(file),
            Err(AppError::Validation { message, .. }) => refused.push(message),
            Err(e) => {
                discard(state, &kept).await;
                return Err(e);
            }
        }
    }
    Ok((kept, refused))
}

/// Stores one file of a post if it keeps every rule; the error names the file and the rule.
pub(super) async fn store_file(
    state: &AppState,
    s: &Settings,
    quota: &Quota,
    raw_name: &str,
    mut field: Chunks,
    already: usize,
) -> Result<Uploaded, AppError> {
    let name = clean_name(raw_name);
    let name = if name.is_empty() { "file".into() } else { name };
    let refuse = |message: String| Err(AppError::invalid(FIELD, message));
    if !s.attachments_enabled {
        return refuse(format!(
            "\u{201c}{name}\u{201d} was not sent: files cannot be attached on this site."
        ));
    }
    if already as i64 >= s.attachments_max_files {
        return refuse(format!(
            "\u{201c}{name}\u{201d} is one file too many: attach at most {} files to one message.",
            s.attachments_max_files
        ));
    }
    let ext = extension(&name);
    let expected = kind_of_extension(&ext).filter(|_| s.attachments_extensions.contains(&ext));
    let Some(expected) = expected else {
        let shown = if ext.is_empty() {
            "files without an extension".to_string()
        } else {
            format!(".{ext} files")
        };
        return refuse(format!(
            "\u{201c}{name}\u{201d} cannot be attached: {shown} are not allowed. Allowed: {}.",
            s.attachments_extensions.join(", ")
        ));
    };
    let max = s.max_file_bytes();
    let too_big = || {
        format!(
            "\u{201c}{name}\u{201d} is larger than {} MB, the most one file may be.",
            s.attachments_max_mb
        )
    };
    let mut head: Vec<u8> = Vec::new();
    let mut ended = false;
    while head.len() < SNIFF_BYTES {
        match field.next_chunk(s).await? {
            Some(chunk) => head.extend_from_slice(&chunk),
            None => {
                ended = true;
                break;
            }
        }
    }
    if head.is_empty() {
        return refuse(format!("\u{201c}{name}\u{201d} is empty."));
    }
    if head.len() as u64 > max {
        return refuse(too_big());
    }
    match sniff(&head[..head.len().min(SNIFF_BYTES)]) {
        Some(kind) if kind == expected => {}
        _ => {
            return refuse(format!(
                "\u{201c}{name}\u{201d} is not {} as its name says, so it cannot be attached.",
                expected.describe()
            ))
        }
    }
    let room = quota.room(&state.db).await?;
    if (head.len() as u64) > room {
        return Err(quota.refusal(s, &name));
    }
    let key = Store::new_key();
    let id = {
        let mut w = state.db.write_single().await?;
        db::attachments::insert_unlinked(&mut w, &key, &name, now_ms()).await?
    };
    let stored = async {
        let mut writer = state.files.writer(&key).await.map_err(store_error)?;
        let mut size = head.len() as u64;
        writer.write(&head).await.map_err(store_error)?;
        // The whole file may already be in `head`.
        while !ended {
            match field.next_chunk(s).await {
                Ok(Some(chunk)) => {
                    size += chunk.len() as u64;
                    if size > max {
                        writer.abort().await;
                        return Err(AppError::invalid(FIELD, too_big()));
                    }
                    if size > room {
                        writer.abort().await;
                        return Err(quota.refusal(s, &name));
                    }
                    if let Err(e) = writer.write(&chunk).await {
                        writer.abort().await;
                        return Err(store_error(e));
                    }
                }
                Ok(None) => ended = true,
                Err(e) => {
                    writer.abort().await;
                    return Err(e);
                }
            }
        }
        writer.finish().await.map_err(store_error)?;
        if !quota.take(&state.db, size).await? {
            return Err(quota.refusal(s, &name));
        }
        Ok(size)
    }
    .await;
    match stored {
        Ok(size) => Ok(Uploaded {
            id,
            key,
            content_type: super::rules::content_type(&ext, expected).to_string(),
            name,
            size: size as i64,
        }),
        Err(e) => {
            forget(state, id, &key).await;
            Err(e)
        }
    }
}

fn store_error(e: object_store::Error) -> AppError {
    tracing::error!(error = %e, "storing an attachment failed");
    AppError::Internal
}

/// Deletes the files of a post that were not linked to a message (a refused or failed post).
pub async fn discard(state: &AppState, files: &[Uploaded]) {
    for f in files {
        forget(state, f.id, &f.key).await;
    }
}

/// Deletes an unlinked file: marked due first, so that a crash halfway leaves it to the sweep.
async fn forget(state: &AppState, id: i64, key: &str) {
    let due = match state.db.write_single().await {
        Ok(mut w) => db::attachments::mark_due(&mut w, id).await,
        Err(e) => Err(e),
    };
    match due {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            tracing::warn!(error = %e, "an unused upload is left to the sweep");
            return;
        }
    }
    if state.files.delete(key).await.is_ok() {
        if let Ok(mut w) = state.db.write_single().await {
            let _ = db::attachments::delete_unlinked(&mut w, id).await;
        }
    }
}
