//! Refuses state-changing requests from other sites when they carry a session cookie.
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{Method, StatusCode};

use super::session::token_from;
use crate::backend::state::AppState;

/// Paths any site may post to without a session (the public guest form).
const OPEN_PATHS: &[&str] = &["/actions/pigeon/guest/"];

/// Middleware: a non-safe request with the session cookie must come from our own origin.
pub async fn refuse_cross_site(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if is_cross_site_with_session(&state, &req) {
        tracing::warn!(path = %req.uri().path(), "refused a cross-site request");
        return (
            StatusCode::FORBIDDEN,
            "This request came from another site and was refused.",
        )
            .into_response();
    }
    next.run(req).await
}

fn is_cross_site_with_session(state: &AppState, req: &Request) -> bool {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || token_from(req.headers()).is_none() {
        return false;
    }
    let path = req.uri().path();
    if OPEN_PATHS.iter().any(|p| path.starts_with(p)) {
        return false;
    }
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    // Fetch metadata decides when the browser sends it: a page with `no-referrer` makes
    // the browser send `Origin: null` even for its own forms.
    if let Some(site) = header("sec-fetch-site") {
        return site != "same-origin" && site != "none";
    }
    match header("origin") {
        Some(origin) => origin != state.config.origin(),
        None => false,
    }
}
