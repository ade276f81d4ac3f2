//! Drives the real router in memory, like a browser with or without JavaScript.
use axum::body::{to_bytes, Body};
use axum::Router;
use http::{header, HeaderMap, Method, Request, StatusCode};
use tower::ServiceExt;

use app::backend::db::Db;
use app::backend::web::router::router;

/// The public origin of the test state.
pub const ORIGIN: &str = "http://pigeon.test";

/// A response with its body read.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body's bytes as sent.
    pub raw: Vec<u8>,
}

impl Reply {
    /// The `Location` header, or "".
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// A header's value, or "".
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Every `Set-Cookie` header.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect()
    }
}

/// A browser-like client that keeps the session cookie.
pub struct Browser {
    app: Router,
    pub session: Option<String>,
    /// The socket address requests come from (none: unknown).
    pub peer: Option<std::net::SocketAddr>,
}

impl Browser {
    /// A client of a fresh router over `db`.
    pub fn new(db: Db) -> Self {
        Browser::with_state(super::app_state(db))
    }

    /// A client of a fresh router over a given state (e.g. with trusted proxies).
    pub fn with_state(state: app::backend::state::AppState) -> Self {
        Browser {
            app: router(state),
            session: None,
            peer: None,
        }
    }

    /// The same client, from another socket address.
    pub fn at_ip(mut self, ip: &str) -> Self {
        self.peer = Some(std::net::SocketAddr::new(ip.parse().unwrap(), 40000));
        self
    }

    /// Sends a request as it is built, adding the session cookie.
    pub async fn send(&mut self, mut req: Request<Body>) -> Reply {
        if let Some(peer) = self.peer {
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
        }
        if let Some(s) = &self.session {
            req.headers_mut().insert(
                header::COOKIE,
                format!("pigeon_session={s}").parse().unwrap(),
            );
        }
        let res = self.app.clone().oneshot(req).await.expect("router answers");
        let status = res.status();
        let headers = res.headers().clone();
        let body = to_bytes(res.into_body(), 16 * 1024 * 1024).await.unwrap();
        let reply = Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
            raw: body.to_vec(),
        };
        for c in reply.set_cookies() {
            if let Some(v) = c.strip_prefix("pigeon_session=") {
                let v = v.split(';').next().unwrap_or("");
                self.session = (!v.is_empty()).then(|| v.to_string());
            }
        }
        reply
    }

    /// Opens an event stream (`text/event-stream`) at `path`, with `Last-Event-ID` when
    /// given; the answer's status and its events as they come.
    pub async fn listen(
        &mut self,
        path: &str,
        last_event_id: Option<i64>,
    ) -> (StatusCode, EventStream) {
        let mut req = Request::get(path)
            .header(header::ACCEPT, "text/event-stream")
            .body(Body::empty())
            .unwrap();
        if let Some(id) = last_event_id {
            req.headers_mut()
                .insert("last-event-id", id.to_string().parse().unwrap());
        }
        if let Some(s) = &self.session {
            req.headers_mut().insert(
                header::COOKIE,
                format!("pigeon_session={s}").parse().unwrap(),
            );
        }
        let res = self.app.clone().oneshot(req).await.expect("router answers");
        let status = res.status();
        let stream = EventStream {
            body: res.into_body().into_data_stream(),
            buffer: String::new(),
        };
        (status, stream)
    }

    /// A page load.
    pub async fn get(&mut self, path: &str) -> Reply {
        let req = Request::get(path)
            .header(header::ACCEPT, "text/html")
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    /// A same-site HTML form post from `page`, as a browser without JavaScript sends it.
    pub async fn post_form(&mut self, page: &str, path: &str, fields: &[(&str, &str)]) -> Reply {
        let req = form_request(path, fields, "text/html")
            .header(header::ORIGIN, ORIGIN)
            .header("sec-fetch-site", "same-origin")
            .header(header::REFERER, format!("{ORIGIN}{page}"))
            .body(Body::from(serde_urlencoded::to_string(fields).unwrap()))
            .unwrap();
        self.send(req).await
    }

    /// A same-site post from the hydrated app (no HTML wanted).
    pub async fn post_js(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let req = form_request(path, fields, "application/json")
            .header(header::ORIGIN, ORIGIN)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(serde_urlencoded::to_string(fields).unwrap()))
            .unwrap();
        self.send(req).await
    }

    /// A same-site `multipart/form-data` post from `page` with files (name, file name,
    /// bytes) in `attachments[]`; `html`: as a browser without JavaScript, else as the
    /// hydrated app.
    pub async fn post_files(
        &mut self,
        page: &str,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &[u8])],
        html: bool,
    ) -> Reply {
        let (content_type, body) = multipart_body(fields, files);
        let req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, content_type)
            .header(header::CONTENT_LENGTH, body.len())
            .header(
                header::ACCEPT,
                if html {
                    "text/html"
                } else {
                    "application/json"
                },
            )
            .header(header::ORIGIN, ORIGIN)
            .header("sec-fetch-site", "same-origin")
            .header(header::REFERER, format!("{ORIGIN}{page}"))
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Logs in through the form; panics unless it succeeds.
    pub async fn log_in(&mut self, email: &str, password: &str) {
        let r = self
            .post_form(
                "/login",
                "/actions/pigeon/account/login",
                &[("email", email), ("password", password)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "login failed: {}", r.body);
        assert!(self.session.is_some(), "login set no session cookie");
    }
}

/// The start of a form post.
pub fn form_request(path: &str, _fields: &[(&str, &str)], accept: &str) -> http::request::Builder {
    Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, accept)
}

/// A multipart body as browsers send it: text fields, then each file as `attachments[]`.
pub fn multipart_body(fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    const BOUNDARY: &str = "----pigeon-test-boundary-7d1f";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (file_name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"attachments[]\"; \
                 filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// One server-sent event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentEvent {
    pub id: Option<i64>,
    pub event: String,
    pub data: String,
}

/// The events of an open stream.
pub struct EventStream {
    body: axum::body::BodyDataStream,
    buffer: String,
}

impl EventStream {
    /// The next event within `wait` (keep-alive comments skipped); None when the stream
    /// ended or nothing came.
    pub async fn next_within(&mut self, wait: std::time::Duration) -> Option<SentEvent> {
        use futures::StreamExt;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = SentEvent {
                    id: None,
                    event: "message".into(),
                    data: String::new(),
                };
                let mut any = false;
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        event.id = v.trim().parse().ok();
                        any = true;
                    } else if let Some(v) = line.strip_prefix("event:") {
                        event.event = v.trim().to_string();
                        any = true;
                    } else if let Some(v) = line.strip_prefix("data:") {
                        event.data.push_str(v.trim());
                        any = true;
                    }
                }
                if any {
                    return Some(event);
                }
            }
            match tokio::time::timeout_at(deadline, self.body.next()).await {
                Ok(Some(Ok(bytes))) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                _ => return None,
            }
        }
    }

    /// Whether the stream ends (the server closed it) within `wait`.
    pub async fn ends_within(&mut self, wait: std::time::Duration) -> bool {
        use futures::StreamExt;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.body.next()).await {
                Ok(None) => return true,
                Ok(Some(_)) => continue,
                Err(_) => return false,
            }
        }
    }
}
