//! Input and access rules that hold for every route (SPEC §8, §12, §13), through the real
//! router on both engines: statuses instead of 500s, control characters, yes/no fields,
//! who a member may learn of, one post per submission key, cross-site logins, pages for
//! visitors, a busy database.
use crate::support;

use app::backend::service::messages::post_message;
use app::backend::service::{guest, threads};
use app::model::thread::MessageKind;
use axum::body::Body;
use http::{header, Method, Request, StatusCode};
use support::http_client::{form_request, Browser, ORIGIN};
use support::{each_backend, make_admin, make_member, make_staff, staff, viewer, MANAGER};

const STAFF_REPLY: &str = "/actions/pigeon/admin/reply";
const MEMBER_REPLY: &str = "/actions/pigeon/messages/reply";
const LOGIN: &str = "/actions/pigeon/account/login";

async fn count(db: &app::backend::db::Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(db.reader())
        .await
        .unwrap()
}

/// Ann's support conversation "Billing", and Ada the admin logged in: (its id, her browser).
async fn billing_with_admin(db: &app::backend::db::Db) -> (i64, Browser) {
    let ann = viewer(db, make_member(db, "ann@example.com", "Ann").await).await;
    let id = threads::start_support(db, &ann, "Billing", "Help")
        .await
        .unwrap();
    make_admin(db).await;
    let mut b = Browser::new(db.clone());
    b.log_in("ada@example.com", "admin-password").await;
    (id, b)
}

#[test]
fn server_functions_called_without_a_session_answer_401_not_500() {
    support::run(each_backend(|t| async move {
        let mut b = Browser::new(t.db.clone());
        for path in [
            "/api/pigeon/admin/inbox",
            "/api/pigeon/threads/list",
            "/api/pigeon/admin/users",
            "/api/pigeon/admin/thread",
        ] {
            let r = b.post_js(path, &[("id", "1")]).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}: {}", r.body);
        }
    }));
}

#[test]
fn malformed_bodies_to_server_functions_are_4xx() {
    support::run(each_backend(|t| async move {
        make_admin(&t.db).await;
        let mut b = Browser::new(t.db.clone());
        b.log_in("ada@example.com", "admin-password").await;
        let deep = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
        let huge = format!("body={}", "a".repeat(5 * 1024 * 1024));
        let cases: Vec<(&str, &str, String)> = vec![
            (
                "/api/pigeon/guest/thread",
                "application/x-www-form-urlencoded",
                "token[]=a".into(),
            ),
            (
                "/api/pigeon/admin/thread",
                "application/json",
                "{\"id\": 1}".into(),
            ),
            ("/api/pigeon/admin/thread", "application/json", deep),
            (
                "/api/pigeon/admin/thread",
                "application/x-www-form-urlencoded",
                "id=x".into(),
            ),
            (
                "/api/pigeon/admin/inbox",
                "application/x-www-form-urlencoded",
                huge,
            ),
            (
                "/actions/pigeon/admin/status",
                "application/json",
                "{\"thread_id\":[1]}".into(),
            ),
        ];
        for (path, content_type, body) in cases {
            let req = Request::builder()
                .method(Method::POST)
                .uri(path)
                .header(header::CONTENT_TYPE, content_type)
                .header(header::ORIGIN, ORIGIN)
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap();
            let r = b.send(req).await;
            assert!(
                r.status.is_client_error(),
                "{path} {content_type}: {}",
                r.status
            );
        }
    }));
}

#[test]
fn control_characters_are_refused_in_every_text_field_with_the_text_kept() {
    support::run(each_backend(|t| async move {
        let ann_id = make_member(&t.db, "ann@example.com", "Ann").await;
        let ann = viewer(&t.db, ann_id).await;
        let id = threads::start_support(&t.db, &ann, "Billing", "Help")
            .await
            .unwrap();
        make_admin(&t.db).await;
        let messages = count(&t.db, "SELECT COUNT(*) FROM messages").await;
        let mut b = Browser::new(t.db.clone());
        b.log_in("ann@example.com", "member-password").await;
        let page = format!("/pigeon/threads/{id}");
        let r = b
            .post_form(
                &page,
                MEMBER_REPLY,
                &[("thread_id", &id.to_string()), ("body", "Hi\u{0}there")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("Hi\u{fffd}there"),
            "the typed text is shown back"
        );
        let r = b
            .post_js(
                MEMBER_REPLY,
                &[("thread_id", &id.to_string()), ("body", "a\u{1b}[31m")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            count(&t.db, "SELECT COUNT(*) FROM messages").await,
            messages
        );
        // Tabs and line breaks are text.
        let r = b
            .post_js(
                MEMBER_REPLY,
                &[("thread_id", &id.to_string()), ("body", "a\tb\r\nc")],
            )
            .await;
        assert!(r.status.is_success(), "{}", r.status);

        let mut visitor = Browser::new(t.db.clone());
        let r = visitor
            .post_form(
                "/login",
                LOGIN,
                &[("email", "ann\u{0}@example.com"), ("password", "x")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let mut admin = Browser::new(t.db.clone());
        admin.log_in("ada@example.com", "admin-password").await;
        for path in [
            "/admin/users?q=a%00b",
            "/admin/pigeon?q=%00",
            "/api/pigeon/members/find?q=%01",
        ] {
            let r = admin.get(path).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        }
        let r = admin
            .post_js(
                "/actions/pigeon/admin/settings",
                &[("site_name", "Acme\u{0}")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let guest = Browser::new(t.db.clone())
            .send(
                form_request("/actions/pigeon/guest/start", &[], "application/json")
                    .body(Body::from("email=g%40example.com&body=hi%00"))
                    .unwrap(),
            )
            .await;
        assert_eq!(guest.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            count(&t.db, "SELECT COUNT(*) FROM messages").await,
            messages + 1
        );
    }));
}

#[test]
fn yes_no_fields_take_every_usual_spelling_and_refuse_the_rest() {
    support::run(each_backend(|t| async move {
        let (id, mut b) = billing_with_admin(&t.db).await;
        let tid = id.to_string();
        for yes in ["1", "yes", "TRUE", "on"] {
            let r = b
                .post_js(
                    STAFF_REPLY,
                    &[
                        ("thread_id", &tid),
                        ("body", yes),
                        ("is_internal_note", yes),
                    ],
                )
                .await;
            assert!(r.status.is_success(), "{yes}: {}", r.body);
        }
        let r = b
            .post_js(
                STAFF_REPLY,
                &[
                    ("thread_id", &tid),
                    ("body", "?"),
                    ("is_internal_note", "maybe"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            count(&t.db, "SELECT COUNT(*) FROM messages WHERE kind = 'note'").await,
            4,
            "every spelling of yes made a note"
        );
        assert_eq!(messages(&t.db).await, 1, "nothing reached the customer");
    }));
}

#[test]
fn a_member_never_learns_who_only_wrote_internal_notes() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        let id = threads::start_support(&t.db, &ann, "Billing", "Help")
            .await
            .unwrap();
        let nora = make_staff(&t.db, "nora@example.com", "Nora Whisper", MANAGER).await;
        post_message(&t.db, id, staff(&nora), MessageKind::Note, "Checking", None)
            .await
            .unwrap();
        // Nora reads the customer's message: her mark would show as a receipt.
        app::backend::service::read_state::mark_read(&t.db, nora.id, id)
            .await
            .unwrap();
        let mut b = Browser::new(t.db.clone());
        b.log_in("ann@example.com", "member-password").await;
        let page = b.get(&format!("/pigeon/threads/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.body.contains("Nora"),
            "page or hydration data names her"
        );
        let json = b.get(&format!("/api/pigeon/v1/threads/{id}")).await;
        assert!(!json.body.contains("Nora"), "{}", json.body);
        // Once she writes to Ann, Ann knows her.
        post_message(&t.db, id, staff(&nora), MessageKind::Message, "Fixed", None)
            .await
            .unwrap();
        assert!(b
            .get(&format!("/pigeon/threads/{id}"))
            .await
            .body
            .contains("Nora Whisper"));
    }));
}

#[test]
fn a_link_scanner_opening_a_guest_link_marks_nothing_read() {
    support::run(each_backend(|t| async move {
        let sam = make_staff(&t.db, "sam@example.com", "Sam", MANAGER).await;
        let form = guest::check_contact(&guest::ContactForm {
            name: "Gus".into(),
            email: "gus@example.com".into(),
            body: "Hello".into(),
            ..Default::default()
        })
        .unwrap();
        let id = guest::start(&t.db, &form, &[]).await.unwrap();
        post_message(&t.db, id, staff(&sam), MessageKind::Message, "Answer", None)
            .await
            .unwrap();
        let (pid,): (i64,) =
            sqlx::query_as("SELECT id FROM participants WHERE guest_email IS NOT NULL")
                .fetch_one(t.db.reader())
                .await
                .unwrap();
        let token = app::backend::auth::links::mint_guest_link(&t.db, id, pid, 30)
            .await
            .unwrap();
        let mark = || {
            count(
                &t.db,
                "SELECT last_read_message_id FROM participants WHERE guest_email IS NOT NULL",
            )
        };
        let before = mark().await;
        let mut scanner = Browser::new(t.db.clone());
        for method in [Method::HEAD, Method::GET] {
            let req = Request::builder()
                .method(method)
                .uri(format!("/pigeon/t/{token}"))
                .header(
                    header::USER_AGENT,
                    "Mozilla/5.0 (compatible; SafeLinks scanner)",
                )
                .header("sec-fetch-dest", "document")
                .body(Body::empty())
                .unwrap();
            assert!(scanner.send(req).await.status.is_success());
        }
        assert_eq!(mark().await, before, "the scanner marked the answer read");
        let r = scanner
            .post_js("/api/pigeon/guest/seen", &[("token", &token)])
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(mark().await > before, "the page's own call marks it read");
    }));
}

/// Visible messages in every thread.
async fn messages(db: &app::backend::db::Db) -> i64 {
    count(db, "SELECT COUNT(*) FROM messages WHERE kind = 'message'").await
}

/// A reply form's fields, owned: thread, text, submission key.
fn reply_form(id: i64, body: &str, key: &str) -> Vec<(&'static str, String)> {
    vec![
        ("thread_id", id.to_string()),
        ("body", body.to_string()),
        ("submission_key", key.to_string()),
    ]
}

fn borrowed<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[test]
fn a_repeated_submission_key_stores_one_message_and_answers_like_the_first() {
    support::run(each_backend(|t| async move {
        const KEY: &str = "0123456789abcdef0123456789abcdef";
        let (id, mut b) = billing_with_admin(&t.db).await;
        let before = messages(&t.db).await;
        let outbox = count(&t.db, "SELECT COUNT(*) FROM outbox").await;
        let once = reply_form(id, "Once", KEY);
        let page = format!("/admin/pigeon/threads/{id}");
        let mut other = Browser::new(t.db.clone());
        other.session = b.session.clone();
        let fields = borrowed(&once);
        let (a, b2) = tokio::join!(
            b.post_form(&page, STAFF_REPLY, &fields),
            other.post_form(&page, STAFF_REPLY, &fields)
        );
        assert_eq!(a.status, StatusCode::SEE_OTHER);
        assert_eq!((b2.status, b2.location()), (a.status, a.location()));
        assert_eq!(messages(&t.db).await, before + 1);
        assert_eq!(
            count(&t.db, "SELECT COUNT(*) FROM outbox").await,
            outbox + 1
        );
        let member_page = format!("/pigeon/threads/{id}");
        let mut ann = Browser::new(t.db.clone());
        ann.log_in("ann@example.com", "member-password").await;
        // The same key from another author is another submission.
        let r = ann
            .post_form(&member_page, MEMBER_REPLY, &borrowed(&once))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(messages(&t.db).await, before + 2);
        // A page restored by the back button sends its used key with new text: a new message.
        let again = reply_form(id, "Another thing", KEY);
        let r = ann
            .post_form(&member_page, MEMBER_REPLY, &borrowed(&again))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(messages(&t.db).await, before + 3);
        let bad = reply_form(id, "x", "../../x");
        let r = ann.post_js(MEMBER_REPLY, &borrowed(&bad)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }));
}

#[test]
fn a_cross_site_login_or_registration_is_refused() {
    support::run(each_backend(|t| async move {
        make_member(&t.db, "ann@example.com", "Ann").await;
        let mut b = Browser::new(t.db.clone());
        for (path, body) in [
            (LOGIN, "email=ann%40example.com&password=member-password"),
            (
                "/actions/pigeon/account/register",
                "name=M&email=m%40example.com&password=longenough1",
            ),
        ] {
            let req = form_request(path, &[], "text/html")
                .header(header::ORIGIN, "https://evil.example")
                .header("sec-fetch-site", "cross-site")
                .body(Body::from(body))
                .unwrap();
            let r = b.send(req).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
            assert!(b.session.is_none());
        }
    }));
}

#[test]
fn visitors_are_sent_to_log_in_and_come_back_where_they_were() {
    support::run(each_backend(|t| async move {
        make_member(&t.db, "ann@example.com", "Ann").await;
        let mut b = Browser::new(t.db.clone());
        for path in [
            "/pigeon/threads",
            "/admin/pigeon?source=open",
            "/pigeon/threads/7",
        ] {
            let r = b.get(path).await;
            assert!(r.status.is_redirection(), "{path}: {}", r.status);
            let expected = format!("/login?next={}", urlencode(path));
            assert_eq!(r.location(), expected);
        }
        let r = b
            .post_form(
                "/login?next=%2Fpigeon%2Fthreads",
                LOGIN,
                &[
                    ("email", "ann@example.com"),
                    ("password", "member-password"),
                    ("next", "/pigeon/threads"),
                ],
            )
            .await;
        assert_eq!(r.location(), "/pigeon/threads");
        let r = Browser::new(t.db.clone())
            .post_form(
                "/login",
                LOGIN,
                &[
                    ("email", "ann@example.com"),
                    ("password", "member-password"),
                    ("next", "//evil.example/"),
                ],
            )
            .await;
        assert_eq!(r.location(), "/?notice=welcome");
        assert_eq!(
            b.get("/pigeon/t/not-a-real-link").await.status,
            StatusCode::NOT_FOUND
        );
    }));
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[test]
fn a_locked_database_answers_503_with_retry_after_and_the_text_kept() {
    support::run(each_backend(|t| async move {
        let (id, mut b) = billing_with_admin(&t.db).await;
        // Another process holds the write lock (SQLite) or the thread's row (PostgreSQL).
        let other = t.second_pool().await;
        let mut holder = other.reader().acquire().await.unwrap();
        let lock = if t.db.backend() == app::backend::db::Backend::Sqlite {
            "BEGIN IMMEDIATE".to_string()
        } else {
            format!("BEGIN; SELECT id FROM threads WHERE id = {id} FOR UPDATE")
        };
        sqlx::raw_sql(&lock).execute(&mut *holder).await.unwrap();
        let page = format!("/admin/pigeon/threads/{id}");
        let r = b
            .post_form(
                &page,
                STAFF_REPLY,
                &[("thread_id", &id.to_string()), ("body", "Kept words")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
        assert!(r.header("retry-after").parse::<u64>().is_ok());
        assert!(r.body.contains("Kept words"));
        sqlx::raw_sql("ROLLBACK")
            .execute(&mut *holder)
            .await
            .unwrap();
        drop(holder);
        other.close().await;
        let r = b
            .post_form(
                &page,
                STAFF_REPLY,
                &[("thread_id", &id.to_string()), ("body", "Kept words")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }));
}

#[test]
fn the_confirmation_repeats_nothing_typed_and_an_address_gets_at_most_five_a_day() {
    support::run(each_backend(|t| async move {
        for i in 0..7 {
            let mut b = Browser::new(t.db.clone()).at_ip(&format!("192.0.2.{}", 10 + i));
            let r = b
                .post_form(
                    "/contact",
                    "/actions/pigeon/guest/start",
                    &[
                        ("name", "Your bank"),
                        ("email", "victim@example.com"),
                        ("subject", "Account locked"),
                        ("body", "Log in at https://evil.example/login now"),
                    ],
                )
                .await;
            assert_eq!(
                r.status,
                StatusCode::SEE_OTHER,
                "the same neutral answer ({i})"
            );
        }
        assert_eq!(
            count(&t.db, "SELECT COUNT(*) FROM threads").await,
            7,
            "nothing is lost"
        );
        let emails = support::mail::deliver(&t.db).await;
        let to_victim: Vec<_> = emails.iter().filter(|e| e.to.contains("victim@")).collect();
        assert_eq!(to_victim.len(), 5, "at most five a day");
        for e in to_victim {
            for part in [&e.text, &e.html, &e.to, &e.subject] {
                assert!(
                    !part.contains("evil.example") && !part.contains("Your bank"),
                    "{part}"
                );
            }
            assert!(e.subject.contains("Account locked"));
        }
    }));
}

#[test]
fn names_and_file_names_lose_bidirectional_controls() {
    support::run(each_backend(|t| async move {
        let mut b = Browser::new(t.db.clone());
        let r = b
            .post_files(
                "/contact",
                "/actions/pigeon/guest/start",
                &[
                    ("name", "Gus\u{202e}reversed"),
                    ("email", "gus@example.com"),
                    ("subject", "\u{2066}Invoice\u{2069}"),
                    ("body", "See the file"),
                ],
                &[("invoice\u{202e}fdp.txt", b"plain words")],
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let (name, subject): (String, String) =
            sqlx::query_as("SELECT started_by_name, subject FROM threads")
                .fetch_one(t.db.reader())
                .await
                .unwrap();
        assert_eq!(
            (name.as_str(), subject.as_str()),
            ("Gusreversed", "Invoice")
        );
        let file: String = sqlx::query_scalar("SELECT file_name FROM attachments")
            .fetch_one(t.db.reader())
            .await
            .unwrap();
        assert_eq!(file, "invoicefdp.txt");
    }));
}

#[test]
fn a_password_over_the_cap_is_refused_before_any_hashing() {
    support::run(each_backend(|t| async move {
        make_member(&t.db, "ann@example.com", "Ann").await;
        let huge = "p".repeat(1_000_000);
        let mut b = Browser::new(t.db.clone());
        let r = b
            .post_js(LOGIN, &[("email", "ann@example.com"), ("password", &huge)])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = b
            .post_form(
                "/register",
                "/actions/pigeon/account/register",
                &[
                    ("name", "Mo"),
                    ("email", "mo@example.com"),
                    ("password", &"p".repeat(1025)),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("at most 1024 bytes"), "the rule is named");
    }));
}
