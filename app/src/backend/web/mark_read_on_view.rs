//! A participant's real page view of a thread marks it read before the page renders (so the
//! header's unread count agrees). Link scanners and prefetchers do not count: only a browser
//! navigation (`Sec-Fetch-Dest: document`, not a prefetch) does.
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::Method;

use crate::backend::auth::request_memo;
use crate::backend::service::read_state;
use crate::backend::state::AppState;

/// Middleware for `GET /pigeon/threads/<id>`.
pub async fn handle(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if let Some(thread_id) = viewed_thread(&req) {
        if let Ok(Some(viewer)) =
            request_memo::viewer(&state, req.headers(), req.extensions()).await
        {
            if let Err(e) = read_state::mark_read(&state.db, viewer.id, thread_id).await {
                tracing::warn!(error = %e, "could not mark a thread read");
            }
        }
    }
    next.run(req).await
}

fn viewed_thread(req: &Request) -> Option<i64> {
    if req.method() != Method::GET {
        return None;
    }
    let header = |n: &str| req.headers().get(n).and_then(|v| v.to_str().ok());
    let is_navigation = header("sec-fetch-dest") == Some("document");
    let is_prefetch = header("sec-purpose").is_some_and(|p| p.contains("prefetch"))
        || header("purpose") == Some("prefetch");
    if !is_navigation || is_prefetch {
        return None;
    }
    req.uri()
        .path()
        .strip_prefix("/pigeon/threads/")?
        .parse()
        .ok()
}
