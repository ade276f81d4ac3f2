//! The client's address, taken from the socket.
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request};
use axum::middleware::Next;
use axum::response::Response;

/// The address rate limits are keyed on.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

/// Middleware: records the client address as a request extension.
pub async fn record(mut req: Request, next: Next) -> Response {
    let ip = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string());
    req.extensions_mut().insert(ClientIp(ip));
    next.run(req).await
}

/// The client address of the current server function's request.
pub fn current() -> String {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<ClientIp>().map(|c| c.0.clone()))
        .unwrap_or_else(|| "unknown".to_string())
}
