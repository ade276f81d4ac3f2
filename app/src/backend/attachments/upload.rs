//! Reading a `multipart/form-data` post: text fields into memory (bounded), files straight
//! into the store while their type and size are checked. The request is refused by its
//! declared length before any of it is read; a refused file is named with the rule it broke,
//! the rest of the post is still read so that the typed text can be shown again, and nothing
//! of a refused post is kept.
use axum::body::Body;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue};

use super::file_check::{clean_name, extension, kind_of_extension, sniff};
use super::quota::Quota;
use super::store::Store;
use crate::backend::db::{self, now_ms};
use crate::backend::service::settings::{self, Settings};
use crate::backend::state::AppState;
use crate::error::AppError;

/// A file stored for a post, not yet linked to its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uploaded {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

/// The files of the current request, handed to the server function that posts them.
#[derive(Debug, Clone, Default)]
pub struct Uploads(pub std::sync::Arc<Vec<Uploaded>>);

/// A post's text fields and stored files.
#[derive(Debug, Default)]
pub struct FormPost {
    pub fields: Vec<(String, String)>,
    pub files: Vec<Uploaded>,
}

/// Why a post was refused, with the text fields read (to show the form again).
#[derive(Debug)]
pub struct Refused {
    pub fields: Vec<(String, String)>,
    pub error: AppError,
}

/// Room for the text fields of one post and the multipart framing.
pub const TEXT_ALLOWANCE: u64 = 1024 * 1024;
/// Bytes read before a file's type is decided.
const SNIFF_BYTES: usize = 8 * 1024;
/// The field name files come in (`attachments` or `attachments[]`).
pub const FIELD: &str = "attachments";

/// The most bytes a post may have under these settings.
pub fn request_cap(s: &Settings) -> u64 {
    if s.attachments_enabled {
        TEXT_ALLOWANCE + s.attachments_max_files as u64 * s.max_file_bytes()
    } else {
        TEXT_ALLOWANCE
    }
}

/// The answer for a post over `request_cap`.
pub fn too_large(s: &Settings) -> AppError {
    if s.attachments_enabled {
        AppError::invalid(
            FIELD,
            format!(
                "The post is too large: attach at most {} files of up to {} MB each.",
                s.attachments_max_files, s.attachments_max_mb
            ),
        )
    } else {
        AppError::PayloadTooLarge
    }
}

/// Whether a `Content-Type` is a multipart form.
pub fn is_multipart(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|v| v.starts_with("multipart/form-data"))
}

/// Reads a multipart post under the current settings; on refusal every file stored for it
/// is deleted again. `sender` (`user:<id>` or `ip:<address>`) names whose daily file quota
/// the files count against, with the conversation's (from a `thread_id` or `token` field
/// sent before the files, as Pigeon's forms do).
pub async fn read(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
    sender: &str,
) -> Result<FormPost, Refused> {
    let refuse = |error| Refused {
        fields: Vec::new(),
        error,
    };
    let s = &settings::load(&state.db).await.map_err(refuse)?;
    let header = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let content_type = header(CONTENT_TYPE).unwrap_or("");
    let content_length = header(CONTENT_LENGTH).and_then(|v| v.parse::<u64>().ok());
    let cap = request_cap(s);
    if content_length.is_some_and(|n| n > cap) {
        return Err(refuse(too_large(s)));
    }
    let boundary = multer::parse_boundary(content_type)
        .map_err(|_| refuse(AppError::invalid("", "The form could not be read.")))?;
    let constraints =
        multer::Constraints::new().size_limit(multer::SizeLimit::new().whole_stream(cap));
    let mut form =
        multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);
    let mut post = FormPost::default();
    let mut error: Option<AppError> = None;
    let mut text_left = TEXT_ALLOWANCE as usize;
    let mut quota: Option<Quota> = None;
    loop {
        let mut field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                error.get_or_insert(stream_error(s, e));
                break;
            }
        };
        let name = field.name().unwrap_or("").to_string();
        match field.file_name().map(str::to_string) {
            None => {
                let mut bytes = Vec::new();
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) if chunk.len() <= text_left => {
                            text_left -= chunk.len();
                            bytes.extend_from_slice(&chunk);
                        }
                        Ok(Some(_)) => {
                            error.get_or_insert(AppError::PayloadTooLarge);
                            break;
                        }
                        Ok(None) => break,
                        Err(e) => {
                            error.get_or_insert(stream_error(s, e));
                            break;
                        }
                    }
                }
                post.fields
                    .push((name, String::from_utf8_lossy(&bytes).into_owned()));
            }
            // An empty file input sends a part without a name and content: nothing chosen.
            Some(raw) if raw.is_empty() => {}
            // After a refusal the other files are only read past, not stored.
            Some(_) if error.is_some() || !name.starts_with(FIELD) => {}
            Some(raw) => {
                if quota.is_none() {
                    let thread = thread_of(state, &post.fields).await;
                    quota = Some(Quota::new(s, sender, thread));
                }
                let quota = quota.as_ref().expect("set above");
                match store_file(state, s, quota, &raw, field, post.files.len()).await {
                    Ok(file) => post.files.push(file),
                    Err(e) => error = Some(e),
                }
            }
        }
    }
    match error {
        None => Ok(post),
        Some(error) => {
            discard(state, &post.files).await;
            Err(Refused {
                fields: post.fields,
                error,
            })
        }
    }
}

fn stream_error(s: &Settings, e: multer::Error) -> AppError {
    match e {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            too_large(s)
        }
        _ => AppError::invalid(
            "",
            "The form could not be read completely. Please try again.",
        ),
    }
}

/// Stores one file of a post if it keeps every rule; the error names the file and the rule.
async fn store_file(
    state: &AppState,
    s: &Settings,
    quota: &Quota,
    raw_name: &str,
    mut field: multer::Field<'static>,
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
        match field.chunk().await.map_err(|e| stream_error(s, e))? {
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
            match field.chunk().await {
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
                    return Err(stream_error(s, e));
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
            content_type: super::file_check::content_type(&ext, expected).to_string(),
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

/// The conversation a post's files go to, from the fields read so far.
async fn thread_of(state: &AppState, fields: &[(String, String)]) -> Option<i64> {
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    if let Some(id) = field("thread_id").and_then(|v| v.trim().parse().ok()) {
        return Some(id);
    }
    let token = field("token")?;
    crate::backend::service::guest::thread_of_link(&state.db, token).await
}
