//! The staff nav badge and the dashboard's Pigeon Inbox widget count the same set: support
//! threads awaiting a reply, unassigned or assigned to the viewer (admins: all).
use crate::support;

use app::backend::service::{accounts, threads};
use app::model::thread::ThreadStatus;
use app::model::viewer::Permissions;
use support::http_client::Browser;
use support::MANAGER;
use support::{each_backend, make_admin, make_member, make_staff, viewer};

#[test]
fn the_badge_and_the_widget_show_the_same_threads_awaiting_a_reply() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        let bob = make_member(&t.db, "bob@example.com", "Bob").await;
        let sam = make_staff(&t.db, "sam@example.com", "Sam", MANAGER).await;
        let kim = make_staff(&t.db, "kim@example.com", "Kim", MANAGER).await;
        make_admin(&t.db).await;
        let mut ids = Vec::new();
        for i in 0..12 {
            ids.push(
                threads::start_support(&t.db, &ann, &format!("Question {i:02}"), "Help")
                    .await
                    .unwrap(),
            );
        }
        threads::assign(&t.db, &sam, ids[0], Some(kim.id))
            .await
            .unwrap(); // Kim's
        threads::assign(&t.db, &sam, ids[1], Some(sam.id))
            .await
            .unwrap(); // Sam's own
        threads::change_status(&t.db, &sam, ids[2], ThreadStatus::Closed)
            .await
            .unwrap();
        threads::set_trashed(&t.db, &sam, ids[3], true)
            .await
            .unwrap();
        threads::start_direct(&t.db, &ann, &[bob], "Private", "Hi")
            .await
            .unwrap();
        // Sam: 12 − Kim's − closed − trashed = 9.
        let mut b = Browser::new(t.db.clone());
        b.log_in("sam@example.com", "staff-password").await;
        let page = b.get("/admin").await;
        assert!(
            page.body.contains("9 threads awaiting a reply"),
            "{}",
            page.body
        );
        // The link reads "Admin, 9 awaiting a reply"; the visible badge is hidden from readers.
        assert!(page.body.contains("Admin, 9 awaiting a reply"));
        assert!(page.body.contains("<span class=\"badge\">9"));
        let listed = page.body.matches("href=\"/admin/pigeon/threads/").count();
        assert_eq!(listed, 8, "the eight most recent");
        assert!(page.body.contains("Question 11") && !page.body.contains("Question 00"));
        assert!(!page.body.contains("Question 02") && !page.body.contains("Question 03"));
        // The admin sees every pending support thread: 12 − closed − trashed = 10.
        let mut a = Browser::new(t.db.clone());
        a.log_in("ada@example.com", "admin-password").await;
        assert!(a
            .get("/admin")
            .await
            .body
            .contains("10 threads awaiting a reply"));
        // Nothing waiting.
        for id in &ids {
            let _ = threads::change_status(&t.db, &sam, *id, ThreadStatus::Closed).await;
        }
        let empty = b.get("/admin").await;
        assert!(empty.body.contains("Nothing waiting on a reply"));
        assert!(!empty.body.contains("awaiting a reply</span>"));
        // Losing `access` takes the badge and the widget away.
        accounts::set_permissions(
            &t.db,
            sam.id,
            false,
            Permissions {
                manage_settings: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert!(!b.get("/admin").await.body.contains("Pigeon Inbox"));
    }));
}
