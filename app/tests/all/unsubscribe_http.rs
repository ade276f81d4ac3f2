//! One-click unsubscribe from the emails' List-Unsubscribe header.
use crate::support;

use app::backend::db::{self, Db};
use app::backend::mail::transport::Mailer;
use app::backend::mail::worker::process_due;
use app::backend::service::threads;
use axum::body::Body;
use http::{header, Request, StatusCode};
use support::http_client::Browser;
use support::{app_state, each_backend, make_member, viewer};

/// Sends Bob's notification and returns the unsubscribe URL's path from the email.
async fn unsubscribe_path(db: &Db) -> (i64, String) {
    let ann = viewer(db, make_member(db, "ann@example.com", "Ann").await).await;
    let bob = make_member(db, "bob@example.com", "Bob").await;
    let id = threads::start_direct(db, &ann, &[bob], "Plans", "Hello")
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    process_due(
        &app_state(db.clone()),
        &Mailer::Files(dir.path().into()),
        None,
    )
    .await
    .unwrap();
    let file = std::fs::read_dir(dir.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let eml = std::fs::read_to_string(file).unwrap();
    assert!(
        eml.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{eml}"
    );
    let line = eml
        .lines()
        .find(|l| l.starts_with("List-Unsubscribe: <"))
        .unwrap();
    let url = line
        .trim_start_matches("List-Unsubscribe: <")
        .trim_end_matches('>');
    (id, url.trim_start_matches("http://pigeon.test").to_string())
}

async fn bob_notified(db: &Db, thread_id: i64) -> bool {
    let bob = db::users::find_by_email(db.reader(), "bob@example.com")
        .await
        .unwrap()
        .unwrap();
    db::participants::find_user(db.reader(), thread_id, bob.id)
        .await
        .unwrap()
        .unwrap()
        .notify
}

#[test]
fn the_one_click_post_mutes_the_thread_without_a_login() {
    support::run(each_backend(|t| async move {
        let (id, path) = unsubscribe_path(&t.db).await;
        let mut mail_client = Browser::new(t.db.clone());
        let look = mail_client.get(&path).await;
        assert_eq!(look.status, StatusCode::OK);
        assert!(look.body.contains("Stop emails"));
        assert!(bob_notified(&t.db, id).await, "a GET changes nothing");
        let post = Request::post(&path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("List-Unsubscribe=One-Click"))
            .unwrap();
        let r = mail_client.send(post).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(!bob_notified(&t.db, id).await);
    }));
}

#[test]
fn the_confirmation_button_mutes_and_says_so() {
    support::run(each_backend(|t| async move {
        let (id, path) = unsubscribe_path(&t.db).await;
        let mut b = Browser::new(t.db.clone());
        let r = b.post_form(&path, &path, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let done = b.get(r.location()).await;
        assert!(done.body.contains("you will no longer get emails"));
        assert!(!bob_notified(&t.db, id).await);
    }));
}

#[test]
fn a_forged_or_altered_link_changes_nothing() {
    support::run(each_backend(|t| async move {
        let (id, path) = unsubscribe_path(&t.db).await;
        let (prefix, sig) = path.rsplit_once('/').unwrap();
        let pid: i64 = prefix.rsplit('/').next().unwrap().parse().unwrap();
        let mut b = Browser::new(t.db.clone());
        for forged in [
            format!("/pigeon/unsubscribe/{}/{sig}", pid + 1),
            format!("{prefix}/{}", "0".repeat(64)),
        ] {
            let post = Request::post(&forged).body(Body::empty()).unwrap();
            assert_eq!(b.send(post).await.status, StatusCode::NOT_FOUND);
        }
        assert!(bob_notified(&t.db, id).await);
    }));
}
