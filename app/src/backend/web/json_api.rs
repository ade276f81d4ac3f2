//! The JSON API for embedding Pigeon in another site (SPEC §11), for logged-in members:
//!
//! - `GET /api/pigeon/v1/unread-count` → `{"unread": N}`
//! - `GET /api/pigeon/v1/threads[?kind=support|direct][&cursor=…]` → a page of threads
//! - `GET /api/pigeon/v1/threads/<id>` → the thread with its visible messages, or 404
//! - `GET /api/pigeon/v1/threads/<id>/unread` → `{"unread": true|false}`
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::{HeaderMap, StatusCode};
use serde::Deserialize;

use crate::backend::auth::session;
use crate::backend::service::{member_threads, read_state};
use crate::backend::state::AppState;
use crate::error::AppError;
use crate::model::thread::ThreadKind;
use crate::model::viewer::Viewer;

/// The API's paths (served by `web::router`).
pub const UNREAD_COUNT: &str = "/api/pigeon/v1/unread-count";
pub const THREADS: &str = "/api/pigeon/v1/threads";
pub const THREAD: &str = "/api/pigeon/v1/threads/{id}";
pub const IS_UNREAD: &str = "/api/pigeon/v1/threads/{id}/unread";

/// An error as JSON with its status code.
pub struct JsonError(pub AppError);

impl IntoResponse for JsonError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::BAD_REQUEST);
        let body = serde_json::json!({ "error": self.0.to_string() });
        (status, Json(body)).into_response()
    }
}

impl From<AppError> for JsonError {
    fn from(e: AppError) -> Self {
        JsonError(e)
    }
}

async fn member(state: &AppState, headers: &HeaderMap) -> Result<Viewer, JsonError> {
    session::viewer(state, headers)
        .await?
        .ok_or(JsonError(AppError::Unauthorized))
}

pub async fn unread_count(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, JsonError> {
    let viewer = member(&state, &headers).await?;
    let unread = read_state::unread_count(&state.db, viewer.id).await?;
    Ok(Json(serde_json::json!({ "unread": unread })).into_response())
}

/// The thread list's query: `kind` and `cursor`.
#[derive(Deserialize)]
pub struct ListQuery {
    kind: Option<String>,
    cursor: Option<String>,
}

pub async fn threads(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Result<Response, JsonError> {
    let viewer = member(&state, &headers).await?;
    let kind = match q.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => Some(
            ThreadKind::parse(k)
                .ok_or_else(|| AppError::invalid("kind", "kind must be support or direct."))?,
        ),
        None => None,
    };
    let page = member_threads::list(&state.db, &viewer, kind, q.cursor.as_deref()).await?;
    Ok(Json(page).into_response())
}

pub async fn thread(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, JsonError> {
    let viewer = member(&state, &headers).await?;
    Ok(Json(member_threads::view(&state.db, &viewer, id).await?).into_response())
}

pub async fn is_unread(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, JsonError> {
    let viewer = member(&state, &headers).await?;
    member_threads::ensure_participant(&state.db, &viewer, id).await?;
    let unread = read_state::is_unread(&state.db, viewer.id, id).await?;
    Ok(Json(serde_json::json!({ "unread": unread })).into_response())
}
