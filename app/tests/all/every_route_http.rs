//! Every route the router knows (`router::known_routes`, so a new one is walked without
//! anyone listing it), sent hostile input with and without a session, on both engines: no
//! answer is a 5xx, and nothing a person wrote or owns changes.
use crate::support;

use app::backend::service::threads;
use app::backend::web::router::known_routes;
use axum::body::Body;
use http::{header, Method, Request};
use support::http_client::{Browser, ORIGIN};
use support::{each_backend, make_admin, make_member, viewer};

/// Bodies as (content type, bytes).
fn hostile_bodies() -> Vec<(&'static str, Vec<u8>)> {
    let form = "application/x-www-form-urlencoded";
    let json = "application/json";
    let deep = format!("{}1{}", "[".repeat(3000), "]".repeat(3000));
    vec![
        (form, Vec::new()),
        (
            form,
            b"thread_id=abc&id=-1&user_id=99999999999999999999&op=%FF".to_vec(),
        ),
        (
            form,
            b"thread_id[]=1&id[]=1&token[]=a&body[]=x&email[]=a".to_vec(),
        ),
        (
            form,
            b"thread_id=1&id=1&body=%00%01%1b&token=%00&email=a%00%40b.c&q=%7f".to_vec(),
        ),
        (form, b"body=\xff\xfe\xfd&name=\xc3\x28".to_vec()),
        (
            json,
            b"{\"thread_id\": \"x\", \"body\": [1, {\"a\": null}]}".to_vec(),
        ),
        (json, deep.into_bytes()),
        (json, b"{\"body\": \"\\u0000\"}".to_vec()),
        (
            "multipart/form-data; boundary=x",
            b"--x\r\nContent-Disposition: form-data\r\n\r\n".to_vec(),
        ),
        ("text/plain", vec![b'a'; 5 * 1024 * 1024]),
    ]
}

/// A path pattern with its parameters filled in.
fn concrete(pattern: &str, thread_id: i64) -> String {
    pattern
        .split('/')
        .map(|part| {
            if part.starts_with('{') || part.starts_with(':') || part.starts_with('*') {
                match part
                    .trim_start_matches(['{', ':', '*'])
                    .trim_end_matches('}')
                {
                    "id" => thread_id.to_string(),
                    "token" => "not-a-token%00".to_string(),
                    _ => "x%01y".to_string(),
                }
            } else {
                part.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Rows people wrote or own, which no refused request may change.
async fn snapshot(db: &app::backend::db::Db) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "threads",
        "messages",
        "participants",
        "outbox",
        "users",
        "settings",
        "attachments",
        "guest_tokens",
        "submissions",
    ] {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(db.reader())
            .await
            .unwrap();
        counts.push(n);
    }
    let (status, subject): (String, String) =
        sqlx::query_as("SELECT status, subject FROM threads ORDER BY id LIMIT 1")
            .fetch_one(db.reader())
            .await
            .unwrap();
    counts.push(status.len() as i64 + subject.len() as i64);
    counts
}

#[test]
fn every_route_answers_hostile_input_without_a_5xx_or_a_change() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        let id = threads::start_support(&t.db, &ann, "Billing", "Help")
            .await
            .unwrap();
        make_admin(&t.db).await;
        let routes = known_routes();
        assert!(routes.len() > 40, "the walk found {} routes", routes.len());
        let before = snapshot(&t.db).await;
        let mut admin = Browser::new(t.db.clone());
        let mut visitor = Browser::new(t.db.clone());
        let mut failures = Vec::new();
        for (method, pattern) in &routes {
            let path = concrete(pattern, id);
            for with_session in [false, true] {
                if with_session && admin.session.is_none() {
                    admin.log_in("ada@example.com", "admin-password").await;
                }
                let b = if with_session {
                    &mut admin
                } else {
                    &mut visitor
                };
                let requests: Vec<Request<Body>> = if *method == Method::GET {
                    ["", "?q=%00&cursor=%FF&source=x&sort=%01&kind[]=a&id=x"]
                        .iter()
                        .map(|q| {
                            Request::get(format!("{path}{q}"))
                                .header(header::ACCEPT, "text/html")
                                .body(Body::empty())
                                .unwrap()
                        })
                        .collect()
                } else {
                    hostile_bodies()
                        .into_iter()
                        .map(|(content_type, body)| {
                            Request::builder()
                                .method(method.clone())
                                .uri(&path)
                                .header(header::CONTENT_TYPE, content_type)
                                .header(header::ORIGIN, ORIGIN)
                                .header("sec-fetch-site", "same-origin")
                                .body(Body::from(body))
                                .unwrap()
                        })
                        .collect()
                };
                for req in requests {
                    let shown = format!("{} {} ({})", req.method(), req.uri(), with_session);
                    let kind = req
                        .headers()
                        .get(header::CONTENT_TYPE)
                        .map(|v| v.to_str().unwrap_or("").to_string())
                        .unwrap_or_default();
                    let r = b.send(req).await;
                    if r.status.is_server_error() {
                        failures.push(format!("{shown} [{kind}]: {} {}", r.status, r.body));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert_eq!(
            snapshot(&t.db).await,
            before,
            "a refused request changed data"
        );
    }));
}
