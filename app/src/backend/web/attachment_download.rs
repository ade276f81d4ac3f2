//! `GET /pigeon/attachments/<id>`: a file, for whoever may read its message. Staff with
//! `access` (notes and trashed threads too), members taking part in the thread, and guests
//! with a live link to the thread (`?t=<token>`); members and guests never get files of a
//! trashed thread. Served as a download in a sandbox; only raster images are shown inline.
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE,
    REFERRER_POLICY,
};
use http::{HeaderMap, HeaderValue, StatusCode};
use serde::Deserialize;

use crate::backend::attachments::rules::{content_disposition, is_inline_image_type};
use crate::backend::auth::session;
use crate::backend::service::files::{self, StoredFile};
use crate::backend::state::AppState;
use crate::error::AppError;

/// The download path of a file.
pub fn path(id: i64) -> String {
    format!("/pigeon/attachments/{id}")
}

/// A file served alone may run nothing and load nothing.
const FILE_CSP: &str = "default-src 'none'; sandbox; frame-ancestors 'none'";

#[derive(Debug, Deserialize)]
pub struct LinkToken {
    /// A guest's link token.
    t: Option<String>,
}

/// The handler.
pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(link): Query<LinkToken>,
    headers: HeaderMap,
) -> Response {
    let file = match allowed(&state, id, link.t.as_deref(), &headers).await {
        Ok(file) => file,
        Err(e) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::NOT_FOUND);
            return (status, e.to_string()).into_response();
        }
    };
    let (size, stream) = match state.files.read(&file.storage_key).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e, id, "reading an attachment failed");
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "The file cannot be read at the moment. Please try again later.",
            )
                .into_response();
        }
    };
    let inline = is_inline_image_type(&file.content_type);
    let mut res = Response::new(Body::from_stream(stream));
    let h = res.headers_mut();
    let value = |v: &str| HeaderValue::from_str(v).unwrap_or(HeaderValue::from_static(""));
    h.insert(CONTENT_TYPE, value(&file.content_type));
    h.insert(CONTENT_LENGTH, HeaderValue::from(size));
    h.insert(
        CONTENT_DISPOSITION,
        value(&content_disposition(inline, &file.file_name)),
    );
    h.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(FILE_CSP));
    h.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=300"),
    );
    h.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    res
}

/// The file, when this request may have it: through a guest's link, or for the viewer.
async fn allowed(
    state: &AppState,
    id: i64,
    token: Option<&str>,
    headers: &HeaderMap,
) -> Result<StoredFile, AppError> {
    if let Some(token) = token.filter(|t| !t.is_empty()) {
        return files::for_guest(&state.db, id, token).await;
    }
    let viewer = session::viewer(state, headers)
        .await?
        .ok_or(AppError::Unauthorized)?;
    files::for_viewer(&state.db, id, &viewer).await
}
