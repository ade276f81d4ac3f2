//! The listener against slow and greedy clients, over real sockets: headers that never
//! finish, bodies that trickle, too many connections from one address; other clients
//! are served meanwhile.
use crate::support;

use std::time::{Duration, Instant};

use app::backend::web::listener::{self, Limits};
use app::backend::web::paced_body::Pace;
use app::backend::web::router::router;
use support::{app_state, each_backend};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

fn limits() -> Limits {
    Limits {
        header_timeout: Duration::from_millis(800),
        pace: Pace {
            idle: Duration::from_millis(800),
            grace: Duration::from_millis(600),
            min_rate: 1000,
        },
        per_client: 4,
        drain: Duration::from_secs(2),
    }
}

/// Starts the listener; returns its address and a handle that stops it.
async fn start(
    db: app::backend::db::Db,
) -> (std::net::SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let socket = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = socket.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let app = router(app_state(db));
    tokio::spawn(listener::serve(socket, app, limits(), Vec::new(), async {
        let _ = stopped.await;
    }));
    (addr, stop)
}

/// Reads until the server closes the connection (or 5 s pass); returns what came and when.
async fn read_to_close(stream: &mut TcpStream) -> (String, Duration) {
    let started = Instant::now();
    let mut got = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut got)).await;
    (
        String::from_utf8_lossy(&got).into_owned(),
        started.elapsed(),
    )
}

async fn healthy(addr: std::net::SocketAddr) -> bool {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    read_to_close(&mut s).await.0.starts_with("HTTP/1.1 200")
}

#[test]
fn headers_that_never_finish_are_cut_off_and_others_are_served_meanwhile() {
    support::run(each_backend(|t| async move {
        let (addr, _stop) = start(t.db.clone()).await;
        let mut slow = TcpStream::connect(addr).await.unwrap();
        slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        let trickle = async {
            for _ in 0..20 {
                tokio::time::sleep(Duration::from_millis(200)).await;
                if slow.write_all(b"X").await.is_err() {
                    break;
                }
            }
        };
        let (_, ok) = tokio::join!(trickle, healthy(addr));
        assert!(ok, "a normal request waits for nobody");
        let (_, waited) = read_to_close(&mut slow).await;
        assert!(
            waited < Duration::from_secs(3),
            "still open after {waited:?}"
        );
    }));
}

#[test]
fn a_body_that_trickles_is_refused_within_the_grace() {
    support::run(each_backend(|t| async move {
        let (addr, _stop) = start(t.db.clone()).await;
        let mut slow = TcpStream::connect(addr).await.unwrap();
        slow.write_all(
            b"POST /actions/pigeon/guest/start HTTP/1.1\r\nHost: x\r\n\
              Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n",
        )
        .await
        .unwrap();
        let started = Instant::now();
        let mut answer = String::new();
        for _ in 0..40 {
            tokio::time::sleep(Duration::from_millis(150)).await;
            if slow.write_all(b"a").await.is_err() {
                break;
            }
            let mut buf = [0u8; 512];
            if let Ok(Ok(n)) =
                tokio::time::timeout(Duration::from_millis(1), slow.read(&mut buf)).await
            {
                answer = String::from_utf8_lossy(&buf[..n]).into_owned();
                break;
            }
        }
        assert!(started.elapsed() < Duration::from_secs(4));
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 4"),
            "{answer}"
        );
    }));
}

#[test]
fn one_address_holds_only_so_many_connections() {
    support::run(each_backend(|t| async move {
        let (addr, _stop) = start(t.db.clone()).await;
        let mut held = Vec::new();
        for _ in 0..limits().per_client {
            let mut s = TcpStream::connect(addr).await.unwrap();
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                .await
                .unwrap();
            let mut buf = [0u8; 64];
            assert!(s.read(&mut buf).await.unwrap() > 0);
            held.push(s);
        }
        let mut extra = TcpStream::connect(addr).await.unwrap();
        let _ = extra
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await;
        let (got, waited) = read_to_close(&mut extra).await;
        assert!(got.is_empty() && waited < Duration::from_secs(1), "{got}");
        drop(held.pop());
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(healthy(addr).await, "a freed place is taken again");
    }));
}
