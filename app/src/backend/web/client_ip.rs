//! The client's address, taken from the socket.
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::backend::config::IpRange;
use crate::backend::state::AppState;

/// The address rate limits are keyed on.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

/// Middleware: records the client address as a request extension: the socket address, or,
/// when that is a trusted proxy, the nearest address in `X-Forwarded-For` that is not one.
pub async fn record(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let socket = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .collect();
    let ip = resolve(socket, &forwarded, &state.config.trusted_proxies)
        .map(|ip| ip.to_string())
        .unwrap_or_else(|| "unknown".to_string());
    req.extensions_mut().insert(ClientIp(ip));
    next.run(req).await
}

/// The client address from the socket and the `X-Forwarded-For` chain.
pub fn resolve(socket: Option<IpAddr>, forwarded: &[&str], trusted: &[IpRange]) -> Option<IpAddr> {
    let socket = socket?;
    let is_trusted = |ip: IpAddr| trusted.iter().any(|r| r.contains(ip));
    if !is_trusted(socket) {
        return Some(socket);
    }
    let mut client = socket;
    for hop in forwarded.iter().rev() {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !is_trusted(ip) {
                    break;
                }
            }
            // Garbage in the chain: stop at the last address known to be good.
            Err(_) => break,
        }
    }
    Some(client)
}

/// The client address of the current server function's request.
pub fn current() -> String {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<ClientIp>().map(|c| c.0.clone()))
        .unwrap_or_else(|| "unknown".to_string())
}

/// The client address recorded for a request.
pub fn of(req: &http::request::Parts) -> String {
    req.extensions
        .get::<ClientIp>()
        .map(|c| c.0.clone())
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let trusted = vec![IpRange::parse("10.0.0.0/8").unwrap()];
        let chain = ["203.0.113.9", "10.0.0.7"];
        assert_eq!(
            resolve(Some(proxy), &chain, &trusted),
            Some("203.0.113.9".parse().unwrap())
        );
        // From an untrusted socket the header is ignored: a spoofed value changes nothing.
        let direct: IpAddr = "198.51.100.1".parse().unwrap();
        assert_eq!(resolve(Some(direct), &chain, &trusted), Some(direct));
        // A client cannot push a fake address in front of the real one.
        let spoofed = ["1.2.3.4", "203.0.113.9"];
        assert_eq!(
            resolve(Some(proxy), &spoofed, &trusted),
            Some("203.0.113.9".parse().unwrap())
        );
        assert_eq!(resolve(Some(proxy), &["junk"], &trusted), Some(proxy));
    }
}
