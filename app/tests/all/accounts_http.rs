//! Accounts through the real router: login, logout, registration, sessions, CSRF, admin.
use crate::support;

use app::backend::db;
use app::backend::service::accounts;
use app::backend::settings;
use app::model::viewer::Permissions;
use axum::body::Body;
use http::{header, Request, StatusCode};
use support::http_client::{form_request, Browser, ORIGIN};
use support::{each_backend, make_admin, make_member, make_user};

const LOGIN: &str = "/actions/pigeon/account/login";
const LOGOUT: &str = "/actions/pigeon/account/logout";
const REGISTER: &str = "/actions/pigeon/account/register";

#[test]
fn login_with_the_right_password_starts_a_session_with_a_safe_cookie() {
    support::run(each_backend(|t| async move {
        make_member(&t.db, "Ann@Example.com", "Ann").await;
        let mut b = Browser::new(t.db.clone());
        let r = b
            .post_form(
                "/login",
                LOGIN,
                &[
                    ("email", "ann@example.com"),
                    ("password", "member-password"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/?notice=welcome");
        let cookie = r
            .set_cookies()
            .into_iter()
            .find(|c| c.starts_with("pigeon_session="))
            .unwrap();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        assert!(
            !cookie.contains("Secure"),
            "plain http base URL must not mark the cookie Secure"
        );
        let home = b.get("/?notice=welcome").await;
        assert!(home.body.contains("Welcome back, Ann."), "{}", home.body);
        assert!(home.body.contains("Log out"));
    }));
}

#[test]
fn a_wrong_password_and_an_unknown_address_get_the_same_422_with_the_email_kept() {
    support::run(each_backend(|t| async move {
        make_member(&t.db, "ann@example.com", "Ann").await;
        let mut b = Browser::new(t.db.clone());
        let wrong = b
            .post_form(
                "/login",
                LOGIN,
                &[("email", "ann@example.com"), ("password", "nope-nope")],
            )
            .await;
        let unknown = b
            .post_form(
                "/login",
                LOGIN,
                &[("email", "bob@example.com"), ("password", "nope-nope")],
            )
            .await;
        for (r, email) in [(&wrong, "ann@example.com"), (&unknown, "bob@example.com")] {
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(r.body.contains(accounts::LOGIN_FAILED), "{}", r.body);
            assert!(
                r.body.contains(&format!("value=\"{email}\"")),
                "typed email lost"
            );
            assert!(
                !r.body.contains("nope-nope"),
                "a password must never be echoed"
            );
        }
        assert!(b.session.is_none());
    }));
}

#[test]
fn the_hydrated_app_gets_the_error_as_json_with_its_status() {
    support::run(each_backend(|t| async move {
        let mut b = Browser::new(t.db.clone());
        let r = b
            .post_js(
                LOGIN,
                &[("email", "x@example.com"), ("password", "whatever1")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("json"));
        assert!(r.body.contains(accounts::LOGIN_FAILED));
    }));
}

#[test]
fn logout_ends_the_session_on_the_server() {
    support::run(each_backend(|t| async move {
        make_member(&t.db, "ann@example.com", "Ann").await;
        let mut b = Browser::new(t.db.clone());
        b.log_in("ann@example.com", "member-password").await;
        let old = b.session.clone();
        let r = b.post_form("/", LOGOUT, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/?notice=logged-out");
        assert!(b.session.is_none(), "logout must clear the cookie");
        b.session = old; // replaying the old cookie must not work either
        let home = b.get("/").await;
        assert!(!home.body.contains("Log out"));
        assert!(home.body.contains("Log in"));
    }));
}

#[test]
fn login_rotates_the_session_id() {
    support::run(each_backend(|t| async move {
        make_member(&t.db, "ann@example.com", "Ann").await;
        let mut b = Browser::new(t.db.clone());
        b.log_in("ann@example.com", "member-password").await;
        let first = b.session.clone().unwrap();
        b.log_in("ann@example.com", "member-password").await;
        let second = b.session.clone().unwrap();
        assert_ne!(first, second);
        b.session = Some(first);
        assert!(
            !b.get("/").await.body.contains("Log out"),
            "the old session id must be dead"
        );
    }));
}

#[test]
fn registration_creates_an_account_and_can_be_turned_off() {
    support::run(each_backend(|t| async move {
        let mut b = Browser::new(t.db.clone());
        let fields = [
            ("name", "Mia"),
            ("email", "mia@example.com"),
            ("password", "long-enough-1"),
        ];
        let r = b.post_form("/register", REGISTER, &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/login?notice=registered");
        let mia = db::users::find_by_email(t.db.reader(), "MIA@example.com")
            .await
            .unwrap()
            .unwrap();
        assert!(!mia.email_verified && !mia.is_admin);

        settings::set(&t.db, "allow_registration", "false")
            .await
            .unwrap();
        let fields = [
            ("name", "Noa"),
            ("email", "noa@example.com"),
            ("password", "long-enough-1"),
        ];
        let r = b.post_form("/register", REGISTER, &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Registration is closed"));
        assert!(db::users::find_by_email(t.db.reader(), "noa@example.com")
            .await
            .unwrap()
            .is_none());
        let page = b.get("/register").await;
        assert!(page.body.contains("Registration is closed on this site."));
        assert!(!page.body.contains("Create account"));
    }));
}

#[test]
fn registering_a_taken_address_answers_exactly_like_a_new_one() {
    support::run(each_backend(|t| async move {
        make_member(&t.db, "ann@example.com", "Ann").await;
        let mut b = Browser::new(t.db.clone());
        let taken = b
            .post_form(
                "/register",
                REGISTER,
                &[
                    ("name", "X"),
                    ("email", "ANN@example.com"),
                    ("password", "long-enough-1"),
                ],
            )
            .await;
        let fresh = b
            .post_form(
                "/register",
                REGISTER,
                &[
                    ("name", "Y"),
                    ("email", "yan@example.com"),
                    ("password", "long-enough-1"),
                ],
            )
            .await;
        assert_eq!(taken.status, fresh.status);
        assert_eq!(taken.location(), fresh.location());
        assert_eq!(taken.body, fresh.body);
    }));
}

#[test]
fn bad_registration_input_gets_a_clear_message_and_keeps_the_text() {
    support::run(each_backend(|t| async move {
        let mut b = Browser::new(t.db.clone());
        let r = b
            .post_form(
                "/register",
                REGISTER,
                &[
                    ("name", "Mia"),
                    ("email", "not-an-email"),
                    ("password", "long-enough-1"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Please enter a valid email address"));
        assert!(r.body.contains("value=\"Mia\"") && r.body.contains("value=\"not-an-email\""));
        let r = b
            .post_form(
                "/register",
                REGISTER,
                &[
                    ("name", "Mia"),
                    ("email", "mia@example.com"),
                    ("password", "short"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("at least 8 characters"));
        let r = b.post_form("/register", REGISTER, &[("name", "Mia")]).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "missing fields are a 4xx: {}",
            r.body
        );
    }));
}

#[test]
fn a_disabled_users_session_stops_working_at_once() {
    support::run(each_backend(|t| async move {
        let staff = Permissions {
            access: true,
            ..Default::default()
        };
        let id = make_user(
            &t.db,
            "sam@example.com",
            "Sam",
            "staff-password",
            staff,
            false,
        )
        .await;
        let mut b = Browser::new(t.db.clone());
        b.log_in("sam@example.com", "staff-password").await;
        assert_eq!(b.get("/admin").await.status, StatusCode::OK);
        accounts::set_disabled(&t.db, id, true).await.unwrap();
        let r = b.get("/admin").await;
        assert_eq!(r.status, StatusCode::FOUND);
        assert_eq!(r.location(), "/login?next=%2Fadmin");
        let again = b
            .post_form(
                "/login",
                LOGIN,
                &[("email", "sam@example.com"), ("password", "staff-password")],
            )
            .await;
        assert_eq!(
            again.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a disabled account cannot log in"
        );
    }));
}

#[test]
fn changing_the_password_ends_every_session() {
    support::run(each_backend(|t| async move {
        let id = make_member(&t.db, "ann@example.com", "Ann").await;
        let mut b = Browser::new(t.db.clone());
        b.log_in("ann@example.com", "member-password").await;
        accounts::change_password(&t.db, id, "a-brand-new-password")
            .await
            .unwrap();
        assert!(!b.get("/").await.body.contains("Log out"));
        b.log_in("ann@example.com", "a-brand-new-password").await;
    }));
}

#[test]
fn a_cross_site_post_with_a_valid_session_cookie_is_refused() {
    support::run(each_backend(|t| async move {
        make_member(&t.db, "ann@example.com", "Ann").await;
        let mut b = Browser::new(t.db.clone());
        b.log_in("ann@example.com", "member-password").await;
        let by_origin = form_request(LOGOUT, &[], "text/html")
            .header(header::ORIGIN, "https://evil.example")
            .body(Body::empty())
            .unwrap();
        assert_eq!(b.send(by_origin).await.status, StatusCode::FORBIDDEN);
        let by_fetch_site = form_request(LOGOUT, &[], "text/html")
            .header("sec-fetch-site", "cross-site")
            .body(Body::empty())
            .unwrap();
        assert_eq!(b.send(by_fetch_site).await.status, StatusCode::FORBIDDEN);
        assert!(
            b.get("/").await.body.contains("Log out"),
            "the session must survive"
        );
        let same_site = form_request(LOGOUT, &[], "text/html")
            .header(header::ORIGIN, ORIGIN)
            .body(Body::empty())
            .unwrap();
        assert_eq!(b.send(same_site).await.status, StatusCode::SEE_OTHER);
    }));
}

#[test]
fn the_dashboard_is_for_staff_only() {
    support::run(each_backend(|t| async move {
        make_member(&t.db, "ann@example.com", "Ann").await;
        make_admin(&t.db).await;
        let mut visitor = Browser::new(t.db.clone());
        let r = visitor.get("/admin").await;
        assert_eq!(
            (r.status, r.location()),
            (StatusCode::FOUND, "/login?next=%2Fadmin")
        );

        let mut member = Browser::new(t.db.clone());
        member.log_in("ann@example.com", "member-password").await;
        let r = member.get("/admin").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.body.contains("Staff only"));
        assert!(
            !r.body.contains("href=\"/admin\""),
            "members get no staff link"
        );

        let mut admin = Browser::new(t.db.clone());
        admin.log_in("ada@example.com", "admin-password").await;
        let r = admin.get("/admin").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Administrator") && r.body.contains("manage_settings"));
        assert!(
            r.body.contains("href=\"/admin\""),
            "staff get the staff link"
        );
    }));
}

#[test]
fn too_many_login_attempts_answer_429_with_retry_after() {
    support::run(each_backend(|t| async move {
        make_member(&t.db, "ann@example.com", "Ann").await;
        let mut b = Browser::new(t.db.clone());
        let mut last = None;
        for _ in 0..11 {
            last = Some(
                b.post_js(
                    LOGIN,
                    &[("email", "ann@example.com"), ("password", "guess-guess")],
                )
                .await,
            );
        }
        let r = last.unwrap();
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        let retry: u64 = r.headers[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=900).contains(&retry));
        // even the right password waits until the window ends
        let r = b
            .post_form(
                "/login",
                LOGIN,
                &[
                    ("email", "ann@example.com"),
                    ("password", "member-password"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(
            r.body.contains("Too many attempts") && r.body.contains("value=\"ann@example.com\"")
        );
    }));
}

#[test]
fn pages_carry_security_headers_with_a_fresh_script_nonce() {
    support::run(each_backend(|t| async move {
        let mut b = Browser::new(t.db.clone());
        let one = b.get("/login").await;
        let two = b.get("/login").await;
        let csp = |r: &support::http_client::Reply| {
            r.headers[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .to_string()
        };
        assert!(csp(&one).contains("frame-ancestors 'none'"));
        assert!(csp(&one).contains("'nonce-"));
        assert!(!csp(&one).contains("unsafe-inline"));
        assert_ne!(csp(&one), csp(&two), "each page gets its own nonce");
        assert_eq!(one.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(one.headers.contains_key(header::REFERRER_POLICY));
        let nonce = csp(&one)
            .split("'nonce-")
            .nth(1)
            .unwrap()
            .split('\'')
            .next()
            .unwrap()
            .to_string();
        assert!(
            one.body.contains(&format!("nonce=\"{nonce}\"")),
            "inline scripts carry the nonce"
        );
        let missing = b.get("/no/such/page").await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert!(missing.body.contains("Page not found"));
    }));
}

#[test]
fn the_health_check_answers_when_the_database_does() {
    support::run(each_backend(|t| async move {
        let mut b = Browser::new(t.db.clone());
        let r = b
            .send(Request::get("/healthz").body(Body::empty()).unwrap())
            .await;
        assert_eq!(r.status, StatusCode::OK);
        t.db.close().await;
        let r = b
            .send(Request::get("/healthz").body(Body::empty()).unwrap())
            .await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    }));
}

#[test]
fn correct_logins_from_one_address_never_lock_anyone_out() {
    support::run(each_backend(|t| async move {
        make_member(&t.db, "ann@example.com", "Ann").await;
        for _ in 0..25 {
            let mut b = Browser::new(t.db.clone());
            b.log_in("ann@example.com", "member-password").await;
        }
    }));
}
