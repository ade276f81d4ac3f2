//! Form posts without JavaScript: success answers `303 See Other`; a failure re-renders
//! the page the form came from, with the error shown, the typed text kept and a 4xx
//! status. Calls from the hydrated app get the error's real status (and `Retry-After`).
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, LOCATION, REFERER};
use http::{HeaderValue, Method, StatusCode};

use super::error_response;
use crate::backend::attachments::upload::{self, FormPost, Uploads};
use crate::backend::auth::session;
use crate::backend::service::validate;
use crate::backend::state::AppState;
use crate::error::AppError;
use crate::model::form_echo::FormEcho;

/// Largest form body read here (file uploads have their own limits).
const FORM_LIMIT: usize = 2 * 1024 * 1024;
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";

/// The guest actions' paths (`web::guest_actions`).
const GUEST_ACTIONS: &str = "/actions/pigeon/guest/";

/// Actions whose forms may carry files (`multipart/form-data`).
const UPLOAD_ACTIONS: &[&str] = &[
    "/actions/pigeon/threads/start",
    "/actions/pigeon/messages/reply",
    "/actions/pigeon/admin/reply",
];

/// Middleware for every POST under `/actions/`. A multipart post to an action that takes
/// files has its files stored first (see `attachments::upload`) and reaches the server
/// function as a plain form, the stored files in the request's extensions.
pub async fn handle(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST || !req.uri().path().starts_with("/actions/") {
        return next.run(req).await;
    }
    let accepts_html = header(&req, ACCEPT).is_some_and(|v| v.contains("text/html"));
    let action = req.uri().path().to_string();
    let back_to = same_origin_path(&state, header(&req, REFERER));
    let cookies = req.headers().get(COOKIE).cloned();
    let is_multipart = upload::is_multipart(header(&req, CONTENT_TYPE));
    // The guest actions read their own posts, files and all.
    if is_multipart && action.starts_with(GUEST_ACTIONS) {
        return next.run(req).await;
    }
    let is_urlencoded = is_multipart
        || header(&req, CONTENT_TYPE)
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let fail = |values: Vec<(String, String)>, error: AppError| {
        let echo = FormEcho::failed(&action, values, error);
        failure(&state, accepts_html, back_to.clone(), cookies.clone(), echo)
    };
    let (mut parts, body) = req.into_parts();
    let mut files = Vec::new();
    let bytes = if is_multipart {
        let post = match read_files(&state, &action, &parts, body).await {
            Ok(post) => post,
            Err((values, error)) => return fail(values, error).await,
        };
        files = post.files;
        parts.headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        parts
            .extensions
            .insert(Uploads(std::sync::Arc::new(files.clone())));
        serde_urlencoded::to_string(&post.fields)
            .unwrap_or_default()
            .into()
    } else {
        match to_bytes(body, FORM_LIMIT).await {
            Ok(b) => b,
            Err(_) => {
                return (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    AppError::PayloadTooLarge.to_string(),
                )
                    .into_response()
            }
        }
    };
    let bytes = match is_urlencoded.then(|| index_list_fields(&bytes)).flatten() {
        Some(rewritten) => rewritten.into(),
        None => bytes,
    };
    parts
        .headers
        .insert(CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let values = if is_urlencoded {
        form_fields(&bytes)
    } else {
        Vec::new()
    };
    if let Some(error) = validate::control_characters(&values) {
        upload::discard(&state, &files).await;
        return fail(values, error).await;
    }
    let res = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    // Files the action did not put on a message go at once.
    upload::discard(&state, &files).await;

    if !res.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return see_other_if_redirect(res, accepts_html);
    }
    let (head, body) = res.into_parts();
    let body = to_bytes(body, FORM_LIMIT).await.unwrap_or_default();
    let error: AppError = serde_json::from_slice(&body).unwrap_or(AppError::Internal);
    if !accepts_html {
        return error_response::with_status(Response::from_parts(head, Body::from(body)), &error);
    }
    fail(values, error).await
}

/// Stores the files of a multipart post to an action that takes them, for someone logged
/// in; on refusal, the text fields read and the reason.
async fn read_files(
    state: &AppState,
    action: &str,
    parts: &http::request::Parts,
    body: Body,
) -> Result<FormPost, (Vec<(String, String)>, AppError)> {
    if !UPLOAD_ACTIONS.contains(&action) {
        return Err((
            Vec::new(),
            AppError::invalid("", "This form cannot carry files."),
        ));
    }
    let nobody = |e: AppError| (Vec::new(), e);
    // Only people with an account store files through these actions.
    let Some(viewer) = session::viewer(state, &parts.headers)
        .await
        .map_err(nobody)?
    else {
        return Err(nobody(AppError::Unauthorized));
    };
    let sender = format!("user:{}", viewer.id);
    upload::read(state, &parts.headers, body, &sender)
        .await
        .map_err(|r| (r.fields, r.error))
}

/// The answer to a failed form: its page again with the error and the typed text, or for
/// scripts the error as JSON with its status.
async fn failure(
    state: &AppState,
    accepts_html: bool,
    back_to: Option<String>,
    cookies: Option<HeaderValue>,
    echo: FormEcho,
) -> Response {
    let error = echo.error.clone().unwrap_or(AppError::Internal);
    if !accepts_html {
        return error_response::json(&error);
    }
    let page = back_to.unwrap_or_else(|| default_page(&echo.action, &echo.values));
    let res = render_page(state, &page, cookies, echo).await;
    error_response::with_status(res, &error)
}

fn header(req: &Request, name: http::HeaderName) -> Option<&str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

fn form_fields(bytes: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes).unwrap_or_default()
}

/// Fields that carry a list of ids.
const LIST_FIELDS: &[&str] = &["recipients"];

/// A plain HTML form sends a list as `recipients=4&recipients=9`; the server functions read
/// it as `recipients[u4]=4&recipients[u9]=9` (a map: numeric keys would read as a list). Returns the rewritten body when anything changed.
fn index_list_fields(bytes: &[u8]) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes).ok()?;
    if !pairs.iter().any(|(k, _)| LIST_FIELDS.contains(&k.as_str())) {
        return None;
    }
    let rewritten: Vec<(String, String)> = pairs
        .into_iter()
        .map(|(k, v)| {
            if LIST_FIELDS.contains(&k.as_str()) {
                (format!("{k}[u{v}]"), v)
            } else {
                (k, v)
            }
        })
        .collect();
    serde_urlencoded::to_string(rewritten).ok()
}

fn see_other_if_redirect(mut res: Response, accepts_html: bool) -> Response {
    if accepts_html && res.status() == StatusCode::FOUND && res.headers().contains_key(LOCATION) {
        *res.status_mut() = StatusCode::SEE_OTHER;
    }
    res
}

/// The path and query of a Referer on our own origin, without leftover error markers.
pub(crate) fn same_origin_path(state: &AppState, referer: Option<&str>) -> Option<String> {
    let url = url::Url::parse(referer?).ok()?;
    if url.origin().ascii_serialization() != state.config.origin() {
        return None;
    }
    // The inbox keeps its view (source, search, order, page); other pages only their path.
    let path = url.path();
    if !path.starts_with("/admin/pigeon") || path.contains("/threads/") {
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

/// Where a form lives when the post did not say where it came from.
fn default_page(action: &str, values: &[(String, String)]) -> String {
    let thread_id = values
        .iter()
        .find(|(k, _)| k == "thread_id")
        .and_then(|(_, v)| v.parse::<i64>().ok());
    match (action.trim_start_matches("/actions/pigeon/"), thread_id) {
        ("account/login", _) => "/login".into(),
        ("account/register", _) => "/register".into(),
        ("account/forgot-password", _) => "/password/forgot".into(),
        (a, Some(id)) if a.starts_with("admin/") => format!("/admin/pigeon/threads/{id}"),
        (_, Some(id)) => format!("/pigeon/threads/{id}"),
        ("threads/start", None) => "/pigeon/threads".into(),
        _ => "/".into(),
    }
}

pub(crate) async fn render_page(
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

#[cfg(test)]
mod tests {
    use super::index_list_fields;

    #[test]
    fn repeated_list_fields_become_indexed_and_others_stay() {
        let out = index_list_fields(b"kind=direct&recipients=4&recipients=9&body=a%26b").unwrap();
        assert_eq!(
            out,
            "kind=direct&recipients%5Bu4%5D=4&recipients%5Bu9%5D=9&body=a%26b"
        );
        assert_eq!(index_list_fields(b"body=hello"), None);
    }
}
