//! The one path of every form action (`crate::routes::actions`), guest, member, staff and
//! account alike: the post is read by one extractor (`read`), files of a form that takes
//! them are streamed into the store, and the answer takes one shape (`answer`):
//!
//! - success: `303 See Other` for a browser without JavaScript, the result for scripts;
//! - failure: the form's page again with the message next to the field, the typed text
//!   kept and the error's 4xx (no JavaScript), or the error as JSON with its status and
//!   `Retry-After` (scripts and the hydrated app).
//!
//! The action itself is a server function (`crate::api`) or, for the forms other sites
//! embed, a handler in `web::guest_forms`; either way an adapter that calls one service.
mod answer;
mod read;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::Method;

pub use answer::{done, refused, render_page, same_origin_path};
pub use read::Posted;

use crate::backend::attachments::keep;
use crate::backend::attachments::upload::Uploads;
use crate::backend::state::AppState;
use crate::routes;

/// Middleware for every POST under `/actions/`.
pub async fn handle(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST || !req.uri().path().starts_with("/actions/") {
        return next.run(req).await;
    }
    // An unknown path goes on to the server functions' router, which answers 404.
    let Some(action) = routes::action(req.uri().path()) else {
        return next.run(req).await;
    };
    let post = match read::post(&state, action, req).await {
        Ok(post) => post,
        Err(res) => return res,
    };
    let context = post.context.clone();
    if let Some(error) = post.refused {
        keep::discard(&state, &post.files).await;
        return answer::failure(&state, action, &context, post.fields, error).await;
    }
    let mut req = Request::from_parts(post.head, Body::from(post.body));
    let files = std::sync::Arc::new(post.files);
    req.extensions_mut().insert(Uploads(files.clone()));
    req.extensions_mut().insert(Posted {
        fields: post.fields.clone(),
        context: context.clone(),
    });
    let res = next.run(req).await;
    // Files the action did not put on a message go at once.
    keep::discard(&state, &files).await;
    answer::outcome(&state, action, &context, post.fields, res).await
}
