//! The guest forms, which other sites may embed: the contact form, a reply through a
//! private link, and asking for fresh links. Adapters: each reads the post from the action
//! path (`web::actions`) and calls one service act, which owns the rules.
use axum::extract::State;
use axum::response::Response;
use axum::Extension;

use super::actions::{done, refused, Posted};
use crate::backend::attachments::upload::Uploads;
use crate::backend::service::guest::{self, GuestPost};
use crate::backend::state::AppState;
use crate::routes::page;

fn guest_post<'a>(posted: &'a Posted, uploads: &'a Uploads) -> GuestPost<'a> {
    GuestPost {
        fields: &posted.fields,
        ip: &posted.context.ip,
        files: &uploads.0,
    }
}

/// `routes::GUEST_START`: never answers with the thread or a link; those go only to the
/// address given.
pub async fn start(
    State(state): State<AppState>,
    Extension(posted): Extension<Posted>,
    Extension(uploads): Extension<Uploads>,
) -> Response {
    match guest::start_by_form(&state.db, guest_post(&posted, &uploads)).await {
        Ok(()) => done(&posted, page::CONTACT_SENT, "{\"status\":\"received\"}"),
        Err(e) => refused(&e),
    }
}

/// `routes::GUEST_REPLY`.
pub async fn reply(
    State(state): State<AppState>,
    Extension(posted): Extension<Posted>,
    Extension(uploads): Extension<Uploads>,
) -> Response {
    match guest::reply_by_link(&state.db, guest_post(&posted, &uploads)).await {
        Ok(token) => done(
            &posted,
            &format!("{}?notice=reply-sent", page::guest_link(&token)),
            "{\"status\":\"sent\"}",
        ),
        Err(e) => refused(&e),
    }
}

/// `routes::GUEST_REQUEST_LINK`.
pub async fn request_link(
    State(state): State<AppState>,
    Extension(posted): Extension<Posted>,
    Extension(uploads): Extension<Uploads>,
) -> Response {
    match guest::request_link_by_form(&state.db, guest_post(&posted, &uploads)).await {
        Ok(()) => done(
            &posted,
            &format!("{}?notice=link-sent", page::REQUEST_LINK),
            "{\"status\":\"sent\"}",
        ),
        Err(e) => refused(&e),
    }
}
