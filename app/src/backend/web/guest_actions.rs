//! The guest actions: the contact form, a reply through a private link, and asking for a
//! fresh link. Plain form posts that work without JavaScript and from other sites (the
//! contact form can be embedded anywhere), with the honeypot, the guest rate limits and a
//! re-rendered form that keeps the typed text on any error.
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use http::header::{ACCEPT, CONTENT_TYPE, COOKIE, LOCATION, REFERER};
use http::{HeaderValue, StatusCode};

use super::client_ip::ClientIp;
use super::error_response;
use super::form_fallback::{render_page, same_origin_path};
use crate::backend::attachments::upload::{self, Uploaded};
use crate::backend::service::guest::{self, ContactForm};
use crate::backend::service::messages::Draft;
use crate::backend::service::rate_limit::{self, Limit};
use crate::backend::service::settings::{self, Settings};
use crate::backend::service::validate;
use crate::backend::state::AppState;
use crate::error::AppError;
use crate::model::form_echo::FormEcho;

/// Action paths.
pub const START: &str = "/actions/pigeon/guest/start";
pub const REPLY: &str = "/actions/pigeon/guest/reply";
pub const REQUEST_LINK: &str = "/actions/pigeon/guest/request-link";

/// Largest guest form body.
const FORM_LIMIT: usize = 256 * 1024;

/// A parsed guest form post.
struct Post {
    fields: Vec<(String, String)>,
    /// Files stored for the post (multipart forms), not yet on a message.
    files: Vec<Uploaded>,
    /// Why the post was refused while it was read (a file broke a rule).
    refused: Option<AppError>,
    ip: String,
    wants_html: bool,
    referer_page: Option<String>,
    cookies: Option<HeaderValue>,
}

impl Post {
    async fn read(state: &AppState, req: Request) -> Result<Post, Response> {
        let headers = req.headers().clone();
        let ip = req
            .extensions()
            .get::<ClientIp>()
            .map(|c| c.0.clone())
            .unwrap_or_else(|| "unknown".into());
        let header = |name| {
            headers
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
        };
        let wants_html = header(ACCEPT).is_none_or(|v| v.contains("text/html") || v == "*/*");
        let urlencoded = header(CONTENT_TYPE)
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        let referer_page = same_origin_path(state, header(REFERER));
        let cookies = headers.get(COOKIE).cloned();
        let mut post = Post {
            fields: Vec::new(),
            files: Vec::new(),
            refused: None,
            ip,
            wants_html,
            referer_page,
            cookies,
        };
        if upload::is_multipart(header(CONTENT_TYPE)) {
            let sender = format!("ip:{}", post.ip);
            match upload::read(state, &headers, req.into_body(), &sender).await {
                Ok(form) => {
                    post.fields = form.fields;
                    post.files = form.files;
                }
                Err(refused) => {
                    post.fields = refused.fields;
                    post.refused = Some(refused.error);
                }
            }
            post.refused = post
                .refused
                .or_else(|| validate::control_characters(&post.fields));
            return Ok(post);
        }
        let bytes = match to_bytes(req.into_body(), FORM_LIMIT).await {
            Ok(b) => b,
            Err(_) => {
                return Err((
                    StatusCode::PAYLOAD_TOO_LARGE,
                    AppError::PayloadTooLarge.to_string(),
                )
                    .into_response())
            }
        };
        if !urlencoded {
            return Err((
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Send the form as application/x-www-form-urlencoded or multipart/form-data.",
            )
                .into_response());
        }
        post.fields =
            serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes).map_err(|_| {
                (StatusCode::BAD_REQUEST, "The form could not be read.").into_response()
            })?;
        post.refused = validate::control_characters(&post.fields);
        Ok(post)
    }

    /// Deletes the post's files that no message took (a refused or dropped post).
    async fn release(&self, state: &AppState) {
        upload::discard(state, &self.files).await;
    }

    fn get(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// A robot filled in the hidden field.
    fn is_robot(&self, settings: &Settings) -> bool {
        settings.honeypot_enabled && !self.get(&settings.honeypot_field).trim().is_empty()
    }

    /// The answer to a failed post: JSON with its status, or the form's page again with the
    /// typed text and the message.
    async fn refuse(
        &self,
        state: &AppState,
        action: &str,
        page: String,
        error: AppError,
    ) -> Response {
        if !self.wants_html {
            return error_response::json(&error);
        }
        let echo = FormEcho::failed(action, self.fields.clone(), error.clone());
        let res = render_page(state, &page, self.cookies.clone(), echo).await;
        error_response::with_status(res, &error)
    }

    /// Success: a redirect for browsers, JSON for scripts (with the page to go to in
    /// `Location`, for the page's own upload script).
    fn done(&self, to: &str, json: &'static str) -> Response {
        let mut res = if self.wants_html {
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
}

fn guest_limit(s: &Settings) -> Limit {
    Limit {
        max: s.rate_limit_max,
        window_s: s.rate_limit_window_s,
    }
}

fn ip_bucket(action: &str, ip: &str) -> String {
    format!("guest-{action}:ip:{ip}")
}

fn address_bucket(action: &str, email: &str) -> String {
    format!("guest-{action}:email:{}", email.trim().to_lowercase())
}

/// Counts a guest post from a client address.
async fn per_ip(state: &AppState, s: &Settings, action: &str, ip: &str) -> Result<(), AppError> {
    rate_limit::check(&state.db, &ip_bucket(action, ip), guest_limit(s)).await
}

/// Counts a guest post for an email address.
async fn per_address(
    state: &AppState,
    s: &Settings,
    action: &str,
    email: &str,
) -> Result<(), AppError> {
    rate_limit::check(&state.db, &address_bucket(action, email), guest_limit(s)).await
}

/// `POST /actions/pigeon/guest/start`: the contact form.
pub async fn start(State(state): State<AppState>, req: Request) -> Response {
    let post = match Post::read(&state, req).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let page = post
        .referer_page
        .clone()
        .unwrap_or_else(|| "/contact".into());
    let outcome = async {
        if let Some(e) = post.refused.clone() {
            return Err(e);
        }
        let s = settings::load(&state.db).await?;
        if post.is_robot(&s) {
            tracing::info!("contact form honeypot filled; dropped");
            return Ok(());
        }
        if !s.allow_guest_threads {
            return Err(AppError::invalid("", CLOSED));
        }
        let form = match guest::check_contact(&ContactForm {
            name: post.get("name"),
            email: post.get("email"),
            subject: post.get("subject"),
            body: post.get("body"),
            submission_key: post.get("submission_key"),
        }) {
            Ok(form) => form,
            Err(e) => {
                // A refused form counts against the client address too.
                per_ip(&state, &s, "start", &post.ip).await?;
                return Err(e);
            }
        };
        // A good one is counted in the transaction that stores it.
        let limits = [
            (ip_bucket("start", &post.ip), guest_limit(&s)),
            (address_bucket("start", &form.email), guest_limit(&s)),
        ];
        guest::start_with_files(&state.db, &form, &limits, &post.files)
            .await
            .map(|_| ())
    }
    .await;
    post.release(&state).await;
    match outcome {
        // Never the thread or a link: those go only to the address given.
        Ok(()) => post.done("/contact/sent", "{\"status\":\"received\"}"),
        Err(e) => post.refuse(&state, START, page, e).await,
    }
}

/// The message when guests may not start conversations.
pub const CLOSED: &str =
    "The contact form is closed on this site at the moment. Please try again later.";

/// `POST /actions/pigeon/guest/reply`: a reply through a private link.
pub async fn reply(State(state): State<AppState>, req: Request) -> Response {
    let post = match Post::read(&state, req).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let token = post.get("token");
    let page = format!("/pigeon/t/{}", url_safe(&token));
    let outcome = async {
        if let Some(e) = post.refused.clone() {
            return Err(e);
        }
        let s = settings::load(&state.db).await?;
        if post.is_robot(&s) {
            return Ok(());
        }
        let body = post.get("body");
        let key = post.get("submission_key");
        // A refused reply (a dead link, a bad body) counts against the client address;
        // a good one is counted, per address too, in the transaction that stores it.
        let access = match guest::open_link(&state.db, &token).await {
            Ok(access) => access,
            Err(e) => return per_ip(&state, &s, "reply", &post.ip).await.and(Err(e)),
        };
        let limits = [
            (ip_bucket("reply", &post.ip), guest_limit(&s)),
            (
                address_bucket("reply", &access.guest_email),
                guest_limit(&s),
            ),
        ];
        let draft = Draft {
            body: &body,
            files: &post.files,
            key: Some(&key),
        };
        match guest::reply(&state.db, &access, draft, &limits).await {
            // Refused before its transaction began, so nothing was counted yet.
            Err(e @ AppError::Validation { .. }) => {
                per_ip(&state, &s, "reply", &post.ip).await.and(Err(e))
            }
            done => done,
        }
    }
    .await;
    post.release(&state).await;
    match outcome {
        Ok(()) => post.done(
            &format!("{page}?notice=reply-sent"),
            "{\"status\":\"sent\"}",
        ),
        Err(e) => post.refuse(&state, REPLY, page, e).await,
    }
}

/// `POST /actions/pigeon/guest/request-link`: fresh links by email. The same answer, at
/// once, whether or not the address has conversations: the lookup runs after the answer.
pub async fn request_link(State(state): State<AppState>, req: Request) -> Response {
    let post = match Post::read(&state, req).await {
        Ok(p) => p,
        Err(res) => return res,
    };
    let page = post
        .referer_page
        .clone()
        .unwrap_or_else(|| "/pigeon/request-link".into());
    let outcome = async {
        if let Some(e) = post.refused.clone() {
            return Err(e);
        }
        let s = settings::load(&state.db).await?;
        if post.is_robot(&s) {
            return Ok(());
        }
        let email = validate::email("email", &post.get("email"))?;
        per_ip(&state, &s, "link", &post.ip).await?;
        per_address(&state, &s, "link", &email).await?;
        let db = state.db.clone();
        tokio::spawn(async move {
            if let Err(e) = guest::request_links(&db, &email).await {
                tracing::warn!(error = %e, "queueing guest links failed");
            }
        });
        Ok(())
    }
    .await;
    post.release(&state).await;
    match outcome {
        Ok(()) => post.done(
            "/pigeon/request-link?notice=link-sent",
            "{\"status\":\"sent\"}",
        ),
        Err(e) => post.refuse(&state, REQUEST_LINK, page, e).await,
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
