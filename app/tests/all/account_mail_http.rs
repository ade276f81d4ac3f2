//! Account emails through the real router and the real mail queue: address confirmation
//! after registration, and password reset.
use crate::support;

use app::backend::db;
use app::backend::service::threads::UNVERIFIED;
use http::StatusCode;
use support::http_client::Browser;
use support::mail::deliver;
use support::{each_backend, make_member};

const REGISTER: &str = "/actions/pigeon/account/register";
const START: &str = "/actions/pigeon/threads/start";
const RESEND: &str = "/actions/pigeon/account/resend-verification";
const FORGOT: &str = "/actions/pigeon/account/forgot-password";
const RESET: &str = "/actions/pigeon/account/reset-password";

async fn register(b: &mut Browser, email: &str) -> (StatusCode, String) {
    let r = b
        .post_form(
            "/register",
            REGISTER,
            &[
                ("name", "Nia"),
                ("email", email),
                ("password", "nia-password-1"),
            ],
        )
        .await;
    (r.status, r.location().to_string())
}

async fn start_support(b: &mut Browser, body: &str) -> support::http_client::Reply {
    b.post_form(
        "/pigeon/threads",
        START,
        &[("kind", "support"), ("subject", "Hello"), ("body", body)],
    )
    .await
}

#[test]
fn registering_emails_a_link_that_confirms_the_address_once_and_unlocks_starting_threads() {
    support::run(each_backend(|t| async move {
        let mut b = Browser::new(t.db.clone());
        assert_eq!(
            register(&mut b, "nia@example.com").await,
            (StatusCode::SEE_OTHER, "/login?notice=registered".into())
        );
        let emails = deliver(&t.db).await;
        assert_eq!(emails.len(), 1);
        let email = &emails[0];
        assert_eq!(email.to, "nia@example.com");
        assert!(email.subject.starts_with("Confirm your email address"));
        assert!(email.has_both_parts());
        let link = email.link("/verify/");
        assert!(email.html.contains(&format!("http://pigeon.test{link}")));

        b.log_in("nia@example.com", "nia-password-1").await;
        let page = b.get("/pigeon/threads").await;
        assert!(page
            .body
            .contains("Please confirm your email address first"));
        let refused = start_support(&mut b, "My typed question").await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains(UNVERIFIED), "{}", refused.body);
        assert!(
            refused.body.contains("My typed question"),
            "typed text kept"
        );

        let confirmed = b.get(&link).await;
        assert_eq!(confirmed.status, StatusCode::OK);
        assert!(
            confirmed.body.contains("Address confirmed"),
            "{}",
            confirmed.body
        );
        assert_eq!(confirmed.headers["cache-control"], "no-store");
        let started = start_support(&mut b, "My typed question").await;
        assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);

        let again = b.get(&link).await;
        assert!(again.body.contains("This link no longer works"));
    }));
}

#[test]
fn registering_a_taken_address_answers_the_same_and_sends_nothing() {
    support::run(each_backend(|t| async move {
        make_member(&t.db, "ann@example.com", "Ann").await;
        let mut b = Browser::new(t.db.clone());
        let taken = register(&mut b, "ANN@example.com").await;
        let fresh = register(&mut b, "new@example.com").await;
        assert_eq!(taken, fresh);
        let emails = deliver(&t.db).await;
        assert_eq!(
            emails.iter().map(|e| e.to.as_str()).collect::<Vec<_>>(),
            ["new@example.com"]
        );
    }));
}

#[test]
fn a_member_can_ask_for_a_new_confirmation_link_three_times_an_hour() {
    support::run(each_backend(|t| async move {
        let mut b = Browser::new(t.db.clone());
        register(&mut b, "nia@example.com").await;
        b.log_in("nia@example.com", "nia-password-1").await;
        for _ in 0..3 {
            let r = b.post_form("/pigeon/threads", RESEND, &[]).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
            assert_eq!(r.location(), "/pigeon/threads?notice=verification-sent");
        }
        let over = b.post_js(RESEND, &[]).await;
        assert_eq!(over.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(over.headers.contains_key("retry-after"));
        let emails = deliver(&t.db).await;
        assert_eq!(emails.len(), 4, "the first email and three more");
        // Any of the links works.
        let confirmed = b.get(&emails[2].link("/verify/")).await;
        assert!(confirmed.body.contains("Address confirmed"));
    }));
}

#[test]
fn forgot_password_answers_the_same_for_known_and_unknown_addresses() {
    support::run(each_backend(|t| async move {
        make_member(&t.db, "ann@example.com", "Ann").await;
        let mut b = Browser::new(t.db.clone());
        let known = b
            .post_form("/password/forgot", FORGOT, &[("email", "Ann@example.com")])
            .await;
        let unknown = b
            .post_form(
                "/password/forgot",
                FORGOT,
                &[("email", "nobody@example.com")],
            )
            .await;
        assert_eq!(known.status, StatusCode::SEE_OTHER);
        assert_eq!(
            (known.status, known.location()),
            (unknown.status, unknown.location())
        );
        let page = b.get(known.location()).await;
        assert!(page.body.contains("If an account uses that address"));
        let emails = deliver(&t.db).await;
        assert_eq!(emails.len(), 1);
        assert_eq!(emails[0].to, "ann@example.com");
        assert!(emails[0].subject.starts_with("Reset your password"));
        assert!(emails[0].has_both_parts());
        let bad = b
            .post_form("/password/forgot", FORGOT, &[("email", "not-an-address")])
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains("value=\"not-an-address\""),
            "typed text kept"
        );
    }));
}

#[test]
fn a_reset_link_sets_a_new_password_once_and_ends_every_other_session() {
    support::run(each_backend(|t| async move {
        make_member(&t.db, "ann@example.com", "Ann").await;
        let mut elsewhere = Browser::new(t.db.clone());
        elsewhere.log_in("ann@example.com", "member-password").await;
        let mut b = Browser::new(t.db.clone());
        b.post_form("/password/forgot", FORGOT, &[("email", "ann@example.com")])
            .await;
        let link = deliver(&t.db).await[0].link("/password/reset/");
        let token = link.trim_start_matches("/password/reset/").to_string();

        let form = b.get(&link).await;
        assert!(form.body.contains("Choose a new password"), "{}", form.body);
        assert_eq!(form.headers["cache-control"], "no-store");
        let weak = b
            .post_form(&link, RESET, &[("token", &token), ("password", "short")])
            .await;
        assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            weak.body.contains("Choose a new password"),
            "the link still works"
        );

        let done = b
            .post_form(
                &link,
                RESET,
                &[("token", &token), ("password", "brand-new-pass")],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        assert_eq!(done.location(), "/?notice=password-changed");
        assert!(b.session.is_some(), "logged in with the new password");
        assert_eq!(b.get("/pigeon/threads").await.status, StatusCode::OK);
        let kicked = elsewhere.get("/pigeon/threads").await;
        assert!(
            kicked.status.is_redirection() && kicked.location().starts_with("/login"),
            "the other session ended"
        );

        let mut fresh = Browser::new(t.db.clone());
        fresh.log_in("ann@example.com", "brand-new-pass").await;

        let reused = b
            .post_form(
                &link,
                RESET,
                &[("token", &token), ("password", "another-pass-1")],
            )
            .await;
        assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reused.body.contains("This link no longer works"));
        assert!(b
            .get(&link)
            .await
            .body
            .contains("This link no longer works"));
    }));
}

#[test]
fn a_reset_link_dies_after_an_hour() {
    support::run(each_backend(|t| async move {
        make_member(&t.db, "ann@example.com", "Ann").await;
        let mut b = Browser::new(t.db.clone());
        b.post_form("/password/forgot", FORGOT, &[("email", "ann@example.com")])
            .await;
        let link = deliver(&t.db).await[0].link("/password/reset/");
        let token = link.trim_start_matches("/password/reset/").to_string();
        let expires: i64 = sqlx::query_scalar("SELECT expires_at - created_at FROM account_tokens")
            .fetch_one(t.db.reader())
            .await
            .unwrap();
        assert_eq!(expires, 3600 * 1000);
        // An hour passes.
        sqlx::query("UPDATE account_tokens SET expires_at = $1")
            .bind(db::now_ms() - 1)
            .execute(t.db.reader())
            .await
            .unwrap();
        assert!(b
            .get(&link)
            .await
            .body
            .contains("This link no longer works"));
        let late = b
            .post_js(RESET, &[("token", &token), ("password", "brand-new-pass")])
            .await;
        assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    }));
}

#[test]
fn reset_emails_to_one_address_stop_after_three_an_hour() {
    support::run(each_backend(|t| async move {
        make_member(&t.db, "ann@example.com", "Ann").await;
        let mut b = Browser::new(t.db.clone());
        for _ in 0..5 {
            let r = b
                .post_form("/password/forgot", FORGOT, &[("email", "ann@example.com")])
                .await;
            assert_eq!(
                r.status,
                StatusCode::SEE_OTHER,
                "the same answer every time"
            );
        }
        assert_eq!(deliver(&t.db).await.len(), 3);
    }));
}
