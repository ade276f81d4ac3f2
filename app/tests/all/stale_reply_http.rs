//! Nobody answers a customer twice: a staff reply or note carries the newest message its
//! writer saw, and when someone else wrote since, nothing is sent (409), the page shows the
//! new message above the kept text, and sending again is a deliberate "Send anyway".
use crate::support;

use app::backend::db;
use app::backend::service::{messages::post_message, threads};
use app::model::thread::MessageKind;
use http::StatusCode;
use support::http_client::Browser;
use support::{each_backend, make_member, make_user, viewer};

const REPLY: &str = "/actions/pigeon/admin/reply";

fn agent() -> app::model::viewer::Permissions {
    app::model::viewer::Permissions {
        access: true,
        manage_threads: true,
        assign_threads: false,
        manage_settings: false,
    }
}

/// The visible messages of a thread (not notes or system events).
async fn messages_in(db: &db::Db, id: i64) -> i64 {
    db::messages::list(db, id, true).await.unwrap().len() as i64
}

#[test]
fn a_reply_written_before_a_colleagues_answer_is_held_with_its_text_and_can_be_sent_anyway() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        for (email, name) in [("sam@example.com", "Sam"), ("kim@example.com", "Kim")] {
            make_user(&t.db, email, name, "staff-password", agent(), false).await;
        }
        let id = threads::start_support(&t.db, &ann, "Refund", "Where is my refund?")
            .await
            .unwrap();
        let first = db::messages::list(&t.db, id, false).await.unwrap()[0].id;
        let (page, tid, seen) = (
            format!("/admin/pigeon/threads/{id}"),
            id.to_string(),
            first.to_string(),
        );
        let mut sam = Browser::new(t.db.clone());
        sam.log_in("sam@example.com", "staff-password").await;
        let mut kim = Browser::new(t.db.clone());
        kim.log_in("kim@example.com", "staff-password").await;
        // Both opened the conversation at the customer's message; Kim answers first.
        let kim_says = [
            ("thread_id", tid.as_str()),
            ("body", "KIM-ANSWER refund sent"),
            ("seen_up_to", seen.as_str()),
        ];
        let r = kim.post_form(&page, REPLY, &kim_says).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let before = messages_in(&t.db, id).await;
        // Without JavaScript: 409, the page again with Kim's answer above Sam's kept text.
        let sam_pairs = [
            ("thread_id", tid.as_str()),
            ("body", "SAM-ANSWER refund sent"),
            ("seen_up_to", seen.as_str()),
        ];
        let held = sam.post_form(&page, REPLY, &sam_pairs).await;
        assert_eq!(held.status, StatusCode::CONFLICT);
        let kim_at = held
            .body
            .find("KIM-ANSWER")
            .expect("the new answer is shown");
        let kept_at = held.body.find("SAM-ANSWER").expect("the text is kept");
        assert!(kim_at < kept_at, "the new answer is above the kept text");
        assert!(held.body.contains("Send anyway"));
        assert_eq!(messages_in(&t.db, id).await, before, "nothing was posted");
        // The hydrated app gets the error itself, with its status.
        let js = sam.post_js(REPLY, &sam_pairs).await;
        assert_eq!(js.status, StatusCode::CONFLICT);
        assert!(js.body.contains("NewerMessages"));
        // The page shown again carries the newest message seen: sending now goes through.
        let newest = db::messages::list(&t.db, id, false)
            .await
            .unwrap()
            .last()
            .unwrap()
            .id;
        let newest = newest.to_string();
        let again = [
            ("thread_id", tid.as_str()),
            ("body", "SAM-ANSWER refund sent"),
            ("seen_up_to", newest.as_str()),
        ];
        let r = sam.post_form(&page, REPLY, &again).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(messages_in(&t.db, id).await, before + 1);
    }));
}

#[test]
fn only_someone_elses_visible_message_holds_a_reply() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        let sam_id = make_user(
            &t.db,
            "sam@example.com",
            "Sam",
            "staff-password",
            agent(),
            false,
        )
        .await;
        let sam = viewer(&t.db, sam_id).await;
        let kim_id = make_user(
            &t.db,
            "kim@example.com",
            "Kim",
            "staff-password",
            agent(),
            false,
        )
        .await;
        let kim = viewer(&t.db, kim_id).await;
        let id = threads::start_support(&t.db, &ann, "Refund", "Where is my refund?")
            .await
            .unwrap();
        let seen = db::messages::list(&t.db, id, false).await.unwrap()[0]
            .id
            .to_string();
        let tid = id.to_string();
        let page = format!("/admin/pigeon/threads/{id}");
        // A colleague's internal note and Sam's own earlier reply hold nothing.
        post_message(
            &t.db,
            id,
            support::staff(&kim),
            MessageKind::Note,
            "Checking",
            None,
        )
        .await
        .unwrap();
        post_message(
            &t.db,
            id,
            support::staff(&sam),
            MessageKind::Message,
            "On it",
            None,
        )
        .await
        .unwrap();
        let mut b = Browser::new(t.db.clone());
        b.log_in("sam@example.com", "staff-password").await;
        let fields = [
            ("thread_id", tid.as_str()),
            ("body", "Refund sent"),
            ("seen_up_to", seen.as_str()),
        ];
        let r = b.post_form(&page, REPLY, &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        // The customer's new message does, for a note as for a reply.
        post_message(
            &t.db,
            id,
            app::backend::service::messages::Author::User {
                id: ann.id,
                name: &ann.name,
                as_staff: false,
            },
            MessageKind::Message,
            "Any news?",
            None,
        )
        .await
        .unwrap();
        let note = [
            ("thread_id", tid.as_str()),
            ("body", "Note for later"),
            ("is_internal_note", "true"),
            ("seen_up_to", seen.as_str()),
        ];
        let r = b.post_form(&page, REPLY, &note).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        // A form without the field (an older page, a script) is not checked.
        let r = b
            .post_form(&page, REPLY, &[("thread_id", &tid), ("body", "Unchecked")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = b
            .post_form(
                &page,
                REPLY,
                &[("thread_id", &tid), ("body", "x"), ("seen_up_to", "soon")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }));
}

#[test]
fn of_two_agents_sending_at_the_same_moment_one_is_sent_and_one_is_held() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        let mut agents = Vec::new();
        for (email, name) in [("sam@example.com", "Sam"), ("kim@example.com", "Kim")] {
            make_user(&t.db, email, name, "staff-password", agent(), false).await;
            let mut b = Browser::new(t.db.clone());
            b.log_in(email, "staff-password").await;
            agents.push(b);
        }
        let id = threads::start_support(&t.db, &ann, "Refund", "Where is my refund?")
            .await
            .unwrap();
        let seen = db::messages::list(&t.db, id, false).await.unwrap()[0]
            .id
            .to_string();
        let tid = id.to_string();
        let page = format!("/admin/pigeon/threads/{id}");
        let before = messages_in(&t.db, id).await;
        let mut kim = agents.pop().unwrap();
        let mut sam = agents.pop().unwrap();
        let sam_refs = [
            ("thread_id", tid.as_str()),
            ("body", "From Sam"),
            ("seen_up_to", seen.as_str()),
        ];
        let kim_refs = [
            ("thread_id", tid.as_str()),
            ("body", "From Kim"),
            ("seen_up_to", seen.as_str()),
        ];
        let (a, b) = tokio::join!(
            sam.post_form(&page, REPLY, &sam_refs),
            kim.post_form(&page, REPLY, &kim_refs)
        );
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
        assert_eq!(
            messages_in(&t.db, id).await,
            before + 1,
            "one answer reached Ann"
        );
    }));
}
