//! `POST /pigeon/unsubscribe/<participant>/<signature>`: the one-click unsubscribe of the
//! emails' `List-Unsubscribe` header (mail clients post it without a session), and the
//! button of the confirmation page. The `GET` of the same address only asks.
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::{header::ACCEPT, HeaderMap, StatusCode};

use crate::backend::mail::unsubscribe;
use crate::backend::service::threads;
use crate::backend::state::AppState;

/// Mutes the thread for that participant when the signature is right.
pub async fn one_click(
    State(state): State<AppState>,
    Path((participant_id, signature)): Path<(i64, String)>,
    headers: HeaderMap,
) -> Response {
    if !unsubscribe::verify(&state.config.secret, participant_id, &signature) {
        return (StatusCode::NOT_FOUND, "This unsubscribe link is not valid.").into_response();
    }
    match threads::mute_participant(&state.db, participant_id).await {
        Ok(true) => {}
        Ok(false) => {
            return (StatusCode::NOT_FOUND, "This conversation no longer exists.").into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "unsubscribe failed");
            return super::error_response::json(&e);
        }
    }
    let wants_page = headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if wants_page {
        Redirect::to(&format!(
            "/pigeon/unsubscribe/{participant_id}/{signature}?done=1"
        ))
        .into_response()
    } else {
        (StatusCode::OK, "Unsubscribed.").into_response()
    }
}
