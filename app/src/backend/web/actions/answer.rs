//! The answer to an action: a redirect or the result on success; on failure the form's page
//! again (no JavaScript) or the error as JSON, each with the error's status.
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use http::header::{ACCEPT, CONTENT_TYPE, COOKIE, LOCATION};
use http::{HeaderValue, Method, StatusCode};

use super::read::{Context, Posted};
use crate::backend::state::AppState;
use crate::backend::web::error_response;
use crate::error::AppError;
use crate::model::form_echo::FormEcho;
use crate::routes::{page, Action, ShownOn};

/// The header a server function's error answer carries (and a guest form's, alike).
const ERROR_HEADER: &str = "serverfnerror";
/// Largest error answer read back.
const ERROR_LIMIT: usize = 64 * 1024;

/// Success for a hand-written action: a redirect to `to` for browsers; for scripts `json`,
/// with the page to go to in `Location` (for the page's own upload script).
pub fn done(posted: &Posted, to: &str, json: &'static str) -> Response {
    let mut res = if posted.context.wants_html {
        StatusCode::SEE_OTHER.into_response()
    } else {
        let mut res = Response::new(Body::from(json));
        res.headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        res
    };
    if let Ok(v) = HeaderValue::from_str(to) {
        res.headers_mut().insert(LOCATION, v);
    }
    res
}

/// Failure for a hand-written action, in the shape a server function's failure has.
pub fn refused(error: &AppError) -> Response {
    let mut res = error_response::json(error);
    res.headers_mut()
        .insert(ERROR_HEADER, HeaderValue::from_static("true"));
    res
}

/// The answer once the action has run.
pub(super) async fn outcome(
    state: &AppState,
    action: &Action,
    context: &Context,
    fields: Vec<(String, String)>,
    res: Response,
) -> Response {
    if !res.headers().contains_key(ERROR_HEADER) {
        return see_other_if_redirect(res, context.wants_html);
    }
    let (head, body) = res.into_parts();
    let body = to_bytes(body, ERROR_LIMIT).await.unwrap_or_default();
    let error: AppError = serde_json::from_slice(&body).unwrap_or(AppError::Internal);
    if !context.wants_html {
        return error_response::with_status(Response::from_parts(head, Body::from(body)), &error);
    }
    failure(state, action, context, fields, error).await
}

/// The answer to a refused post: its page again with the error and the typed text, or for
/// scripts the error as JSON with its status.
pub(super) async fn failure(
    state: &AppState,
    action: &Action,
    context: &Context,
    fields: Vec<(String, String)>,
    error: AppError,
) -> Response {
    if !context.wants_html {
        return error_response::json(&error);
    }
    let page = shown_on(action, context, &fields);
    let echo = FormEcho::failed(action.path, fields, error.clone());
    let res = render_page(state, &page, context.cookies.clone(), echo).await;
    error_response::with_status(res, &error)
}

/// The page a failed post is shown on: where the form was (its Referer), else where the
/// action's declaration says.
fn shown_on(action: &Action, context: &Context, fields: &[(String, String)]) -> String {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    let thread_id = field("thread_id").trim().parse::<i64>().ok();
    match (action.shown_on, thread_id) {
        (ShownOn::GuestLink, _) => page::guest_link(&url_safe(field("token"))),
        _ if context.referer_page.is_some() => context.referer_page.clone().unwrap_or_default(),
        (ShownOn::StaffThread, Some(id)) => page::staff_thread(id),
        (ShownOn::MemberThread, Some(id)) => page::member_thread(id),
        (ShownOn::Page(path), _) => path.to_string(),
        _ => page::HOME.to_string(),
    }
}

/// A token as it may appear in a path: URL-safe characters only.
fn url_safe(token: &str) -> String {
    token
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(128)
        .collect()
}

fn see_other_if_redirect(mut res: Response, wants_html: bool) -> Response {
    if wants_html && res.status() == StatusCode::FOUND && res.headers().contains_key(LOCATION) {
        *res.status_mut() = StatusCode::SEE_OTHER;
    }
    res
}

/// The path and query of a Referer on our own origin, without leftover error markers.
pub fn same_origin_path(state: &AppState, referer: Option<&str>) -> Option<String> {
    let url = url::Url::parse(referer?).ok()?;
    if url.origin().ascii_serialization() != state.config.origin() {
        return None;
    }
    // The inbox keeps its view (source, search, order, page); other pages only their path.
    let path = url.path();
    if !path.starts_with(page::INBOX) || path.contains("/threads/") {
        return Some(path.to_string());
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "notice")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    match serde_urlencoded::to_string(kept) {
        Ok(q) if !q.is_empty() => Some(format!("{path}?{q}")),
        _ => Some(path.to_string()),
    }
}

/// Renders the page at `path` for the poster, with the failed form's echo.
pub async fn render_page(
    state: &AppState,
    path: &str,
    cookies: Option<HeaderValue>,
    echo: FormEcho,
) -> Response {
    let mut req = Request::builder()
        .method(Method::GET)
        .uri(path)
        .header(ACCEPT, "text/html");
    if let Some(c) = cookies {
        req = req.header(COOKIE, c);
    }
    let Ok(req) = req.body(Body::empty()) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let ctx_state = state.clone();
    let options = state.leptos.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            leptos::prelude::provide_context(ctx_state.clone());
            leptos::prelude::provide_context(echo.clone());
        },
        move || crate::app::shell(options.clone()),
    );
    handler(req).await
}
