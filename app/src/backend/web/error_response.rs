//! An error as an HTTP answer, the same way on every path: its status, `Retry-After` when it
//! says when to try again, and for scripts the error as JSON.
use axum::body::Body;
use axum::response::Response;
use http::header::{CONTENT_TYPE, RETRY_AFTER};
use http::{HeaderValue, StatusCode};

use crate::error::AppError;

/// `res` with the error's status and `Retry-After`.
pub fn with_status(mut res: Response, error: &AppError) -> Response {
    *res.status_mut() = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST);
    if let Some(seconds) = error.retry_after() {
        if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
            res.headers_mut().insert(RETRY_AFTER, v);
        }
    }
    res
}

/// The error as scripts and the hydrated app read it: the error's JSON with its status.
pub fn json(error: &AppError) -> Response {
    let mut res = Response::new(Body::from(serde_json::to_string(error).unwrap_or_default()));
    res.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    with_status(res, error)
}
