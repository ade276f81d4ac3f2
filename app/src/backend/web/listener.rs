//! The HTTP listener `pigeon serve` runs: the router behind hyper, with the limits a public
//! server needs against slow or greedy clients. A request's headers must arrive within
//! `header_timeout`; its body may stall for at most `body_idle` and, after `grace`, must
//! keep up at least `min_rate` bytes a second on average; one client address holds at most
//! `per_client` connections at once (further ones are closed at once). A stop finishes the
//! requests in flight.
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use tokio::net::TcpListener;
use tower::ServiceExt;

use super::paced_body::{Pace, PacedBody};

/// The limits on each connection.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header_timeout: Duration,
    pub pace: Pace,
    pub per_client: usize,
    /// How long a stop waits for requests in flight.
    pub drain: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(10),
            pace: Pace::default(),
            per_client: 64,
            drain: Duration::from_secs(30),
        }
    }
}

/// Serves `app` on `listener` until `stop` completes, then drains. Connections from
/// `proxies` (trusted reverse proxies, which carry many clients) have no per-address cap.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    proxies: Vec<crate::backend::config::IpRange>,
    stop: impl std::future::Future<Output = ()>,
) {
    let open = Connections::default();
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of file descriptors, say: wait a moment rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        let most = if proxies.iter().any(|p| p.contains(peer.ip())) {
            usize::MAX
        } else {
            limits.per_client
        };
        let Some(slot) = open.take(peer.ip(), most) else {
            tracing::debug!(client = %peer.ip(), "too many connections from one address");
            continue;
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
            let mut req = req.map(|body| Body::new(PacedBody::new(body, limits.pace)));
            req.extensions_mut().insert(ConnectInfo(peer));
            app.clone().oneshot(req)
        });
        let mut builder = Builder::new(TokioExecutor::new());
        builder
            .http1()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout);
        let conn = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), service)
            .into_owned();
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(limits.drain) => {
            tracing::warn!("requests still running after the drain time; stopping anyway");
        }
    }
}

/// Open connections per client address.
#[derive(Clone, Default)]
struct Connections(Arc<Mutex<HashMap<IpAddr, usize>>>);

/// One connection's place in `Connections`, given back when dropped.
struct Slot {
    open: Connections,
    ip: IpAddr,
}

impl Connections {
    fn take(&self, ip: IpAddr, most: usize) -> Option<Slot> {
        let mut map = self.0.lock().ok()?;
        let n = map.entry(ip).or_insert(0);
        if *n >= most {
            return None;
        }
        *n += 1;
        Some(Slot {
            open: self.clone(),
            ip,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut map) = self.open.0.lock() {
            if let Some(n) = map.get_mut(&self.ip) {
                *n -= 1;
                if *n == 0 {
                    map.remove(&self.ip);
                }
            }
        }
    }
}
