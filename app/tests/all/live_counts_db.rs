//! The counts the triggers keep (awaiting a reply per assignee, unread per user) always equal
//! a full recount, after every kind of change: new threads and messages, reading, status,
//! assignment, leaving, the Trash and back, deleting for good, and a deleted account.
use crate::support;

use app::backend::db::{self, Db};
use app::backend::service::messages::{post_message, Author};
use app::backend::service::{read_state, threads};
use app::model::thread::{MessageKind, ThreadStatus};
use support::{each_backend, make_member, make_staff, viewer};
use support::{staff, MANAGER};

/// Kept counts against recounts, for every user as staff and as admin.
async fn check(db: &Db, users: &[i64], step: &str) {
    for &u in users {
        for all in [false, true] {
            let recount: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM threads t WHERE t.kind = 'support' AND t.status = 'pending' \
                 AND t.deleted_at IS NULL AND (t.assignee_id IS NULL OR t.assignee_id = $1 OR $2 = 1)",
            )
            .bind(u)
            .bind(all as i64)
            .fetch_one(db.reader())
            .await
            .unwrap();
            let kept = db::staff_inbox::awaiting_count(db.reader(), u, all)
                .await
                .unwrap();
            assert_eq!(kept, recount, "{step}: awaiting for {u} (all: {all})");
            let (_, header) = db::staff_inbox::header_counts(db.reader(), u, Some(all))
                .await
                .unwrap();
            assert_eq!(
                header,
                Some(recount),
                "{step}: header awaiting for {u} (all: {all})"
            );
        }
        let recount: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM participants p JOIN threads t ON t.id = p.thread_id \
             WHERE p.user_id = $1 AND p.left_at IS NULL AND t.deleted_at IS NULL \
               AND t.last_message_id > p.last_read_message_id",
        )
        .bind(u)
        .fetch_one(db.reader())
        .await
        .unwrap();
        let kept = db::member_threads::unread_count(db.reader(), u)
            .await
            .unwrap();
        assert_eq!(kept, recount, "{step}: unread for {u}");
        let header = db::staff_inbox::header_counts(db.reader(), u, None)
            .await
            .unwrap();
        assert_eq!(header, (recount, None), "{step}: header counts for {u}");
    }
}

#[test]
fn kept_counts_equal_recounts_after_every_kind_of_change() {
    support::run(each_backend(|t| async move {
        let db = &t.db;
        let ann = viewer(db, make_member(db, "ann@example.com", "Ann").await).await;
        let bob = viewer(db, make_member(db, "bob@example.com", "Bob").await).await;
        let sam = make_staff(db, "sam@example.com", "Sam", MANAGER).await;
        let kim = make_staff(db, "kim@example.com", "Kim", MANAGER).await;
        let users = [ann.id, bob.id, sam.id, kim.id];
        let mut ids = Vec::new();
        for i in 0..6 {
            ids.push(
                threads::start_support(db, &ann, &format!("Q{i}"), "Help")
                    .await
                    .unwrap(),
            );
        }
        let direct = threads::start_direct(db, &ann, &[bob.id], "Hi", "Hello Bob")
            .await
            .unwrap();
        check(db, &users, "started").await;
        for &id in &ids[..4] {
            post_message(db, id, staff(&sam), MessageKind::Message, "On it", None)
                .await
                .unwrap();
        }
        post_message(db, ids[4], staff(&kim), MessageKind::Note, "Internal", None)
            .await
            .unwrap();
        check(db, &users, "answered").await;
        read_state::mark_read(db, ann.id, ids[0]).await.unwrap();
        read_state::mark_read(db, bob.id, direct).await.unwrap();
        check(db, &users, "read").await;
        threads::assign(db, &sam, ids[1], Some(kim.id))
            .await
            .unwrap();
        threads::assign(db, &sam, ids[5], Some(sam.id))
            .await
            .unwrap();
        threads::assign(db, &sam, ids[5], None).await.unwrap();
        threads::change_status(db, &sam, ids[2], ThreadStatus::Pending)
            .await
            .unwrap();
        threads::change_status(db, &sam, ids[3], ThreadStatus::Closed)
            .await
            .unwrap();
        check(db, &users, "assigned and set").await;
        threads::leave(db, &bob, direct).await.unwrap();
        post_message(
            db,
            direct,
            Author::User {
                id: ann.id,
                name: &ann.name,
                as_staff: false,
            },
            MessageKind::Message,
            "Still there?",
            None,
        )
        .await
        .unwrap();
        check(db, &users, "left").await;
        threads::set_trashed(db, &sam, ids[2], true).await.unwrap();
        threads::set_trashed(db, &sam, ids[0], true).await.unwrap();
        check(db, &users, "trashed").await;
        threads::set_trashed(db, &sam, ids[0], false).await.unwrap();
        check(db, &users, "restored").await;
        threads::delete_forever(db, ids[2]).await.unwrap();
        check(db, &users, "deleted").await;
        sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(kim.id)
            .execute(db.reader())
            .await
            .unwrap();
        check(db, &users[..3], "account deleted").await;
    }));
}
