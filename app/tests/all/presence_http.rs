//! Staff presence: colleagues see who has a conversation open and who is writing, on the
//! conversation and its inbox row, and not once they leave or stop renewing; nobody without
//! access to the thread can say or learn it.
use crate::support;

use app::backend::db;
use app::backend::service::{presence, threads};
use app::model::viewer::Permissions;
use http::StatusCode;
use support::http_client::Browser;
use support::{each_backend, make_member, make_staff, viewer};

const PRESENCE: &str = "/api/pigeon/admin/presence";

fn agent() -> Permissions {
    Permissions {
        access: true,
        manage_threads: true,
        assign_threads: false,
        manage_settings: false,
    }
}

async fn seen_by(db: &db::Db, who: &app::model::viewer::Viewer, id: i64) -> Vec<String> {
    let present = presence::others_on_thread(db, who, id).await.unwrap();
    present.iter().map(|p| p.label()).collect()
}

#[test]
fn colleagues_see_who_is_viewing_and_writing_until_they_leave() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        let sam = make_staff(&t.db, "sam@example.com", "Sam", agent()).await;
        let kim = make_staff(&t.db, "kim@example.com", "Kim", agent()).await;
        let id = threads::start_support(&t.db, &ann, "Billing", "Help")
            .await
            .unwrap();
        let events = || async { db::events::latest_id(&t.db).await.unwrap() };
        presence::renew(&t.db, &sam, id, "viewing").await.unwrap();
        assert_eq!(seen_by(&t.db, &kim, id).await, ["Sam is viewing"]);
        assert!(
            seen_by(&t.db, &sam, id).await.is_empty(),
            "nobody sees themselves"
        );
        // Renewing with nothing new writes nothing (no change for anyone to hear of).
        let before = events().await;
        presence::renew(&t.db, &sam, id, "viewing").await.unwrap();
        assert_eq!(events().await, before);
        presence::renew(&t.db, &sam, id, "noting").await.unwrap();
        assert!(events().await > before, "a new state is a change");
        assert_eq!(seen_by(&t.db, &kim, id).await, ["Sam is writing a note…"]);
        // The inbox row says it too.
        let mut b = Browser::new(t.db.clone());
        b.log_in("kim@example.com", "staff-password").await;
        let inbox = b.get("/admin/pigeon?source=all").await;
        assert!(inbox.body.contains("Sam is writing a note…"));
        presence::renew(&t.db, &sam, id, "left").await.unwrap();
        assert!(seen_by(&t.db, &kim, id).await.is_empty());
        // A page that stops renewing is gone once its time is up.
        presence::renew(&t.db, &sam, id, "replying").await.unwrap();
        let later = db::now_ms() + presence::LASTS_MS + 1;
        let mut w = t.db.write_single().await.unwrap();
        db::presence::sweep(&mut w, later).await.unwrap();
        drop(w);
        assert!(seen_by(&t.db, &kim, id).await.is_empty());
        // Writes are limited per person: a page flipping its state without end is refused
        // (twice the limit and one more: some window of the limit sees more than its share).
        let flips = ["replying", "noting"].iter().cycle();
        let mut refusals = Vec::new();
        for state in flips.take(2 * presence::WRITES.max as usize + 1) {
            if let Err(e) = presence::renew(&t.db, &kim, id, state).await {
                refusals.push(e);
            }
        }
        assert!(!refusals.is_empty(), "past the limit a renewal is refused");
        assert!(refusals
            .iter()
            .all(|e| matches!(e, app::error::AppError::RateLimited { .. })));
    }));
}

#[test]
fn only_staff_who_may_read_the_thread_can_say_they_are_there() {
    support::run(each_backend(|t| async move {
        let ann_id = make_member(&t.db, "ann@example.com", "Ann").await;
        let ann = viewer(&t.db, ann_id).await;
        make_staff(&t.db, "sam@example.com", "Sam", agent()).await;
        let id = threads::start_support(&t.db, &ann, "Billing", "Help")
            .await
            .unwrap();
        let tid = id.to_string();
        let mut member = Browser::new(t.db.clone());
        member.log_in("ann@example.com", "member-password").await;
        let r = member
            .post_js(PRESENCE, &[("thread_id", &tid), ("state", "viewing")])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let mut nobody = Browser::new(t.db.clone());
        let r = nobody
            .post_js(PRESENCE, &[("thread_id", &tid), ("state", "viewing")])
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let mut staff = Browser::new(t.db.clone());
        staff.log_in("sam@example.com", "staff-password").await;
        let r = staff
            .post_js(PRESENCE, &[("thread_id", &tid), ("state", "dancing")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let r = staff
            .post_js(PRESENCE, &[("thread_id", "999999"), ("state", "viewing")])
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = staff
            .post_js(PRESENCE, &[("thread_id", &tid), ("state", "replying")])
            .await;
        assert!(r.status.is_success(), "{}", r.status);
    }));
}
