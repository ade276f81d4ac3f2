//! The admin's mail queue page.
use crate::support;

use app::backend::db::{self, mail_queue, now_ms, Db};
use app::backend::mail::worker::LEASE_MS;
use app::backend::service::threads;
use app::model::viewer::Permissions;
use http::StatusCode;
use support::http_client::Browser;
use support::{each_backend, make_admin, make_member, make_user};

async fn failed_email(db: &Db) -> i64 {
    let ann = make_member(db, "ann@example.com", "Ann").await;
    let ann = db::users::find_by_id(db.reader(), ann)
        .await
        .unwrap()
        .unwrap()
        .to_viewer();
    let bob = make_member(db, "bob@example.com", "Bob").await;
    threads::start_direct(db, &ann, &[bob], "Quarterly plans", "Hi")
        .await
        .unwrap();
    let row = mail_queue::claim(db, now_ms(), LEASE_MS, 1)
        .await
        .unwrap()
        .remove(0);
    mail_queue::mark_failed(
        &mut db.write_single().await.unwrap(),
        row.id,
        "550 5.1.1 mailbox unavailable",
    )
    .await
    .unwrap();
    row.id
}

#[test]
fn admins_see_failed_emails_with_their_error_and_can_retry_them() {
    support::run(each_backend(|t| async move {
        let id = failed_email(&t.db).await;
        make_admin(&t.db).await;
        let mut admin = Browser::new(t.db.clone());
        admin.log_in("ada@example.com", "admin-password").await;
        let page = admin.get("/admin/pigeon/outbox").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("0 pending · 1 failed · 0 sent"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("550 5.1.1 mailbox unavailable")
                && page.body.contains("Quarterly plans")
        );
        let r = admin
            .post_form(
                "/admin/pigeon/outbox",
                "/actions/pigeon/admin/outbox/retry",
                &[("id", &id.to_string())],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(mail_queue::counts(t.db.reader()).await.unwrap(), (1, 0, 0));
    }));
}

#[test]
fn the_mail_queue_is_for_admins_only() {
    support::run(each_backend(|t| async move {
        failed_email(&t.db).await;
        let staff = Permissions {
            access: true,
            manage_threads: true,
            assign_threads: true,
            manage_settings: true,
        };
        make_user(
            &t.db,
            "sam@example.com",
            "Sam",
            "staff-password",
            staff,
            false,
        )
        .await;
        let mut sam = Browser::new(t.db.clone());
        sam.log_in("sam@example.com", "staff-password").await;
        let page = sam.get("/admin/pigeon/outbox").await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert!(!page.body.contains("mailbox unavailable"));
        let r = sam.post_js("/actions/pigeon/admin/outbox/retry", &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(mail_queue::counts(t.db.reader()).await.unwrap(), (0, 1, 0));
        let mut visitor = Browser::new(t.db.clone());
        assert_eq!(
            visitor.get("/admin/pigeon/outbox").await.status,
            StatusCode::FOUND
        );
    }));
}
