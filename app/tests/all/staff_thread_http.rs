//! The staff conversation page and its actions through the real router: who may read and
//! write, notes, status after sending, assignment, and that viewing subscribes nobody.
use crate::support;

use app::backend::db;
use app::backend::service::threads;
use app::model::thread::ThreadStatus;
use app::model::viewer::Permissions;
use http::StatusCode;
use support::http_client::Browser;
use support::mail::deliver;
use support::{each_backend, make_admin, make_member, make_user, viewer};

const REPLY: &str = "/actions/pigeon/admin/reply";
const STATUS: &str = "/actions/pigeon/admin/status";
const ASSIGN: &str = "/actions/pigeon/admin/assign";

fn perms(access: bool, manage: bool, assign: bool) -> Permissions {
    Permissions {
        access,
        manage_threads: manage,
        assign_threads: assign,
        manage_settings: false,
    }
}

#[test]
fn each_staff_permission_opens_exactly_its_actions() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        let id = threads::start_support(&t.db, &ann, "Billing", "Help")
            .await
            .unwrap();
        make_user(
            &t.db,
            "read@example.com",
            "Reader",
            "staff-password",
            perms(true, false, false),
            false,
        )
        .await;
        make_user(
            &t.db,
            "write@example.com",
            "Writer",
            "staff-password",
            perms(true, true, false),
            false,
        )
        .await;
        make_user(
            &t.db,
            "assign@example.com",
            "Assigner",
            "staff-password",
            perms(true, false, true),
            false,
        )
        .await;
        let kim = make_user(
            &t.db,
            "kim@example.com",
            "Kim",
            "staff-password",
            perms(true, true, true),
            false,
        )
        .await;
        let page = format!("/admin/pigeon/threads/{id}");
        let tid = id.to_string();
        let kim_id = kim.to_string();
        // (who, may view, may reply, may set status, may assign)
        let table = [
            (
                "ann@example.com",
                "member-password",
                false,
                false,
                false,
                false,
            ),
            (
                "read@example.com",
                "staff-password",
                true,
                false,
                false,
                false,
            ),
            (
                "write@example.com",
                "staff-password",
                true,
                true,
                true,
                false,
            ),
            (
                "assign@example.com",
                "staff-password",
                true,
                false,
                false,
                true,
            ),
        ];
        for (email, password, view, reply, status, assign) in table {
            let mut b = Browser::new(t.db.clone());
            b.log_in(email, password).await;
            let r = b.get(&page).await;
            assert_eq!(
                r.status == StatusCode::OK && r.body.contains("Billing"),
                view,
                "{email} view"
            );
            assert_eq!(
                r.body.contains("Reply or add a note"),
                reply,
                "{email} sees the composer"
            );
            let r = b
                .post_js(REPLY, &[("thread_id", &tid), ("body", "Hi")])
                .await;
            assert_eq!(r.status.is_success(), reply, "{email} reply: {}", r.status);
            let r = b
                .post_js(STATUS, &[("thread_id", &tid), ("status", "open")])
                .await;
            assert_eq!(
                r.status.is_success(),
                status,
                "{email} status: {}",
                r.status
            );
            let r = b
                .post_js(ASSIGN, &[("thread_id", &tid), ("assignee_id", &kim_id)])
                .await;
            assert_eq!(
                r.status.is_success(),
                assign,
                "{email} assign: {}",
                r.status
            );
            if assign {
                b.post_js(ASSIGN, &[("thread_id", &tid), ("assignee_id", "")])
                    .await;
            }
        }
    }));
}

#[test]
fn a_note_and_a_reply_with_a_status_from_the_inbox_without_javascript() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        make_user(
            &t.db,
            "sam@example.com",
            "Sam",
            "staff-password",
            perms(true, true, true),
            false,
        )
        .await;
        let id = threads::start_support(&t.db, &ann, "Billing", "Help")
            .await
            .unwrap();
        deliver(&t.db).await;
        let page = format!("/admin/pigeon/threads/{id}");
        let tid = id.to_string();
        let mut b = Browser::new(t.db.clone());
        b.log_in("sam@example.com", "staff-password").await;
        let before = db::participants::list(t.db.reader(), id)
            .await
            .unwrap()
            .len();
        b.get(&page).await;
        assert_eq!(
            db::participants::list(t.db.reader(), id)
                .await
                .unwrap()
                .len(),
            before,
            "viewing subscribes nobody"
        );
        let r = b
            .post_form(
                &page,
                REPLY,
                &[
                    ("thread_id", &tid),
                    ("body", "NOTE-5 check"),
                    ("is_internal_note", "true"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = b
            .post_form(
                &page,
                REPLY,
                &[
                    ("thread_id", &tid),
                    ("body", "Done, Ann"),
                    ("status_after", "closed"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let shown = b.get(&page).await;
        assert!(shown.body.contains("NOTE-5 check") && shown.body.contains("Internal note"));
        assert!(shown.body.contains("changed the status"));
        let thread = db::threads::find(t.db.reader(), id).await.unwrap().unwrap();
        assert_eq!(thread.status, ThreadStatus::Closed);
        let emails = deliver(&t.db).await;
        let to_ann: Vec<_> = emails
            .iter()
            .filter(|e| e.to == "ann@example.com")
            .collect();
        assert_eq!(to_ann.len(), 1);
        assert!(to_ann[0].text.contains("Done, Ann") && !to_ann[0].text.contains("NOTE-5"));
        let empty = b
            .post_form(&page, REPLY, &[("thread_id", &tid), ("body", "   ")])
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        let bad = b
            .post_form(
                &page,
                REPLY,
                &[
                    ("thread_id", &tid),
                    ("body", "Kept text"),
                    ("status_after", "bogus"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("Kept text"));
    }));
}

#[test]
fn direct_threads_are_for_admins_only() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        let bob = make_member(&t.db, "bob@example.com", "Bob").await;
        let id = threads::start_direct(&t.db, &ann, &[bob], "Private", "Secret plans")
            .await
            .unwrap();
        make_user(
            &t.db,
            "sam@example.com",
            "Sam",
            "staff-password",
            perms(true, true, true),
            false,
        )
        .await;
        make_admin(&t.db).await;
        let page = format!("/admin/pigeon/threads/{id}");
        let mut sam = Browser::new(t.db.clone());
        sam.log_in("sam@example.com", "staff-password").await;
        let r = sam.get(&page).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(!r.body.contains("Secret plans"));
        let mut ada = Browser::new(t.db.clone());
        ada.log_in("ada@example.com", "admin-password").await;
        assert!(ada.get(&page).await.body.contains("Secret plans"));
    }));
}

#[test]
fn a_long_conversation_opens_on_its_newest_messages_with_the_earlier_ones_one_link_away() {
    support::run(each_backend(|t| async move {
        let ann_id = make_member(&t.db, "ann@example.com", "Ann").await;
        let ann = viewer(&t.db, ann_id).await;
        make_user(
            &t.db,
            "sam@example.com",
            "Sam",
            "staff-password",
            perms(true, true, false),
            false,
        )
        .await;
        let id = threads::start_support(&t.db, &ann, "Long", "first-of-all")
            .await
            .unwrap();
        let author = app::backend::service::messages::Author::User {
            id: ann.id,
            name: &ann.name,
            as_staff: false,
        };
        for i in 1..=40 {
            app::backend::service::messages::post_message(
                &t.db,
                id,
                author,
                app::model::thread::MessageKind::Message,
                format!("message-number-{i}").as_str(),
                None,
            )
            .await
            .unwrap();
        }
        for (who, password, page) in [
            (
                "sam@example.com",
                "staff-password",
                format!("/admin/pigeon/threads/{id}"),
            ),
            (
                "ann@example.com",
                "member-password",
                format!("/pigeon/threads/{id}"),
            ),
        ] {
            let mut b = Browser::new(t.db.clone());
            b.log_in(who, password).await;
            let short = b.get(&page).await;
            assert_eq!(short.status, StatusCode::OK);
            assert!(
                short.body.contains("message-number-40"),
                "the newest is shown"
            );
            assert!(
                !short.body.contains(">first-of-all<"),
                "the oldest waits behind the link"
            );
            assert!(short.body.contains("Show 11 earlier messages"), "{page}");
            assert!(
                short.body.contains(&format!("href=\"{page}?all=1\"")),
                "{page}"
            );
            let all = b.get(&format!("{page}?all=1")).await;
            assert!(all.body.contains("first-of-all"));
            assert!(!all.body.contains("earlier messages"));
        }
    }));
}
