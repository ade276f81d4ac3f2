//! Refuses state-changing requests from other sites, with or without a session cookie (a
//! cross-site login or registration would sign the victim into the attacker's account).
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{Method, StatusCode};

use crate::backend::state::AppState;

/// Paths besides the public form actions (`routes::Action::from_any_site`) that any site may
/// post to: the one-click unsubscribe, which mail providers post from their own servers
/// (RFC 8058).
const OPEN_PATHS: &[&str] = &["/pigeon/unsubscribe/"];

/// Middleware: a non-safe request a browser marks as cross-site is refused. Clients that
/// are not browsers send neither header, and a session is their only credential.
pub async fn refuse_cross_site(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if is_cross_site(&state, &req) {
        tracing::warn!(path = %req.uri().path(), "refused a cross-site request");
        return (
            StatusCode::FORBIDDEN,
            "This request came from another site and was refused.",
        )
            .into_response();
    }
    next.run(req).await
}

fn is_cross_site(state: &AppState, req: &Request) -> bool {
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe {
        return false;
    }
    let path = req.uri().path();
    if OPEN_PATHS.iter().any(|p| path.starts_with(p))
        || crate::routes::action(path).is_some_and(|a| a.from_any_site())
    {
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
