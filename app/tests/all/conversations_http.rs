//! The member area through the real router: access, privacy of notes, forms without JS.
use crate::support;

use app::backend::db::{self, Db};
use app::backend::service::messages::{post_message, Author};
use app::backend::service::threads;
use app::backend::settings;
use app::model::thread::MessageKind;
use app::model::viewer::Permissions;
use axum::body::Body;
use http::{header, Request, StatusCode};
use support::http_client::Browser;
use support::{each_backend, make_member, make_user, viewer};

async fn logged_in(db: &Db, email: &str) -> Browser {
    let mut b = Browser::new(db.clone());
    b.log_in(email, "member-password").await;
    b
}

#[test]
fn a_non_participant_gets_404_from_every_page_action_and_api_route_of_a_thread() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        let bob = make_member(&t.db, "bob@example.com", "Bob").await;
        make_member(&t.db, "cy@example.com", "Cy").await;
        let id = threads::start_direct(&t.db, &ann, &[bob], "Private plans", "Secret body")
            .await
            .unwrap();
        let mut cy = logged_in(&t.db, "cy@example.com").await;
        let page = cy.get(&format!("/pigeon/threads/{id}")).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(!page.body.contains("Private plans") && !page.body.contains("Secret body"));
        let missing = cy.get("/pigeon/threads/999999").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        let tid = id.to_string();
        for (action, fields) in [
            (
                "/actions/pigeon/messages/reply",
                vec![("thread_id", tid.as_str()), ("body", "hi")],
            ),
            (
                "/actions/pigeon/threads/mark-read",
                vec![("thread_id", tid.as_str())],
            ),
            (
                "/actions/pigeon/threads/mute",
                vec![("thread_id", tid.as_str()), ("muted", "true")],
            ),
            (
                "/actions/pigeon/threads/leave",
                vec![("thread_id", tid.as_str())],
            ),
        ] {
            let r = cy.post_js(action, &fields).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{action}: {}", r.body);
        }
        for path in [
            format!("/api/pigeon/v1/threads/{id}"),
            format!("/api/pigeon/v1/threads/{id}/unread"),
        ] {
            let r = cy.get(&path).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
            assert!(!r.body.contains("Secret"));
        }
        assert_eq!(
            db::messages::list(&t.db, id, true).await.unwrap().len(),
            1,
            "nothing was posted"
        );
    }));
}

#[test]
fn a_member_never_receives_an_internal_notes_text() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        let perms = Permissions {
            access: true,
            manage_threads: true,
            ..Default::default()
        };
        let sam = viewer(
            &t.db,
            make_user(
                &t.db,
                "sam@example.com",
                "Sam",
                "staff-password",
                perms,
                false,
            )
            .await,
        )
        .await;
        let id = threads::start_support(&t.db, &ann, "Refund", "Please refund")
            .await
            .unwrap();
        let staff = Author::User {
            id: sam.id,
            name: &sam.name,
            as_staff: true,
        };
        post_message(
            &t.db,
            id,
            staff,
            MessageKind::Note,
            "NOTE-TEXT-42 do not refund",
            None,
        )
        .await
        .unwrap();
        post_message(&t.db, id, staff, MessageKind::Message, "We are on it", None)
            .await
            .unwrap();
        let mut b = logged_in(&t.db, "ann@example.com").await;
        let page = b.get(&format!("/pigeon/threads/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("We are on it"));
        assert!(
            !page.body.contains("NOTE-TEXT-42"),
            "not in HTML nor hydration data"
        );
        let json = b.get(&format!("/api/pigeon/v1/threads/{id}")).await;
        assert_eq!(json.status, StatusCode::OK);
        assert!(json.body.contains("We are on it") && !json.body.contains("NOTE-TEXT-42"));
        let app = b
            .post_js("/api/pigeon/threads/view", &[("id", &id.to_string())])
            .await;
        assert_eq!(app.status, StatusCode::OK);
        assert!(!app.body.contains("NOTE-TEXT-42"));
        let list = b.get("/api/pigeon/v1/threads").await;
        assert!(!list.body.contains("NOTE-TEXT-42"));
    }));
}

#[test]
fn a_member_starts_a_direct_thread_with_a_plain_form_and_the_recipient_sees_it_unread() {
    support::run(each_backend(|t| async move {
        make_member(&t.db, "ann@example.com", "Ann").await;
        let bob = make_member(&t.db, "bob@example.com", "Bob").await;
        let mut ann = logged_in(&t.db, "ann@example.com").await;
        let key = format!("recipients[u{bob}]");
        let value = bob.to_string();
        let r = ann
            .post_form(
                "/pigeon/threads",
                "/actions/pigeon/threads/start",
                &[
                    ("kind", "direct"),
                    (key.as_str(), value.as_str()),
                    ("subject", "Lunch"),
                    ("body", "Noon?"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(r.location().starts_with("/pigeon/threads/"));
        let mut bob_b = logged_in(&t.db, "bob@example.com").await;
        let count = bob_b.get("/api/pigeon/v1/unread-count").await;
        assert_eq!(count.body, r#"{"unread":1}"#);
        let list = bob_b.get("/pigeon/threads").await;
        assert!(list.body.contains("Lunch") && list.body.contains("Unread"));
        assert!(
            list.body.contains("Messages, 1 unread"),
            "the header shows the count"
        );
    }));
}

#[test]
fn a_plain_form_may_send_recipients_as_repeated_ids() {
    support::run(each_backend(|t| async move {
        make_member(&t.db, "ann@example.com", "Ann").await;
        let bob = make_member(&t.db, "bob@example.com", "Bob").await;
        let cy = make_member(&t.db, "cy@example.com", "Cy").await;
        let mut ann = logged_in(&t.db, "ann@example.com").await;
        let (b, c) = (bob.to_string(), cy.to_string());
        let fields = [
            ("kind", "direct"),
            ("recipients", b.as_str()),
            ("recipients", c.as_str()),
            ("body", "Hi both"),
        ];
        let r = ann
            .post_form("/pigeon/threads", "/actions/pigeon/threads/start", &fields)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let id: i64 = r.location().rsplit('/').next().unwrap().parse().unwrap();
        assert_eq!(
            db::participants::list(t.db.reader(), id)
                .await
                .unwrap()
                .len(),
            3
        );
    }));
}

#[test]
fn only_a_real_page_view_marks_a_thread_read() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        let bob = make_member(&t.db, "bob@example.com", "Bob").await;
        let id = threads::start_direct(&t.db, &ann, &[bob], "", "Hi")
            .await
            .unwrap();
        let mut b = logged_in(&t.db, "bob@example.com").await;
        let path = format!("/pigeon/threads/{id}");
        b.get(&path).await; // no Sec-Fetch headers: a link scanner
        assert_eq!(
            b.get("/api/pigeon/v1/unread-count").await.body,
            r#"{"unread":1}"#
        );
        let navigation = Request::get(&path)
            .header(header::ACCEPT, "text/html")
            .header("sec-fetch-dest", "document")
            .header("sec-fetch-mode", "navigate")
            .body(Body::empty())
            .unwrap();
        let page = b.send(navigation).await;
        assert!(page.body.contains("Messages") && !page.body.contains("1 unread"));
        assert_eq!(
            b.get("/api/pigeon/v1/unread-count").await.body,
            r#"{"unread":0}"#
        );
    }));
}

#[test]
fn a_failed_reply_without_javascript_keeps_the_text_and_explains() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        let id = threads::start_support(&t.db, &ann, "", "Hi").await.unwrap();
        let mut b = logged_in(&t.db, "ann@example.com").await;
        let long = format!("KEEP-ME {}", "x".repeat(64 * 1024));
        let page = format!("/pigeon/threads/{id}");
        let r = b
            .post_form(
                &page,
                "/actions/pigeon/messages/reply",
                &[("thread_id", &id.to_string()), ("body", &long)],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Messages can be at most 64 KB"));
        assert!(r.body.contains("KEEP-ME"), "the typed text is kept");
        let ok = b
            .post_form(
                &page,
                "/actions/pigeon/messages/reply",
                &[("thread_id", &id.to_string()), ("body", "Short one")],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        assert!(ok.location().starts_with(&format!("{page}#m")));
    }));
}

#[test]
fn direct_threads_can_be_turned_off() {
    support::run(each_backend(|t| async move {
        make_member(&t.db, "ann@example.com", "Ann").await;
        let bob = make_member(&t.db, "bob@example.com", "Bob").await;
        settings::set(&t.db, "allow_user_threads", "false")
            .await
            .unwrap();
        let mut ann = logged_in(&t.db, "ann@example.com").await;
        let key = format!("recipients[u{bob}]");
        let r = ann
            .post_form(
                "/pigeon/threads",
                "/actions/pigeon/threads/start",
                &[("kind", "direct"), (key.as_str(), "2"), ("body", "Hi")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r
            .body
            .contains("Direct messages between members are turned off"));
        let support = ann
            .post_form(
                "/pigeon/threads",
                "/actions/pigeon/threads/start",
                &[("kind", "support"), ("body", "Help")],
            )
            .await;
        assert_eq!(support.status, StatusCode::SEE_OTHER);
    }));
}

#[test]
fn the_json_api_needs_a_session_and_lists_by_kind() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        let bob = make_member(&t.db, "bob@example.com", "Bob").await;
        threads::start_support(&t.db, &ann, "Help me", "Hi")
            .await
            .unwrap();
        threads::start_direct(&t.db, &ann, &[bob], "Chat", "Hi")
            .await
            .unwrap();
        let mut visitor = Browser::new(t.db.clone());
        assert_eq!(
            visitor.get("/api/pigeon/v1/unread-count").await.status,
            StatusCode::UNAUTHORIZED
        );
        let mut b = logged_in(&t.db, "ann@example.com").await;
        let direct = b.get("/api/pigeon/v1/threads?kind=direct").await;
        assert!(direct.body.contains("Chat") && !direct.body.contains("Help me"));
        let all = b.get("/api/pigeon/v1/threads").await;
        assert!(all.body.contains("Chat") && all.body.contains("Help me"));
        assert_eq!(
            b.get("/api/pigeon/v1/threads?kind=spam").await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }));
}

#[test]
fn staff_are_offered_as_recipients_only_when_the_site_allows_it() {
    support::run(each_backend(|t| async move {
        make_member(&t.db, "ann@example.com", "Ann").await;
        make_member(&t.db, "bob@example.com", "Bobby Member").await;
        let agent = Permissions {
            access: true,
            manage_threads: true,
            assign_threads: false,
            manage_settings: false,
        };
        let sam = make_user(
            &t.db,
            "sam@example.com",
            "Bobby Staff",
            "staff-password",
            agent,
            false,
        )
        .await;
        let mut ann = logged_in(&t.db, "ann@example.com").await;
        let list = ann.get("/pigeon/threads?q=Bobby").await;
        assert!(list.body.contains("Bobby Member"));
        assert!(!list.body.contains("Bobby Staff"), "staff are not offered");
        // Nor taken when a form names them anyway.
        let (key, value) = (format!("recipients[u{sam}]"), sam.to_string());
        let fields = [
            ("kind", "direct"),
            (key.as_str(), value.as_str()),
            ("subject", "Psst"),
            ("body", "Hello"),
        ];
        let r = ann
            .post_form("/pigeon/threads", "/actions/pigeon/threads/start", &fields)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        // The setting lets members write to staff directly.
        settings::set(&t.db, "staff_as_recipients", "yes")
            .await
            .unwrap();
        let list = ann.get("/pigeon/threads?q=Bobby").await;
        assert!(list.body.contains("Bobby Staff"));
        let r = ann
            .post_form("/pigeon/threads", "/actions/pigeon/threads/start", &fields)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }));
}
