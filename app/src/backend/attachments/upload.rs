//! Reading a `multipart/form-data` post: text fields into memory (bounded), files straight
//! into the store while their type and size are checked. The request is refused by its
//! declared length before any of it is read; a refused file is named with the rule it broke,
//! the rest of the post is still read so that the typed text can be shown again, and nothing
//! of a refused post is kept.
use axum::body::Body;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue};

use super::keep::{discard, store_file, Chunks};
use super::quota::Quota;
use crate::backend::settings::{self, Settings};
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
pub(super) const SNIFF_BYTES: usize = 8 * 1024;
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
                let field = Chunks::Field(Box::new(field));
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

pub(super) fn stream_error(s: &Settings, e: multer::Error) -> AppError {
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

/// The conversation a post's files go to, from the fields read so far.
async fn thread_of(state: &AppState, fields: &[(String, String)]) -> Option<i64> {
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    if let Some(id) = field("thread_id").and_then(|v| v.trim().parse().ok()) {
        return Some(id);
    }
    let token = field("token")?;
    let thread = crate::backend::auth::links::guest_thread(&state.db, token).await;
    thread.ok().flatten()
}
