//! Guest support through the real router and mail queue: the contact form, private links,
//! replies, request-link, the honeypot and the guest rate limits.
use crate::support;

use app::backend::config::IpRange;
use app::backend::db::{self, now_ms, Db};
use app::backend::service::messages::post_message;
use app::backend::service::{guest, threads};
use app::backend::settings;
use app::model::thread::{MessageKind, ThreadStatus};
use axum::body::Body;
use http::{header, Request, StatusCode};
use support::http_client::{Browser, Reply};
use support::mail::{deliver, Email};
use support::thread_of_subject;
use support::{app_state, each_backend, make_staff};
use support::{staff, MANAGER};

const START: &str = "/actions/pigeon/guest/start";
const REPLY: &str = "/actions/pigeon/guest/reply";
const REQUEST_LINK: &str = "/actions/pigeon/guest/request-link";

async fn write_in(b: &mut Browser, email: &str, subject: &str, body: &str) -> Reply {
    b.post_form(
        "/contact",
        START,
        &[
            ("name", "Gus Guest"),
            ("email", email),
            ("subject", subject),
            ("body", body),
            ("pigeon_hp", ""),
        ],
    )
    .await
}

async fn spoof(b: &mut Browser, client: &str, email: String) -> StatusCode {
    let req = Request::post(START)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .header("x-forwarded-for", client)
        .body(Body::from(format!("email={email}&body=Hi")))
        .unwrap();
    b.send(req).await.status
}

fn only_to<'a>(emails: &'a [Email], to: &str) -> Vec<&'a Email> {
    emails.iter().filter(|e| e.to == to).collect()
}

#[test]
fn a_guest_writes_in_and_only_the_email_carries_the_private_link() {
    support::run(each_backend(|t| async move {
        make_staff(&t.db, "sam@example.com", "Sam", MANAGER).await;
        let mut b = Browser::new(t.db.clone());
        let form = b.get("/contact").await;
        assert!(
            form.body.contains("name=\"pigeon_hp\"") && form.body.contains("aria-hidden=\"true\"")
        );
        let r = write_in(&mut b, "gus@example.com", "Broken <zip>", "It <b>fails</b>").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/contact/sent");
        assert!(!r.body.contains("/pigeon/t/"));
        let sent = b.get("/contact/sent").await;
        assert!(sent.body.contains("Message received") && !sent.body.contains("/pigeon/t/"));

        let emails = deliver(&t.db).await;
        let to_gus = only_to(&emails, "gus@example.com");
        assert_eq!(to_gus.len(), 1);
        assert!(to_gus[0]
            .subject
            .starts_with("We received your message: Broken <zip>"));
        // Sent to whatever address was typed: it repeats none of the message.
        assert!(!to_gus[0].html.contains("fails") && !to_gus[0].text.contains("fails"));
        assert!(to_gus[0].has_both_parts());
        assert!(to_gus[0].list_unsubscribe.is_some());
        assert_eq!(
            to_gus[0].list_unsubscribe_post.as_deref(),
            Some("List-Unsubscribe=One-Click"),
            "one-click unsubscribe (RFC 8058)"
        );
        assert_eq!(
            only_to(&emails, "sam@example.com").len(),
            1,
            "staff alerted"
        );

        let link = to_gus[0].link("/pigeon/t/");
        let mut guest = Browser::new(t.db.clone());
        let page = guest.get(&link).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Broken &lt;zip&gt;")
                && page.body.contains("It &lt;b&gt;fails&lt;/b&gt;")
        );
        assert_eq!(page.headers["referrer-policy"], "no-referrer");
        assert_eq!(page.headers["cache-control"], "no-store");
        let id = thread_of_subject(&t.db, "Broken <zip>").await;
        let thread = db::threads::find(t.db.reader(), id).await.unwrap().unwrap();
        assert_eq!(thread.status, ThreadStatus::Pending);
        assert_eq!(thread.started_by_name, "Gus Guest");
    }));
}

#[test]
fn the_contact_form_posted_from_another_site_works_without_a_cookie() {
    support::run(each_backend(|t| async move {
        let mut b = Browser::new(t.db.clone());
        let req = Request::post(START)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .header(header::ORIGIN, "https://shop.example")
            .header("sec-fetch-site", "cross-site")
            .body(Body::from(
                "email=gus%40example.com&body=Hello+from+the+shop",
            ))
            .unwrap();
        let r = b.send(req).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), "/contact/sent");
        let bad = Request::post(START)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "text/html")
            .header(header::ORIGIN, "https://shop.example")
            .header("sec-fetch-site", "cross-site")
            .body(Body::from("email=not-an-address&body=Keep+me"))
            .unwrap();
        let r = b.send(bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("Keep me") && r.body.contains("Contact us"),
            "our form again, text kept"
        );
    }));
}

#[test]
fn a_filled_honeypot_gets_the_usual_answer_and_nothing_is_stored_or_sent() {
    support::run(each_backend(|t| async move {
        let mut b = Browser::new(t.db.clone());
        let fields = [
            ("email", "bot@example.com"),
            ("body", "Buy now"),
            ("pigeon_hp", "http://spam.example"),
        ];
        let r = b.post_form("/contact", START, &fields).await;
        assert_eq!(
            (r.status, r.location()),
            (StatusCode::SEE_OTHER, "/contact/sent")
        );
        let threads: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM threads")
            .fetch_one(t.db.reader())
            .await
            .unwrap();
        assert_eq!(threads, 0);
        assert!(deliver(&t.db).await.is_empty());
        // A renamed honeypot: the new name traps, the old one is an ordinary unknown field.
        settings::set(&t.db, "honeypot_field", "website")
            .await
            .unwrap();
        assert!(b.get("/contact").await.body.contains("name=\"website\""));
        b.post_form(
            "/contact",
            START,
            &[
                ("email", "bot@example.com"),
                ("body", "x"),
                ("website", "y"),
            ],
        )
        .await;
        b.post_form(
            "/contact",
            START,
            &[
                ("email", "ok@example.com"),
                ("body", "Hi"),
                ("pigeon_hp", "z"),
            ],
        )
        .await;
        let threads: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM threads")
            .fetch_one(t.db.reader())
            .await
            .unwrap();
        assert_eq!(threads, 1);
    }));
}

#[test]
fn the_guest_limit_counts_per_client_address_and_per_email_address() {
    support::run(each_backend(|t| async move {
        settings::set(&t.db, "rate_limit_max", "3").await.unwrap();
        let mut a = Browser::new(t.db.clone()).at_ip("198.51.100.1");
        for i in 0..3 {
            let r = write_in(&mut a, &format!("g{i}@example.com"), "", "Hi").await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
        }
        let over = write_in(&mut a, "g9@example.com", "", "My long question").await;
        assert_eq!(over.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(over.headers.contains_key(header::RETRY_AFTER));
        assert!(over.body.contains("Too many attempts") && over.body.contains("My long question"));

        // Another client address, but an email address that already wrote three times.
        let mut b = Browser::new(t.db.clone()).at_ip("198.51.100.2");
        for _ in 0..3 {
            let r = write_in(&mut b, "same@example.com", "", "Hi").await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
        }
        let mut c = Browser::new(t.db.clone()).at_ip("198.51.100.3");
        let r = write_in(&mut c, "same@example.com", "", "Hi").await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "per email address");
        let json = c
            .post_js(START, &[("email", "new@example.com"), ("body", "Hi")])
            .await;
        assert_eq!(json.status, StatusCode::OK, "{}", json.body);
    }));
}

#[test]
fn x_forwarded_for_counts_only_from_a_trusted_proxy() {
    support::run(each_backend(|t| async move {
        settings::set(&t.db, "rate_limit_max", "2").await.unwrap();
        // Directly connected: the header is the client's own claim and changes nothing.
        let mut direct = Browser::new(t.db.clone()).at_ip("203.0.113.7");
        let mut statuses = Vec::new();
        for i in 0..3 {
            statuses.push(
                spoof(
                    &mut direct,
                    &format!("10.9.9.{i}"),
                    format!("d{i}%40example.com"),
                )
                .await,
            );
        }
        assert_eq!(
            statuses,
            [
                StatusCode::OK,
                StatusCode::OK,
                StatusCode::TOO_MANY_REQUESTS
            ]
        );

        // Behind a trusted proxy, each forwarded client has its own count.
        let mut state = app_state(t.db.clone());
        std::sync::Arc::make_mut(&mut state.config).trusted_proxies =
            vec![IpRange::parse("10.0.0.1").unwrap()];
        let mut proxy = Browser::with_state(state).at_ip("10.0.0.1");
        let mut statuses = Vec::new();
        for i in 0..3 {
            statuses.push(
                spoof(
                    &mut proxy,
                    &format!("192.0.2.{i}"),
                    format!("p{i}%40example.com"),
                )
                .await,
            );
        }
        assert_eq!(statuses, [StatusCode::OK; 3]);
    }));
}

async fn guest_link(db: &Db, b: &mut Browser, email: &str, subject: &str) -> String {
    write_in(b, email, subject, "First question").await;
    let emails = deliver(db).await;
    only_to(&emails, email)[0].link("/pigeon/t/")
}

#[test]
fn staff_replies_reach_the_guest_with_a_new_link_and_the_old_one_keeps_working() {
    support::run(each_backend(|t| async move {
        let sam = make_staff(&t.db, "sam@example.com", "Sam", MANAGER).await;
        let mut b = Browser::new(t.db.clone());
        let first = guest_link(&t.db, &mut b, "gus@example.com", "Invoice").await;
        let id = thread_of_subject(&t.db, "Invoice").await;
        // The guest reads the customer's words, never the team's "Needs reply".
        let waiting = b.get(&first).await;
        assert!(waiting.body.contains("We\u{2019}ll reply soon"));
        assert!(!waiting.body.contains("Needs reply"));
        post_message(
            &t.db,
            id,
            staff(&sam),
            MessageKind::Message,
            "Paid, thanks!",
            None,
        )
        .await
        .unwrap();
        let emails = deliver(&t.db).await;
        let to_gus = only_to(&emails, "gus@example.com");
        assert_eq!(to_gus.len(), 1);
        assert_eq!(to_gus[0].subject, "Re: Invoice");
        assert!(to_gus[0].text.contains("Paid, thanks!"));
        let second = to_gus[0].link("/pigeon/t/");
        assert_ne!(first, second);
        for link in [&first, &second] {
            let page = b.get(link).await;
            assert!(page.body.contains("Paid, thanks!"), "{link}");
            assert!(page.body.contains(">Answered<"), "{link}");
        }
    }));
}

#[test]
fn a_guest_reply_reopens_a_closed_thread_as_pending_and_alerts_the_team() {
    support::run(each_backend(|t| async move {
        let sam = make_staff(&t.db, "sam@example.com", "Sam", MANAGER).await;
        let mut b = Browser::new(t.db.clone());
        let link = guest_link(&t.db, &mut b, "gus@example.com", "Refund").await;
        let token = link.trim_start_matches("/pigeon/t/").to_string();
        let id = thread_of_subject(&t.db, "Refund").await;
        threads::change_status(&t.db, &sam, id, ThreadStatus::Closed)
            .await
            .unwrap();
        let mut guest = Browser::new(t.db.clone());
        let r = guest
            .post_form(
                &link,
                REPLY,
                &[("token", &token), ("body", "Still waiting")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), format!("{link}?notice=reply-sent"));
        let thread = db::threads::find(t.db.reader(), id).await.unwrap().unwrap();
        assert_eq!(thread.status, ThreadStatus::Pending);
        let emails = deliver(&t.db).await;
        assert!(only_to(&emails, "sam@example.com")
            .iter()
            .any(|e| e.text.contains("Still waiting")));
        assert!(
            only_to(&emails, "gus@example.com").is_empty(),
            "not told of their own reply"
        );
    }));
}

#[test]
fn internal_notes_and_system_events_never_reach_the_guest() {
    support::run(each_backend(|t| async move {
        let sam = make_staff(&t.db, "sam@example.com", "Sam", MANAGER).await;
        let mut b = Browser::new(t.db.clone());
        let link = guest_link(&t.db, &mut b, "gus@example.com", "Account").await;
        let id = thread_of_subject(&t.db, "Account").await;
        post_message(
            &t.db,
            id,
            staff(&sam),
            MessageKind::Note,
            "NOTE-42 suspicious",
            None,
        )
        .await
        .unwrap();
        threads::change_status(&t.db, &sam, id, ThreadStatus::Open)
            .await
            .unwrap();
        let page = b.get(&link).await;
        assert!(!page.body.contains("NOTE-42") && !page.body.contains("changed the status"));
        let emails = deliver(&t.db).await;
        assert!(only_to(&emails, "gus@example.com").is_empty());
        assert!(emails
            .iter()
            .all(|e| e.to != "gus@example.com" || !e.text.contains("NOTE-42")));
        let api = b
            .post_js(
                "/api/pigeon/guest/thread",
                &[("token", link.trim_start_matches("/pigeon/t/"))],
            )
            .await;
        assert_eq!(api.status, StatusCode::OK);
        assert!(!api.body.contains("NOTE-42") && !api.body.contains("sam@example.com"));
    }));
}

#[test]
fn a_dead_link_offers_a_new_one_and_a_reply_sent_through_it_keeps_its_text() {
    support::run(each_backend(|t| async move {
        let mut b = Browser::new(t.db.clone());
        let link = guest_link(&t.db, &mut b, "gus@example.com", "Late").await;
        let token = link.trim_start_matches("/pigeon/t/").to_string();
        // Time passes beyond the link's expiry.
        sqlx::query("UPDATE guest_tokens SET expires_at = $1")
            .bind(now_ms() - 1)
            .execute(t.db.reader())
            .await
            .unwrap();
        let page = b.get(&link).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(
            page.body.contains("This link no longer works") && page.body.contains(REQUEST_LINK)
        );
        let r = b
            .post_form(
                &link,
                REPLY,
                &[("token", &token), ("body", "My unsent words")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("My unsent words") && r.body.contains(REQUEST_LINK));
        let unknown = b.get("/pigeon/t/not-a-real-token").await;
        assert!(unknown.body.contains("This link no longer works"));
    }));
}

#[test]
fn using_a_link_extends_its_expiry_and_staff_can_end_every_link() {
    support::run(each_backend(|t| async move {
        let mut b = Browser::new(t.db.clone());
        let link = guest_link(&t.db, &mut b, "gus@example.com", "Later").await;
        let day = 24 * 3600 * 1000;
        sqlx::query("UPDATE guest_tokens SET expires_at = $1")
            .bind(now_ms() + day)
            .execute(t.db.reader())
            .await
            .unwrap();
        b.get(&link).await;
        let expires: i64 = sqlx::query_scalar("SELECT expires_at FROM guest_tokens")
            .fetch_one(t.db.reader())
            .await
            .unwrap();
        assert!(
            expires > now_ms() + 29 * day,
            "extended to the 30-day lifetime"
        );
        let id = thread_of_subject(&t.db, "Later").await;
        assert_eq!(guest::revoke_links(&t.db, id).await.unwrap(), 1);
        assert!(b
            .get(&link)
            .await
            .body
            .contains("This link no longer works"));
    }));
}

#[test]
fn a_link_opens_only_its_own_conversation() {
    support::run(each_backend(|t| async move {
        let mut b = Browser::new(t.db.clone());
        let one = guest_link(&t.db, &mut b, "gus@example.com", "First thread").await;
        guest_link(&t.db, &mut b, "ivy@example.com", "Second thread").await;
        let page = b.get(&one).await;
        assert!(page.body.contains("First thread") && !page.body.contains("Second thread"));
        let token = one.trim_start_matches("/pigeon/t/").to_string();
        let second = thread_of_subject(&t.db, "Second thread").await;
        let r = b
            .post_form(
                &one,
                REPLY,
                &[
                    ("token", &token),
                    ("thread_id", &second.to_string()),
                    ("body", "Where?"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let in_second: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM messages WHERE thread_id = $1 AND body = 'Where?'",
        )
        .bind(second)
        .fetch_one(t.db.reader())
        .await
        .unwrap();
        assert_eq!(in_second, 0);
    }));
}

#[test]
fn request_link_answers_the_same_and_emails_a_link_for_each_conversation() {
    support::run(each_backend(|t| async move {
        let sam = make_staff(&t.db, "sam@example.com", "Sam", MANAGER).await;
        let mut b = Browser::new(t.db.clone());
        guest_link(&t.db, &mut b, "gus@example.com", "One").await;
        guest_link(&t.db, &mut b, "gus@example.com", "Two").await;
        let two = thread_of_subject(&t.db, "Two").await;
        threads::change_status(&t.db, &sam, two, ThreadStatus::Closed)
            .await
            .unwrap();
        let known = b
            .post_form(
                "/pigeon/request-link",
                REQUEST_LINK,
                &[("email", "GUS@example.com")],
            )
            .await;
        let unknown = b
            .post_form(
                "/pigeon/request-link",
                REQUEST_LINK,
                &[("email", "nobody@example.com")],
            )
            .await;
        assert_eq!(
            (known.status, known.location()),
            (unknown.status, unknown.location())
        );
        assert_eq!(known.location(), "/pigeon/request-link?notice=link-sent");
        assert!(b
            .get(known.location())
            .await
            .body
            .contains("If that address has conversations"));
        // The lookup runs after the answer.
        let mut links = Vec::new();
        for _ in 0..50 {
            links.extend(
                deliver(&t.db)
                    .await
                    .into_iter()
                    .filter(|e| e.subject.starts_with("Your link")),
            );
            if links.len() >= 2 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let mut subjects: Vec<_> = links.iter().map(|e| e.subject.clone()).collect();
        subjects.sort();
        assert_eq!(subjects, ["Your link to \"One\"", "Your link to \"Two\""]);
        assert!(links.iter().all(|e| e.to == "gus@example.com"));
        let page = b.get(&links[0].link("/pigeon/t/")).await;
        assert_eq!(page.status, StatusCode::OK);
    }));
}

#[test]
fn a_guest_keeps_at_most_ten_live_links() {
    support::run(each_backend(|t| async move {
        let mut b = Browser::new(t.db.clone());
        guest_link(&t.db, &mut b, "gus@example.com", "Many").await;
        let (thread_id, participant_id): (i64, i64) =
            sqlx::query_as("SELECT thread_id, id FROM participants WHERE guest_email IS NOT NULL")
                .fetch_one(t.db.reader())
                .await
                .unwrap();
        let mut tokens = Vec::new();
        for _ in 0..12 {
            tokens.push(
                app::backend::auth::links::mint_guest_link(&t.db, thread_id, participant_id, 30)
                    .await
                    .unwrap(),
            );
        }
        let live: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM guest_tokens")
            .fetch_one(t.db.reader())
            .await
            .unwrap();
        assert_eq!(live, 10);
        assert!(b
            .get(&format!("/pigeon/t/{}", tokens[0]))
            .await
            .body
            .contains("no longer works"));
        assert!(!b
            .get(&format!("/pigeon/t/{}", tokens[11]))
            .await
            .body
            .contains("no longer works"));
    }));
}

#[test]
fn bad_input_and_a_closed_form_get_clear_errors_with_the_text_kept() {
    support::run(each_backend(|t| async move {
        let mut b = Browser::new(t.db.clone());
        let long_subject = "s".repeat(300);
        let r = b
            .post_form(
                "/contact",
                START,
                &[
                    ("email", "gus@example.com"),
                    ("subject", &long_subject),
                    ("body", "Typed text"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Typed text"));
        let r = b
            .post_form(
                "/contact",
                START,
                &[("email", "gus@example.com"), ("body", "")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let huge = "x".repeat(300 * 1024);
        let r = b
            .post_form(
                "/contact",
                START,
                &[("email", "gus@example.com"), ("body", &huge)],
            )
            .await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
        settings::set(&t.db, "allow_guest_threads", "false")
            .await
            .unwrap();
        assert!(b
            .get("/contact")
            .await
            .body
            .contains("The contact form is closed"));
        let r = write_in(&mut b, "gus@example.com", "", "Please answer").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Please answer"));
    }));
}

/// The call the guest's page makes once the browser shows it.
const SEEN: &str = "/api/pigeon/guest/seen";

async fn seen(b: &mut Browser, token: &str) {
    let r = b.post_js(SEEN, &[("token", token)]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

/// The guest's read mark and last read time, and the link's expiry.
async fn guest_marks(db: &Db) -> (i64, Option<i64>, i64) {
    sqlx::query_as(
        "SELECT p.last_read_message_id, p.last_read_at, g.expires_at FROM participants p \
         JOIN guest_tokens g ON g.participant_id = p.id WHERE p.guest_email IS NOT NULL",
    )
    .fetch_one(db.reader())
    .await
    .unwrap()
}

#[test]
fn reading_a_link_again_writes_nothing_until_there_is_something_new() {
    support::run(each_backend(|t| async move {
        let sam = make_staff(&t.db, "sam@example.com", "Sam", MANAGER).await;
        let mut b = Browser::new(t.db.clone());
        let link = guest_link(&t.db, &mut b, "gus@example.com", "Quiet").await;
        let token = link.trim_start_matches("/pigeon/t/").to_string();
        seen(&mut b, &token).await;
        let first = guest_marks(&t.db).await;
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        seen(&mut b, &token).await;
        assert_eq!(
            guest_marks(&t.db).await,
            first,
            "a second look changes nothing"
        );
        let id = thread_of_subject(&t.db, "Quiet").await;
        let answer = post_message(&t.db, id, staff(&sam), MessageKind::Message, "Hi", None)
            .await
            .unwrap();
        b.get(&link).await;
        assert_eq!(
            guest_marks(&t.db).await.0,
            first.0,
            "opening the link marks nothing"
        );
        seen(&mut b, &token).await;
        let (read, read_at, expires) = guest_marks(&t.db).await;
        assert_eq!(read, answer.message_id, "the new answer is marked read");
        assert!(read_at > first.1);
        assert_eq!(expires, first.2, "the expiry moves at most once an hour");
    }));
}

#[test]
fn a_link_lives_by_its_own_clock_and_each_use_extends_it() {
    support::run(each_backend(|t| async move {
        let mut b = Browser::new(t.db.clone());
        guest_link(&t.db, &mut b, "gus@example.com", "Clock").await;
        let (thread_id, participant_id): (i64, i64) =
            sqlx::query_as("SELECT thread_id, id FROM participants WHERE guest_email IS NOT NULL")
                .fetch_one(t.db.reader())
                .await
                .unwrap();
        let day = 24 * 3600 * 1000;
        let t0 = now_ms();
        let kept = app::backend::auth::links::mint_guest_link(&t.db, thread_id, participant_id, 30)
            .await
            .unwrap();
        let idle = app::backend::auth::links::mint_guest_link(&t.db, thread_id, participant_id, 30)
            .await
            .unwrap();
        let s = settings::load(&t.db).await.unwrap();
        // Day 29: both work; using one moves its expiry to day 59.
        assert!(guest::view_at(&t.db, &s, &kept, t0 + 29 * day)
            .await
            .is_ok());
        // Day 31: the unused one has expired, the used one has not.
        assert!(guest::view_at(&t.db, &s, &idle, t0 + 31 * day)
            .await
            .is_err());
        assert!(guest::view_at(&t.db, &s, &kept, t0 + 31 * day)
            .await
            .is_ok());
        // Day 62: more than 30 days after its last use on day 31.
        assert!(guest::view_at(&t.db, &s, &kept, t0 + 62 * day)
            .await
            .is_err());
    }));
}
