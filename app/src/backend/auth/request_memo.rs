//! What a page request reads once and uses many times. A page render runs several server
//! functions (the session for the header, then the page's own data), and each of them asks
//! who the viewer is and what the settings are. On a `GET` the first answer is kept in the
//! request for the others. Posts read afresh, since an action may change either.
use std::sync::Arc;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::{Extensions, HeaderMap, Method};
use tokio::sync::OnceCell;

use crate::backend::auth::session;
use crate::backend::db::Db;
use crate::backend::settings::{self, Settings};
use crate::backend::state::AppState;
use crate::error::AppError;
use crate::model::viewer::Viewer;

/// The values one page request has read.
#[derive(Clone, Default)]
pub struct RequestMemo(Arc<Kept>);

#[derive(Default)]
struct Kept {
    viewer: OnceCell<Option<Viewer>>,
    settings: OnceCell<Settings>,
}

/// Middleware: gives every `GET` and `HEAD` request its memo.
pub async fn install(mut req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD) {
        req.extensions_mut().insert(RequestMemo::default());
    }
    next.run(req).await
}

/// The viewer of a request, read once per page request.
pub async fn viewer(
    state: &AppState,
    headers: &HeaderMap,
    extensions: &Extensions,
) -> Result<Option<Viewer>, AppError> {
    match extensions.get::<RequestMemo>() {
        Some(memo) => memo
            .0
            .viewer
            .get_or_try_init(|| session::viewer(state, headers))
            .await
            .cloned(),
        None => session::viewer(state, headers).await,
    }
}

/// The settings, read once per page request (inside a server function or page render).
pub async fn settings(db: &Db) -> Result<Settings, AppError> {
    let memo = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestMemo>().cloned());
    match memo {
        Some(memo) => memo
            .0
            .settings
            .get_or_try_init(|| settings::load(db))
            .await
            .cloned(),
        None => settings::load(db).await,
    }
}
