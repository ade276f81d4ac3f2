//! The staff inbox, Trash, settings and users pages through the real router: who may do
//! what (one table), sources, search on both engines, order and pages, bulk actions.
use crate::support;

use app::backend::db;
use app::backend::service::{guest, messages, threads};
use app::model::thread::{MessageKind, ThreadStatus};
use app::model::viewer::Permissions;
use http::StatusCode;
use support::http_client::Browser;
use support::mail::deliver;
use support::{each_backend, make_admin, make_member, make_staff, make_user, viewer};

const BULK: &str = "/actions/pigeon/admin/bulk";

fn perms(access: bool, manage: bool, assign: bool, settings: bool) -> Permissions {
    Permissions {
        access,
        manage_threads: manage,
        assign_threads: assign,
        manage_settings: settings,
    }
}

/// Thread ids in the order the inbox page lists them.
fn listed(body: &str) -> Vec<i64> {
    body.split("href=\"/admin/pigeon/threads/")
        .skip(1)
        .filter_map(|s| s.split(['"', '#']).next()?.parse().ok())
        .collect()
}

/// The next-page cursor of an inbox page.
fn next_cursor(body: &str) -> Option<String> {
    let link = &body[..body.find(">Next page<")?];
    let at = link.rfind("cursor=")?;
    let rest = &link[at + 7..];
    Some(rest.split(['"', '&']).next()?.to_string())
}

#[test]
fn each_permission_opens_exactly_its_pages_and_actions() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        let id = threads::start_support(&t.db, &ann, "Billing", "Help")
            .await
            .unwrap();
        let tid = id.to_string();
        let kim = make_staff(
            &t.db,
            "kim@example.com",
            "Kim",
            perms(true, true, true, false),
        )
        .await;
        let kim_id = kim.id.to_string();
        let target = make_member(&t.db, "target@example.com", "Target").await;
        let target_id = target.to_string();
        let roles = [
            (
                "reader@example.com",
                perms(true, false, false, false),
                false,
            ),
            ("writer@example.com", perms(true, true, false, false), false),
            (
                "assigner@example.com",
                perms(true, false, true, false),
                false,
            ),
            (
                "settings@example.com",
                perms(false, false, false, true),
                false,
            ),
            ("admin@example.com", Permissions::default(), true),
        ];
        for (email, p, admin) in roles {
            make_user(&t.db, email, "Someone", "staff-password", p, admin).await;
        }
        let settings_form: Vec<(&str, &str)> = vec![
            ("site_name", "Pigeon"),
            ("from_name", "Pigeon"),
            ("from_email", "pigeon@localhost"),
            ("guest_token_lifetime_days", "30"),
            ("rate_limit_max", "10"),
            ("rate_limit_window_s", "300"),
            ("honeypot_enabled", "true"),
            ("honeypot_field", "pigeon_hp"),
            ("allow_guest_threads", "true"),
            ("allow_user_threads", "true"),
            ("allow_registration", "true"),
        ];
        // (what, page GET or action POST, fields)
        enum Step<'a> {
            Page(&'a str),
            Post(&'a str, Vec<(&'a str, &'a str)>),
        }
        let steps: Vec<(&str, Step)> = vec![
            ("inbox", Step::Page("/admin/pigeon")),
            ("trash page", Step::Page("/admin/pigeon/trash")),
            ("direct source", Step::Page("/admin/pigeon?source=direct")),
            ("settings page", Step::Page("/admin/pigeon/settings")),
            ("users page", Step::Page("/admin/users")),
            (
                "follow",
                Step::Post(
                    "/actions/pigeon/admin/follow",
                    vec![("thread_id", &tid), ("follow", "true")],
                ),
            ),
            (
                "bulk status",
                Step::Post(BULK, vec![("op", "closed"), ("thread_ids[]", &tid)]),
            ),
            (
                "bulk assign",
                Step::Post(
                    BULK,
                    vec![
                        ("op", "assign"),
                        ("assignee_id", &kim_id),
                        ("thread_ids[]", &tid),
                    ],
                ),
            ),
            (
                "trash",
                Step::Post("/actions/pigeon/admin/trash", vec![("thread_id", &tid)]),
            ),
            (
                "restore",
                Step::Post("/actions/pigeon/admin/restore", vec![("thread_id", &tid)]),
            ),
            (
                "save settings",
                Step::Post("/actions/pigeon/admin/settings", settings_form.clone()),
            ),
            (
                "change rights",
                Step::Post(
                    "/actions/pigeon/admin/users/access",
                    vec![("user_id", &target_id), ("access", "true")],
                ),
            ),
            (
                "disable",
                Step::Post(
                    "/actions/pigeon/admin/users/disable",
                    vec![("user_id", &target_id), ("disabled", "false")],
                ),
            ),
        ];
        // Which steps each role may take, in the order of `steps`.
        let allowed: [(&str, &str, [bool; 13]); 6] = [
            ("ann@example.com", "member-password", [false; 13]),
            (
                "reader@example.com",
                "staff-password",
                [
                    true, false, false, false, false, true, false, false, false, false, false,
                    false, false,
                ],
            ),
            (
                "writer@example.com",
                "staff-password",
                [
                    true, true, false, false, false, true, true, false, true, true, false, false,
                    false,
                ],
            ),
            (
                "assigner@example.com",
                "staff-password",
                [
                    true, false, false, false, false, true, false, true, false, false, false,
                    false, false,
                ],
            ),
            (
                "settings@example.com",
                "staff-password",
                [
                    false, false, false, true, false, false, false, false, false, false, true,
                    false, false,
                ],
            ),
            ("admin@example.com", "staff-password", [true; 13]),
        ];
        for (email, password, may) in allowed {
            let mut b = Browser::new(t.db.clone());
            b.log_in(email, password).await;
            for ((what, step), ok) in steps.iter().zip(may) {
                let (status, body) = match step {
                    Step::Page(path) => {
                        let r = b.get(path).await;
                        (r.status, r.body)
                    }
                    Step::Post(path, fields) => {
                        let r = b.post_js(path, fields).await;
                        (r.status, r.body)
                    }
                };
                if ok {
                    assert!(
                        status.is_success(),
                        "{email} may {what}: {status} {body:.300}"
                    );
                } else {
                    assert_eq!(status, StatusCode::FORBIDDEN, "{email} may not {what}");
                }
            }
        }
    }));
}

#[test]
fn sources_search_order_and_pages() {
    support::run(each_backend(|t| async move {
        let ann = viewer(
            &t.db,
            make_member(&t.db, "ann@example.com", "Ann Member").await,
        )
        .await;
        let bob = make_member(&t.db, "bob@example.com", "Bob").await;
        let sam = make_staff(
            &t.db,
            "sam@example.com",
            "Sam",
            perms(true, true, true, false),
        )
        .await;
        make_admin(&t.db).await;
        let mut ids = Vec::new();
        for i in 0..118 {
            ids.push(
                threads::start_support(&t.db, &ann, &format!("Question {i:03}"), "Routine text")
                    .await
                    .unwrap(),
            );
        }
        let refund = threads::start_support(&t.db, &ann, "Refund for order", "Please help")
            .await
            .unwrap();
        let form = guest::check_contact(&guest::ContactForm {
            name: "Gail Guest".into(),
            email: "gail.guest@example.org".into(),
            subject: "Shipping".into(),
            body: "Where is my zebra-striped parcel?".into(),
            ..Default::default()
        })
        .unwrap();
        let gail = guest::start(&t.db, &form, &[]).await.unwrap();
        let direct = threads::start_direct(&t.db, &ann, &[bob], "Private plans", "secret")
            .await
            .unwrap();
        let noted = ids[5];
        messages::post_message(
            &t.db,
            noted,
            messages::Author::User {
                id: sam.id,
                name: &sam.name,
                as_staff: true,
            },
            MessageKind::Note,
            "Customer is a VIP, be quick",
            None,
        )
        .await
        .unwrap();
        threads::assign(&t.db, &sam, ids[1], Some(sam.id))
            .await
            .unwrap();
        threads::change_status(&t.db, &sam, ids[2], ThreadStatus::Closed)
            .await
            .unwrap();
        threads::set_trashed(&t.db, &sam, ids[3], true)
            .await
            .unwrap();

        let mut b = Browser::new(t.db.clone());
        b.log_in("sam@example.com", "staff-password").await;
        let search = |q: &str| {
            format!(
                "/admin/pigeon?source=all&q={}",
                app::model::staff::encode_component(q)
            )
        };
        for (q, want) in [
            ("refund", vec![refund]),
            ("REFUND ord", vec![refund]),
            ("zebra", vec![gail]),
            ("gail.guest@example.org", vec![gail]),
            ("example.org", vec![gail]),
            ("Gail", vec![gail]),
            ("vip", vec![noted]),
            ("secret", vec![]),
            ("\"unbalanced OR*", vec![]),
        ] {
            let r = b.get(&search(q)).await;
            assert_eq!(r.status, StatusCode::OK, "{q}");
            assert_eq!(listed(&r.body), want, "search {q}");
        }
        let none = b.get(&search("nothingmatches")).await;
        assert!(none.body.contains("No threads match your search."));
        // Member emails and names are found too (Ann takes part in 119 threads).
        let by_member = b.get(&search("ann@example.com")).await;
        assert_eq!(listed(&by_member.body).len(), 50);

        // Sources.
        let mine = b.get("/admin/pigeon?source=mine").await;
        assert_eq!(listed(&mine.body), vec![ids[1]]);
        let closed = b.get("/admin/pigeon?source=closed").await;
        assert_eq!(listed(&closed.body), vec![ids[2]]);
        let trash = b.get("/admin/pigeon/trash").await;
        assert_eq!(listed(&trash.body), vec![ids[3]]);
        assert!(!b
            .get("/admin/pigeon?source=all&q=private")
            .await
            .body
            .contains("Private plans"));
        assert_eq!(
            b.get("/admin/pigeon?source=direct").await.status,
            StatusCode::FORBIDDEN
        );

        // Keyset pages: every live support thread exactly once, newest activity first.
        let mut seen = Vec::new();
        let mut url = "/admin/pigeon?source=all".to_string();
        loop {
            let r = b.get(&url).await;
            let page = listed(&r.body);
            assert!(page.len() <= 50);
            seen.extend(page);
            match next_cursor(&r.body) {
                Some(c) => url = format!("/admin/pigeon?source=all&cursor={c}"),
                None => break,
            }
        }
        let mut want: Vec<i64> = ids.iter().copied().filter(|i| *i != ids[3]).collect();
        want.extend([refund, gail]);
        let mut sorted = seen.clone();
        sorted.sort_unstable();
        want.sort_unstable();
        assert_eq!(sorted, want, "each thread once");
        assert_eq!(
            seen[0], gail,
            "newest activity first (notes and events do not count)"
        );

        // By subject, A to Z, over pages.
        let mut subjects = Vec::new();
        let mut url = "/admin/pigeon?source=needs-reply&sort=subject".to_string();
        loop {
            let r = b.get(&url).await;
            for id in listed(&r.body) {
                subjects.push(
                    db::threads::find(t.db.reader(), id)
                        .await
                        .unwrap()
                        .unwrap()
                        .subject,
                );
            }
            match next_cursor(&r.body) {
                Some(c) => {
                    url = format!("/admin/pigeon?source=needs-reply&sort=subject&cursor={c}")
                }
                None => break,
            }
        }
        assert_eq!(
            subjects.len(),
            116 + 2,
            "118 threads less one closed, one trashed"
        );
        let mut expected = subjects.clone();
        expected.sort();
        assert_eq!(subjects, expected);

        // Admins see direct threads.
        let mut ada = Browser::new(t.db.clone());
        ada.log_in("ada@example.com", "admin-password").await;
        assert_eq!(
            listed(&ada.get("/admin/pigeon?source=direct").await.body),
            vec![direct]
        );
        assert_eq!(listed(&ada.get(&search("secret")).await.body), vec![direct]);
    }));
}

#[test]
fn bulk_actions_with_and_without_javascript() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        make_staff(
            &t.db,
            "sam@example.com",
            "Sam",
            perms(true, true, true, false),
        )
        .await;
        let kim = make_staff(
            &t.db,
            "kim@example.com",
            "Kim",
            perms(true, true, false, false),
        )
        .await;
        let mut ids = Vec::new();
        for i in 0..5 {
            ids.push(
                threads::start_support(&t.db, &ann, &format!("Q{i}"), "Help")
                    .await
                    .unwrap(),
            );
        }
        deliver(&t.db).await;
        let s: Vec<String> = ids.iter().map(|i| i.to_string()).collect();
        let mut b = Browser::new(t.db.clone());
        b.log_in("sam@example.com", "staff-password").await;
        let inbox = "/admin/pigeon?source=needs-reply";
        // Without JavaScript: close two, back to the same view with a notice.
        let r = b
            .post_form(
                inbox,
                BULK,
                &[
                    ("op", "closed"),
                    ("thread_ids[]", &s[0]),
                    ("thread_ids[]", &s[1]),
                    ("return_to", inbox),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        // The notice carries the action's undo.
        assert!(
            r.location()
                .starts_with("/admin/pigeon?source=needs-reply&notice=updated&undo="),
            "{}",
            r.location()
        );
        for id in &ids[..2] {
            let th = db::threads::find(t.db.reader(), *id)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(th.status, ThreadStatus::Closed);
        }
        let page = b.get(inbox).await;
        assert_eq!(listed(&page.body).len(), 3);
        // Assign two to Kim, who is emailed about each.
        let kim_id = kim.id.to_string();
        let r = b
            .post_js(
                BULK,
                &[
                    ("op", "assign"),
                    ("assignee_id", &kim_id),
                    ("thread_ids[]", &s[2]),
                    ("thread_ids[]", &s[3]),
                ],
            )
            .await;
        assert!(r.status.is_success(), "{}", r.body);
        let to_kim = deliver(&t.db)
            .await
            .into_iter()
            .filter(|e| e.to == "kim@example.com")
            .count();
        assert_eq!(to_kim, 2);
        // A refused choice changes nothing: an unknown thread among them.
        let r = b
            .post_js(
                BULK,
                &[
                    ("op", "closed"),
                    ("thread_ids[]", &s[4]),
                    ("thread_ids[]", "999999"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let th = db::threads::find(t.db.reader(), ids[4])
            .await
            .unwrap()
            .unwrap();
        assert_eq!(th.status, ThreadStatus::Pending);
        // Nothing chosen, or an unknown action: a clear 422 on the page.
        let r = b
            .post_form(inbox, BULK, &[("op", "closed"), ("return_to", inbox)])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Choose at least one thread."));
        let r = b
            .post_js(BULK, &[("op", "explode"), ("thread_ids[]", &s[4])])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        // Trash, restore, and delete for good only with confirmation and only from the Trash.
        let r = b
            .post_js(
                BULK,
                &[
                    ("op", "delete"),
                    ("confirm", "yes"),
                    ("thread_ids[]", &s[4]),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        b.post_js(
            BULK,
            &[
                ("op", "trash"),
                ("thread_ids[]", &s[3]),
                ("thread_ids[]", &s[4]),
            ],
        )
        .await;
        assert_eq!(listed(&b.get("/admin/pigeon/trash").await.body).len(), 2);
        assert!(!listed(&b.get("/admin/pigeon").await.body).contains(&ids[4]));
        let r = b
            .post_form(
                "/admin/pigeon/trash",
                BULK,
                &[
                    ("op", "delete"),
                    ("thread_ids[]", &s[4]),
                    ("return_to", "/admin/pigeon/trash"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Delete for good"));
        b.post_js(BULK, &[("op", "restore"), ("thread_ids[]", &s[3])])
            .await;
        let r = b
            .post_js(
                BULK,
                &[
                    ("op", "delete"),
                    ("confirm", "yes"),
                    ("thread_ids[]", &s[4]),
                ],
            )
            .await;
        assert!(r.status.is_success());
        assert!(db::threads::find(t.db.reader(), ids[4])
            .await
            .unwrap()
            .is_none());
        assert!(db::threads::find(t.db.reader(), ids[3])
            .await
            .unwrap()
            .unwrap()
            .deleted_at
            .is_none());
        assert!(listed(&b.get("/admin/pigeon/trash").await.body).is_empty());
        // The search index forgets deleted threads' words.
        assert!(listed(&b.get("/admin/pigeon?q=Q4").await.body).is_empty());
    }));
}

#[test]
fn settings_are_checked_kept_on_error_and_apply_at_once() {
    support::run(each_backend(|t| async move {
        make_staff(
            &t.db,
            "set@example.com",
            "Setter",
            perms(false, false, false, true),
        )
        .await;
        let mut b = Browser::new(t.db.clone());
        b.log_in("set@example.com", "staff-password").await;
        let page = "/admin/pigeon/settings";
        let mut form = vec![
            ("site_name", "Acme Help"),
            ("from_name", "Acme"),
            ("from_email", "help@acme.test"),
            ("support_recipients", "a@acme.test\nb@acme.test"),
            ("allow_guest_threads", "true"),
            ("guest_token_lifetime_days", "0"),
            ("rate_limit_max", "20"),
            ("rate_limit_window_s", "600"),
            ("honeypot_field", "website"),
        ];
        let r = b
            .post_form(page, "/actions/pigeon/admin/settings", &form)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("Links can work for 1 to 365 days."));
        assert!(r.body.contains("Acme Help") && r.body.contains("help@acme.test"));
        let stored = app::backend::settings::load(&t.db).await.unwrap();
        assert_eq!(stored.site_name, "Pigeon", "nothing saved");
        form[5] = ("guest_token_lifetime_days", "14");
        let r = b
            .post_form(page, "/actions/pigeon/admin/settings", &form)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let s = app::backend::settings::load(&t.db).await.unwrap();
        assert_eq!(s.site_name, "Acme Help");
        assert_eq!(s.guest_token_lifetime_days, 14);
        assert_eq!(s.support_recipients, vec!["a@acme.test", "b@acme.test"]);
        assert!(!s.allow_registration && !s.allow_user_threads && !s.honeypot_enabled);
        assert!(s.allow_guest_threads);
        // Another instance over the same database sees it on its next request.
        let mut other = Browser::new(t.second_pool().await);
        let home = other.get("/contact").await;
        assert!(home.body.contains("Acme Help"));
        assert!(!other
            .get("/register")
            .await
            .body
            .contains("name=\"password\""));
    }));
}

#[test]
fn admins_create_staff_change_rights_and_disable_accounts() {
    support::run(each_backend(|t| async move {
        make_admin(&t.db).await;
        let mut ada = Browser::new(t.db.clone());
        ada.log_in("ada@example.com", "admin-password").await;
        let r = ada
            .post_form(
                "/admin/users",
                "/actions/pigeon/admin/users/create",
                &[
                    ("name", "Nell New"),
                    ("email", "nell@example.com"),
                    ("password", "short"),
                    ("access", "true"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("nell@example.com") && !r.body.contains("value=\"short\""));
        let r = ada
            .post_form(
                "/admin/users",
                "/actions/pigeon/admin/users/create",
                &[
                    ("name", "Nell New"),
                    ("email", "nell@example.com"),
                    ("password", "nell-password"),
                    ("access", "true"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let list = ada.get("/admin/users?q=nell").await;
        assert!(list.body.contains("Nell New") && list.body.contains("nell@example.com"));
        let nell = db::users::find_by_email(t.db.reader(), "nell@example.com")
            .await
            .unwrap()
            .unwrap();
        assert!(nell.email_verified && nell.permissions.access && !nell.permissions.manage_threads);
        let mut b = Browser::new(t.db.clone());
        b.log_in("nell@example.com", "nell-password").await;
        assert_eq!(b.get("/admin/pigeon").await.status, StatusCode::OK);
        // Revoke: the next request is refused.
        let nid = nell.id.to_string();
        let r = ada
            .post_js("/actions/pigeon/admin/users/access", &[("user_id", &nid)])
            .await;
        assert!(r.status.is_success());
        assert_eq!(b.get("/admin/pigeon").await.status, StatusCode::FORBIDDEN);
        // Disable: the session ends at once.
        let r = ada
            .post_js(
                "/actions/pigeon/admin/users/disable",
                &[("user_id", &nid), ("disabled", "true")],
            )
            .await;
        assert!(r.status.is_success());
        let r = b.get("/admin/pigeon").await;
        assert!(
            r.status.is_redirection() && r.location().starts_with("/login"),
            "{}",
            r.status
        );
        // Nobody locks themselves out.
        let ada_id = db::users::find_by_email(t.db.reader(), "ada@example.com")
            .await
            .unwrap()
            .unwrap()
            .id
            .to_string();
        let r = ada
            .post_js(
                "/actions/pigeon/admin/users/disable",
                &[("user_id", &ada_id), ("disabled", "true")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = ada
            .post_js(
                "/actions/pigeon/admin/users/access",
                &[("user_id", &ada_id), ("access", "true")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(ada.get("/admin/users").await.status, StatusCode::OK);
    }));
}
