//! The rules every request meets before a page or server function reads it (SPEC §13):
//! a query string or a server-function body whose text holds control characters is a 422;
//! a server-function body over the form limit is a 413; a body that is not a form or JSON
//! where one is expected is a 4xx. Server functions answer their errors with the error's
//! own status (and `Retry-After`), never the 500 the framework gives every error.
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::CONTENT_TYPE;
use http::Method;

use super::error_response;
use crate::backend::validate;
use crate::error::AppError;

/// Largest server-function body read (files go through the actions' own uploads).
const API_BODY_LIMIT: usize = 2 * 1024 * 1024;
/// The header server functions mark their errors with.
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";

/// Middleware for every request.
pub async fn handle(req: Request, next: Next) -> Response {
    if let Some(error) = query_error(req.uri().query()) {
        return refuse(error, wants_json(&req));
    }
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let req = if req.method() == Method::POST {
        match checked_body(req).await {
            Ok(req) => req,
            Err(error) => return refuse(error, true),
        }
    } else {
        req
    };
    with_error_status(next.run(req).await).await
}

/// A server function's error answer with the status its error stands for.
pub async fn with_error_status(res: Response) -> Response {
    if !res.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return res;
    }
    let (head, body) = res.into_parts();
    let body = to_bytes(body, API_BODY_LIMIT).await.unwrap_or_default();
    let error: AppError = serde_json::from_slice(&body).unwrap_or(AppError::Internal);
    error_response::with_status(Response::from_parts(head, Body::from(body)), &error)
}

fn query_error(query: Option<&str>) -> Option<AppError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query?).ok()?;
    validate::control_characters(&pairs)
}

/// Reads a server function's body within the limit and checks the text in it.
async fn checked_body(req: Request) -> Result<Request, AppError> {
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, API_BODY_LIMIT)
        .await
        .map_err(|_| AppError::PayloadTooLarge)?;
    let content_type = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("application/json") {
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|_| AppError::invalid("", "The request body is not valid JSON."))?;
        if json_has_control_characters(&value) {
            return Err(AppError::invalid("", crate::error::CONTROL_CHARACTERS));
        }
    } else if let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes) {
        if let Some(error) = validate::control_characters(&pairs) {
            return Err(error);
        }
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

fn json_has_control_characters(value: &serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::String(s) => validate::has_control_characters(s),
        Value::Array(items) => items.iter().any(json_has_control_characters),
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| validate::has_control_characters(k) || json_has_control_characters(v)),
        _ => false,
    }
}

fn wants_json(req: &Request) -> bool {
    req.uri().path().starts_with("/api/")
        || req
            .headers()
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("application/json"))
}

fn refuse(error: AppError, json: bool) -> Response {
    if json {
        error_response::json(&error)
    } else {
        error_response::with_status(error.to_string().into_response(), &error)
    }
}
