//! `GET /admin/pigeon/inbound/<id>/original`: an incoming email as it arrived, for staff who
//! may read the conversation it went to (admins: every one). A download, never rendered.
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderValue, StatusCode};

use crate::backend::auth::session;
use crate::backend::service::inbound;
use crate::backend::state::AppState;
use crate::error::AppError;

/// The path pattern.
pub const PATH: &str = "/admin/pigeon/inbound/{id}/original";

/// The handler.
pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let found = async {
        let viewer = session::viewer(&state, &headers)
            .await?
            .ok_or(AppError::Unauthorized)?;
        inbound::original(&state, &viewer, id).await
    }
    .await;
    match found {
        Ok(raw) => {
            let mut res = raw.into_response();
            let h = res.headers_mut();
            h.insert(CONTENT_TYPE, HeaderValue::from_static("message/rfc822"));
            let name = format!("attachment; filename=\"message-{id}.eml\"");
            if let Ok(v) = HeaderValue::from_str(&name) {
                h.insert(http::header::CONTENT_DISPOSITION, v);
            }
            h.insert(
                http::header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; sandbox"),
            );
            h.insert(
                http::header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            res
        }
        Err(e) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::NOT_FOUND);
            (status, e.to_string()).into_response()
        }
    }
}
