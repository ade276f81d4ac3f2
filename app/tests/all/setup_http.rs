//! The first run without a terminal: while no administrator exists there is a one-time
//! setup link; its page creates the first administrator and logs them in; the code works
//! once, a bad field keeps it usable, and every code is gone once an administrator exists.
use crate::support;

use app::backend::db;
use app::backend::service::setup;
use http::StatusCode;
use support::each_backend;
use support::http_client::Browser;

const SETUP: &str = "/actions/pigeon/setup";

#[test]
fn the_setup_link_makes_the_first_administrator_once() {
    support::run(each_backend(|t| async move {
        let old = setup::prepare(&t.db)
            .await
            .unwrap()
            .expect("a code while no admin exists");
        let code = setup::prepare(&t.db)
            .await
            .unwrap()
            .expect("a fresh code at each start");
        assert!(
            !setup::code_valid(&t.db, &old).await.unwrap(),
            "only the newest code works"
        );
        let mut b = Browser::new(t.db.clone());
        let dead = b.get(&format!("/setup?code={old}")).await;
        assert!(dead.body.contains("This setup link no longer works"));
        let page = format!("/setup?code={code}");
        let form = b.get(&page).await;
        assert!(
            form.body.contains("Create the administrator"),
            "{}",
            form.body
        );
        // A bad field: refused with the text kept, and the code still works.
        let fields = [
            ("code", code.as_str()),
            ("name", "Ada"),
            ("email", "ada@example.com"),
            ("password", "short"),
        ];
        let refused = b.post_form(&page, SETUP, &fields).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("ada@example.com"),
            "the typed text is kept: {}",
            refused.body
        );
        assert!(setup::code_valid(&t.db, &code).await.unwrap());
        // The first administrator, logged in at once.
        let fields = [
            ("code", code.as_str()),
            ("name", "Ada"),
            ("email", "ada@example.com"),
            ("password", "a long enough password"),
        ];
        let done = b.post_form(&page, SETUP, &fields).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        assert_eq!(done.location(), "/admin?notice=welcome");
        let dashboard = b.get("/admin").await;
        assert!(dashboard.body.contains("Ada"), "logged in");
        assert!(db::setup::admin_exists(t.db.reader()).await.unwrap());
        // Once: the code is gone, the page says so, and no new code is made.
        let mut other = Browser::new(t.db.clone());
        let again = [
            ("code", code.as_str()),
            ("name", "Mallory"),
            ("email", "mallory@example.com"),
            ("password", "another long password"),
        ];
        let second = other.post_form(&page, SETUP, &again).await;
        assert_eq!(second.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(other.get(&page).await.body.contains("no longer works"));
        assert_eq!(setup::prepare(&t.db).await.unwrap(), None);
        let admins: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE is_admin <> 0")
            .fetch_one(t.db.reader())
            .await
            .unwrap();
        assert_eq!(admins, 1);
    }));
}
