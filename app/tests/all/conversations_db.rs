//! The conversation rules of SPEC §5–§7 at the service level, on both engines.
use crate::support;

use app::backend::db::{self, Db};
use app::backend::service::messages::{post_message, Author, Posted};
use app::backend::service::{member_threads, read_state, threads};
use app::error::AppError;
use app::model::thread::{MessageKind, ThreadStatus};
use app::model::viewer::{Permissions, Viewer};
use support::staff;
use support::{each_backend, make_member, make_staff, make_user, viewer};

async fn people(db: &Db) -> (Viewer, Viewer, Viewer) {
    let ann = make_member(db, "ann@example.com", "Ann").await;
    let bob = make_member(db, "bob@example.com", "Bob").await;
    let staff = Permissions {
        access: true,
        manage_threads: true,
        ..Default::default()
    };
    let sam = make_user(db, "sam@example.com", "Sam", "staff-password", staff, false).await;
    (
        viewer(db, ann).await,
        viewer(db, bob).await,
        viewer(db, sam).await,
    )
}

fn member(v: &Viewer) -> Author<'_> {
    Author::User {
        id: v.id,
        name: &v.name,
        as_staff: false,
    }
}

/// Posts a plain message (no status chosen) and expects it to land.
async fn say(db: &Db, thread_id: i64, author: Author<'_>, text: &str) -> Posted {
    post_message(db, thread_id, author, MessageKind::Message, text, None)
        .await
        .expect("the message lands")
}

async fn status(db: &Db, id: i64) -> ThreadStatus {
    db::threads::find(db.reader(), id)
        .await
        .unwrap()
        .unwrap()
        .status
}

async fn events(db: &Db, id: i64) -> Vec<String> {
    db::messages::list(db, id, false)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.kind == MessageKind::Event)
        .map(|m| m.body)
        .collect()
}

#[test]
fn a_member_message_on_a_support_thread_makes_it_pending_and_a_staff_reply_opens_it() {
    support::run(each_backend(|t| async move {
        let (ann, _, sam) = people(&t.db).await;
        let id = threads::start_support(&t.db, &ann, "", "Hello?")
            .await
            .unwrap();
        assert_eq!(status(&t.db, id).await, ThreadStatus::Pending);
        let thread = db::threads::find(t.db.reader(), id).await.unwrap().unwrap();
        assert_eq!(thread.subject, "Support request", "the default subject");
        say(&t.db, id, staff(&sam), "Hi Ann").await;
        assert_eq!(status(&t.db, id).await, ThreadStatus::Open);
        say(&t.db, id, member(&ann), "Thanks").await;
        assert_eq!(status(&t.db, id).await, ThreadStatus::Pending);
    }));
}

#[test]
fn a_member_reply_on_a_closed_support_thread_reopens_it_as_pending() {
    support::run(each_backend(|t| async move {
        let (ann, _, sam) = people(&t.db).await;
        let id = threads::start_support(&t.db, &ann, "Order", "Where is it?")
            .await
            .unwrap();
        let posted = post_message(
            &t.db,
            id,
            staff(&sam),
            MessageKind::Message,
            "Shipped.",
            Some(ThreadStatus::Closed),
        )
        .await
        .unwrap();
        assert_eq!(
            posted.status,
            ThreadStatus::Closed,
            "a staff member can reply and close"
        );
        say(&t.db, id, member(&ann), "Not here yet").await;
        assert_eq!(status(&t.db, id).await, ThreadStatus::Pending);
    }));
}

#[test]
fn an_internal_note_changes_nothing_and_never_makes_a_thread_unread_for_members() {
    support::run(each_backend(|t| async move {
        let (ann, _, sam) = people(&t.db).await;
        let id = threads::start_support(&t.db, &ann, "", "Hello")
            .await
            .unwrap();
        say(&t.db, id, staff(&sam), "Hi").await;
        read_state::mark_read(&t.db, ann.id, id).await.unwrap();
        let before = db::threads::find(t.db.reader(), id).await.unwrap().unwrap();
        post_message(
            &t.db,
            id,
            staff(&sam),
            MessageKind::Note,
            "Secret: VIP customer",
            Some(ThreadStatus::Closed),
        )
        .await
        .unwrap();
        let after = db::threads::find(t.db.reader(), id).await.unwrap().unwrap();
        assert_eq!(after.status, before.status);
        assert_eq!(after.last_message_id, before.last_message_id);
        assert!(!read_state::is_unread(&t.db, ann.id, id).await.unwrap());
        let view = member_threads::view(&t.db, &ann, id).await.unwrap();
        assert!(view.messages.iter().all(|m| !m.body.contains("Secret")));
    }));
}

#[test]
fn members_cannot_post_internal_notes_or_events() {
    support::run(each_backend(|t| async move {
        let (ann, _, _) = people(&t.db).await;
        let id = threads::start_support(&t.db, &ann, "", "Hello")
            .await
            .unwrap();
        let note = post_message(&t.db, id, member(&ann), MessageKind::Note, "x", None).await;
        assert_eq!(note, Err(AppError::Forbidden));
        assert!(
            post_message(&t.db, id, member(&ann), MessageKind::Event, "x", None)
                .await
                .is_err()
        );
    }));
}

#[test]
fn direct_threads_stay_open_and_a_reply_reopens_a_closed_one() {
    support::run(each_backend(|t| async move {
        let (ann, bob, sam) = people(&t.db).await;
        let id = threads::start_direct(&t.db, &ann, &[bob.id], "", "Hi Bob")
            .await
            .unwrap();
        assert_eq!(status(&t.db, id).await, ThreadStatus::Open);
        assert_eq!(
            db::threads::find(t.db.reader(), id)
                .await
                .unwrap()
                .unwrap()
                .subject,
            "New message"
        );
        say(&t.db, id, member(&bob), "Hi Ann").await;
        assert_eq!(status(&t.db, id).await, ThreadStatus::Open);
        threads::change_status(&t.db, &sam, id, ThreadStatus::Closed)
            .await
            .unwrap();
        say(&t.db, id, member(&ann), "One more thing").await;
        assert_eq!(status(&t.db, id).await, ThreadStatus::Open);
    }));
}

#[test]
fn every_status_change_and_assignment_records_a_system_event_with_who() {
    support::run(each_backend(|t| async move {
        let (ann, _, sam) = people(&t.db).await;
        let id = threads::start_support(&t.db, &ann, "", "Hello")
            .await
            .unwrap();
        assert!(
            threads::change_status(&t.db, &sam, id, ThreadStatus::Closed)
                .await
                .unwrap()
        );
        assert!(
            !threads::change_status(&t.db, &sam, id, ThreadStatus::Closed)
                .await
                .unwrap(),
            "no change, no event"
        );
        assert!(threads::assign(&t.db, &sam, id, Some(sam.id))
            .await
            .unwrap());
        assert!(threads::assign(&t.db, &sam, id, None).await.unwrap());
        let log = events(&t.db, id).await;
        assert_eq!(
            log,
            vec![
                "Sam changed the status from Needs reply to Closed.".to_string(),
                "Sam took this thread.".to_string(),
                "Sam unassigned this thread.".to_string(),
            ]
        );
    }));
}

#[test]
fn only_existing_active_staff_can_be_assigned() {
    support::run(each_backend(|t| async move {
        let (ann, bob, sam) = people(&t.db).await;
        let id = threads::start_support(&t.db, &ann, "", "Hello")
            .await
            .unwrap();
        for bad in [Some(bob.id), Some(999_999)] {
            let r = threads::assign(&t.db, &sam, id, bad).await;
            assert!(matches!(r, Err(AppError::Validation { .. })), "{r:?}");
        }
        app::backend::service::accounts::set_disabled(&t.db, sam.id, true)
            .await
            .unwrap();
        assert!(threads::assign(&t.db, &sam, id, Some(sam.id))
            .await
            .is_err());
        assert_eq!(
            db::threads::find(t.db.reader(), id)
                .await
                .unwrap()
                .unwrap()
                .assignee_id,
            None
        );
    }));
}

#[test]
fn the_new_assignee_joins_the_thread_and_is_told_by_email() {
    support::run(each_backend(|t| async move {
        let (ann, _, sam) = people(&t.db).await;
        let p = Permissions {
            access: true,
            ..Default::default()
        };
        let kim = make_staff(&t.db, "kim@example.com", "Kim", p).await;
        let id = threads::start_support(&t.db, &ann, "", "Hello")
            .await
            .unwrap();
        threads::assign(&t.db, &sam, id, Some(kim.id))
            .await
            .unwrap();
        assert!(db::participants::find_user(t.db.reader(), id, kim.id)
            .await
            .unwrap()
            .is_some());
        let queued = db::outbox::pending(t.db.reader(), id).await.unwrap();
        assert!(
            queued.contains(&("assigned".to_string(), Some(id), Some(kim.id))),
            "{queued:?}"
        );
    }));
}

#[test]
fn unread_means_a_newer_visible_message_from_someone_else() {
    support::run(each_backend(|t| async move {
        let (ann, bob, _) = people(&t.db).await;
        let id = threads::start_direct(&t.db, &ann, &[bob.id], "Lunch", "Noon?")
            .await
            .unwrap();
        assert!(
            !read_state::is_unread(&t.db, ann.id, id).await.unwrap(),
            "your own message is read"
        );
        assert!(read_state::is_unread(&t.db, bob.id, id).await.unwrap());
        assert_eq!(read_state::unread_count(&t.db, bob.id).await.unwrap(), 1);
        read_state::mark_read(&t.db, bob.id, id).await.unwrap();
        assert_eq!(read_state::unread_count(&t.db, bob.id).await.unwrap(), 0);
        say(&t.db, id, member(&bob), "Sure").await;
        assert!(read_state::is_unread(&t.db, ann.id, id).await.unwrap());
        let list = member_threads::list(&t.db, &ann, None, None).await.unwrap();
        assert!(list.threads[0].unread);
    }));
}

#[test]
fn trashed_threads_leave_lists_and_counts_and_can_be_restored_or_deleted() {
    support::run(each_backend(|t| async move {
        let (ann, bob, sam) = people(&t.db).await;
        let id = threads::start_direct(&t.db, &ann, &[bob.id], "", "Hi")
            .await
            .unwrap();
        threads::set_trashed(&t.db, &sam, id, true).await.unwrap();
        assert_eq!(read_state::unread_count(&t.db, bob.id).await.unwrap(), 0);
        assert!(member_threads::list(&t.db, &bob, None, None)
            .await
            .unwrap()
            .threads
            .is_empty());
        assert_eq!(
            member_threads::view(&t.db, &bob, id).await,
            Err(AppError::NotFound)
        );
        threads::set_trashed(&t.db, &sam, id, false).await.unwrap();
        assert_eq!(read_state::unread_count(&t.db, bob.id).await.unwrap(), 1);
        assert!(
            threads::delete_forever(&t.db, id).await.is_err(),
            "only trashed threads are deleted"
        );
        threads::set_trashed(&t.db, &sam, id, true).await.unwrap();
        threads::delete_forever(&t.db, id).await.unwrap();
        assert!(db::threads::find(t.db.reader(), id)
            .await
            .unwrap()
            .is_none());
        assert!(db::messages::list(&t.db, id, false)
            .await
            .unwrap()
            .is_empty());
        assert!(db::participants::list(t.db.reader(), id)
            .await
            .unwrap()
            .is_empty());
    }));
}

#[test]
fn notifications_go_to_every_participant_but_the_author_who_has_not_muted_or_left() {
    support::run(each_backend(|t| async move {
        let (ann, bob, _) = people(&t.db).await;
        let cy = viewer(&t.db, make_member(&t.db, "cy@example.com", "Cy").await).await;
        let di = viewer(&t.db, make_member(&t.db, "di@example.com", "Di").await).await;
        let id = threads::start_direct(&t.db, &ann, &[bob.id, cy.id, di.id], "", "Hi all")
            .await
            .unwrap();
        threads::set_muted(&t.db, cy.id, id, true).await.unwrap();
        threads::leave(&t.db, &di, id).await.unwrap();
        let posted = say(&t.db, id, member(&ann), "Update").await;
        assert_eq!(posted.notified, 1, "only Bob hears of it");
        let recipients: Vec<Option<i64>> = db::outbox::pending(t.db.reader(), id)
            .await
            .unwrap()
            .into_iter()
            .skip(3)
            .map(|r| r.2)
            .collect();
        assert_eq!(recipients, vec![Some(bob.id)]);
    }));
}

#[test]
fn internal_notes_notify_only_participants_who_are_staff_right_now() {
    support::run(each_backend(|t| async move {
        let (ann, _, sam) = people(&t.db).await;
        let p = Permissions {
            access: true,
            ..Default::default()
        };
        let kim = make_staff(&t.db, "kim@example.com", "Kim", p).await;
        let id = threads::start_support(&t.db, &ann, "", "Hello")
            .await
            .unwrap();
        say(&t.db, id, staff(&kim), "On it").await;
        say(&t.db, id, staff(&sam), "Me too").await;
        app::backend::service::accounts::set_permissions(
            &t.db,
            kim.id,
            false,
            Permissions::default(),
        )
        .await
        .unwrap();
        let posted = post_message(&t.db, id, staff(&sam), MessageKind::Note, "Internal", None)
            .await
            .unwrap();
        assert_eq!(posted.notified, 0, "Ann is no staff, Kim no longer is");
    }));
}

#[test]
fn read_receipts_show_who_has_seen_a_message_without_revealing_notes() {
    support::run(each_backend(|t| async move {
        let (ann, bob, _) = people(&t.db).await;
        let id = threads::start_direct(&t.db, &ann, &[bob.id], "", "Hi Bob")
            .await
            .unwrap();
        let view = member_threads::view(&t.db, &ann, id).await.unwrap();
        assert!(view.messages[0].seen_by.is_empty());
        read_state::mark_read(&t.db, bob.id, id).await.unwrap();
        let view = member_threads::view(&t.db, &ann, id).await.unwrap();
        assert_eq!(view.messages[0].seen_by, vec!["Bob".to_string()]);
        let bobs = member_threads::view(&t.db, &bob, id).await.unwrap();
        assert!(
            bobs.messages[0].seen_by.is_empty(),
            "Ann's own message carries no receipt of hers"
        );
    }));
}

#[test]
fn a_non_participant_cannot_see_a_thread() {
    support::run(each_backend(|t| async move {
        let (ann, bob, _) = people(&t.db).await;
        let cy = viewer(&t.db, make_member(&t.db, "cy@example.com", "Cy").await).await;
        let id = threads::start_direct(&t.db, &ann, &[bob.id], "", "Private")
            .await
            .unwrap();
        assert_eq!(
            member_threads::view(&t.db, &cy, id).await,
            Err(AppError::NotFound)
        );
        assert_eq!(
            member_threads::view(&t.db, &cy, id + 1000).await,
            Err(AppError::NotFound)
        );
        assert!(!read_state::is_unread(&t.db, cy.id, id).await.unwrap());
    }));
}

#[test]
fn direct_threads_need_another_active_recipient() {
    support::run(each_backend(|t| async move {
        let (ann, bob, _) = people(&t.db).await;
        for recipients in [vec![], vec![ann.id], vec![999_999]] {
            let r = threads::start_direct(&t.db, &ann, &recipients, "", "Hi").await;
            assert!(
                matches!(r, Err(AppError::Validation { .. })),
                "{recipients:?}: {r:?}"
            );
        }
        app::backend::service::accounts::set_disabled(&t.db, bob.id, true)
            .await
            .unwrap();
        let r = threads::start_direct(&t.db, &ann, &[bob.id], "", "Hi").await;
        assert!(matches!(r, Err(AppError::Validation { .. })));
    }));
}

#[test]
fn subjects_and_bodies_have_clear_limits() {
    support::run(each_backend(|t| async move {
        let (ann, _, _) = people(&t.db).await;
        let long_subject = "s".repeat(256);
        let r = threads::start_support(&t.db, &ann, &long_subject, "Hi").await;
        assert!(matches!(r, Err(AppError::Validation { ref field, .. }) if field == "subject"));
        let big = "b".repeat(64 * 1024 + 1);
        let r = threads::start_support(&t.db, &ann, "", &big).await;
        assert!(matches!(r, Err(AppError::Validation { ref field, .. }) if field == "body"));
        let r = threads::start_support(&t.db, &ann, "", "   ").await;
        assert!(matches!(r, Err(AppError::Validation { ref field, .. }) if field == "body"));
    }));
}

#[test]
fn a_guest_and_a_user_with_the_same_email_can_share_a_thread() {
    support::run(each_backend(|t| async move {
        let (ann, _, sam) = people(&t.db).await;
        let id = threads::start_support(&t.db, &ann, "", "Hello")
            .await
            .unwrap();
        let guest = Author::Guest {
            email: "ANN@example.com",
            name: "Ann (guest)",
        };
        post_message(
            &t.db,
            id,
            guest,
            MessageKind::Message,
            "From my other device",
            None,
        )
        .await
        .unwrap();
        say(&t.db, id, staff(&sam), "Got both").await;
        assert_eq!(
            db::participants::list(t.db.reader(), id)
                .await
                .unwrap()
                .len(),
            3
        );
    }));
}

#[test]
fn concurrent_replies_on_one_thread_all_land_in_order() {
    support::run(each_backend(|t| async move {
        let (ann, bob, _) = people(&t.db).await;
        let id = threads::start_direct(&t.db, &ann, &[bob.id], "", "Start")
            .await
            .unwrap();
        let other = t.second_pool().await;
        let mut posts = Vec::new();
        for i in 0..40 {
            let db = if i % 2 == 0 {
                t.db.clone()
            } else {
                other.clone()
            };
            let who = if i % 3 == 0 { ann.clone() } else { bob.clone() };
            posts.push(async move {
                let author = Author::User {
                    id: who.id,
                    name: &who.name,
                    as_staff: false,
                };
                post_message(
                    &db,
                    id,
                    author,
                    MessageKind::Message,
                    &format!("reply {i}"),
                    None,
                )
                .await
            });
        }
        let results = futures::future::join_all(posts).await;
        assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
        let messages = db::messages::list(&t.db, id, true).await.unwrap();
        assert_eq!(messages.len(), 41);
        let last = messages.last().unwrap();
        let thread = db::threads::find(t.db.reader(), id).await.unwrap().unwrap();
        assert_eq!(
            thread.last_message_id, last.id,
            "the thread points at the newest message"
        );
        assert_eq!(thread.last_author_name, last.author_name);
        assert!(messages
            .windows(2)
            .all(|w| w[0].id < w[1].id && w[0].created_at <= w[1].created_at));
        other.close().await;
    }));
}

#[test]
fn the_member_list_pages_by_last_activity_without_gaps_or_repeats() {
    support::run(each_backend(|t| async move {
        let (ann, _, _) = people(&t.db).await;
        let mut ids = Vec::new();
        for i in 0..30 {
            ids.push(
                threads::start_support(&t.db, &ann, &format!("T{i}"), "Hi")
                    .await
                    .unwrap(),
            );
        }
        // New activity on the oldest thread moves it to the top (a later millisecond).
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
        post_message(
            &t.db,
            ids[0],
            member(&ann),
            MessageKind::Message,
            "bump",
            None,
        )
        .await
        .unwrap();
        let first = member_threads::list(&t.db, &ann, None, None).await.unwrap();
        assert_eq!(first.threads.len(), 25);
        assert_eq!(first.threads[0].id, ids[0]);
        let cursor = first.next_cursor.clone().expect("a second page");
        let second = member_threads::list(&t.db, &ann, None, Some(&cursor))
            .await
            .unwrap();
        assert_eq!(second.threads.len(), 5);
        assert_eq!(second.next_cursor, None);
        let mut seen: Vec<i64> = first
            .threads
            .iter()
            .chain(&second.threads)
            .map(|t| t.id)
            .collect();
        seen.sort();
        ids.sort();
        assert_eq!(seen, ids);
        let bad = member_threads::list(&t.db, &ann, None, Some("nonsense")).await;
        assert!(matches!(bad, Err(AppError::Validation { .. })));
    }));
}

#[test]
fn staff_see_each_present_participant_with_their_address() {
    use app::backend::service::staff_threads;
    support::run(each_backend(|t| async move {
        let (ann, bob, sam) = people(&t.db).await;
        let admin = viewer(&t.db, support::make_admin(&t.db).await).await;
        let id = threads::start_direct(&t.db, &ann, &[bob.id, sam.id], "", "Hi both")
            .await
            .unwrap();
        threads::leave(&t.db, &bob, id).await.unwrap();
        let view = staff_threads::view(&t.db, &admin, id).await.unwrap();
        let mut seen: Vec<(String, String)> = view
            .participants
            .iter()
            .map(|p| (p.name.clone(), p.email.clone()))
            .collect();
        seen.sort();
        assert_eq!(
            seen,
            [
                ("Ann".to_string(), "ann@example.com".to_string()),
                ("Sam".to_string(), "sam@example.com".to_string()),
            ]
        );
    }));
}
