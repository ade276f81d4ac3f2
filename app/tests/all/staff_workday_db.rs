//! The staff inbox as a team works in it all day, on both engines: read marks per staff
//! member, rows' previews and totals and pages, saved replies and their variables, mentions
//! in notes (who may be told), and undo (exactly the prior state).
use crate::support;

use app::backend::db;
use app::backend::service::{
    guest, member_threads, saved_replies, staff_inbox, staff_threads, threads, undo,
};
use app::error::AppError;
use app::model::thread::{MessageKind, ThreadStatus};
use app::model::viewer::{Permissions, Viewer};
use support::mail::deliver;
use support::{each_backend, make_member, make_staff, viewer};

fn perms(access: bool, manage: bool, assign: bool, settings: bool) -> Permissions {
    Permissions {
        access,
        manage_threads: manage,
        assign_threads: assign,
        manage_settings: settings,
    }
}

/// A member of staff whose address is their first name at example.com ("Kim Field":
/// kim@example.com).
async fn staff(db: &db::Db, name: &str, perms: Permissions) -> Viewer {
    let first = name
        .split_whitespace()
        .next()
        .unwrap_or(name)
        .to_lowercase();
    make_staff(db, &format!("{first}@example.com"), name, perms).await
}

async fn row(db: &db::Db, who: &Viewer, id: i64) -> app::model::staff::InboxItem {
    let page = staff_inbox::page(db, who, "all", "", "", "").await.unwrap();
    page.items
        .into_iter()
        .find(|i| i.id == id)
        .expect("the thread is listed")
}

#[test]
fn each_staff_member_has_their_own_read_marks() {
    support::run(each_backend(|t| async move {
        let kim = staff(&t.db, "Kim", perms(true, true, true, false)).await;
        let lee = staff(&t.db, "Lee", perms(true, true, false, false)).await;
        let ann = viewer(
            &t.db,
            make_member(&t.db, "ann@example.com", "Ann Lake").await,
        )
        .await;
        let id = threads::start_support(&t.db, &ann, "Broken zipper", "The zipper broke.\nAgain.")
            .await
            .unwrap();
        let first = row(&t.db, &kim, id).await;
        assert!(first.unread, "new to Kim");
        assert_eq!(first.preview, "The zipper broke.");
        assert!(row(&t.db, &lee, id).await.unread, "new to Lee");

        staff_threads::view(&t.db, &kim, id).await.unwrap();
        assert!(!row(&t.db, &kim, id).await.unread, "Kim opened it");
        assert!(row(&t.db, &lee, id).await.unread, "Lee did not");

        member_threads::reply(&t.db, &ann, id, "Any news?".into())
            .await
            .unwrap();
        let again = row(&t.db, &kim, id).await;
        assert!(again.unread, "a new message is unread again");
        assert_eq!(again.preview, "Any news?");

        // Writing is reading; a note changes nobody's mark (it is not a visible message).
        staff_threads::reply(&t.db, &kim, id, "A new one is on its way.", false, None)
            .await
            .unwrap();
        assert!(!row(&t.db, &kim, id).await.unread);
        assert!(row(&t.db, &lee, id).await.unread);
        staff_threads::reply(&t.db, &lee, id, "Sent by courier", true, None)
            .await
            .unwrap();
        assert!(!row(&t.db, &kim, id).await.unread);

        staff_threads::mark_unread(&t.db, &kim, id).await.unwrap();
        assert!(row(&t.db, &kim, id).await.unread, "marked unread");
        staff_threads::view(&t.db, &kim, id).await.unwrap();
        assert!(!row(&t.db, &kim, id).await.unread);
        // Viewing it again writes nothing new.
        let marks = db::staff_reads::marks(&t.db, kim.id, &[id]).await.unwrap();
        staff_threads::view(&t.db, &kim, id).await.unwrap();
        assert_eq!(
            db::staff_reads::marks(&t.db, kim.id, &[id]).await.unwrap(),
            marks
        );
    }));
}

#[test]
fn pages_count_their_view_and_walk_back_and_forth() {
    support::run(each_backend(|t| async move {
        let kim = staff(&t.db, "Kim", perms(true, true, true, false)).await;
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        let per = staff_inbox::PAGE_SIZE as usize;
        let mut ids = Vec::new();
        for n in 0..(per * 2 + 3) {
            ids.push(
                threads::start_support(&t.db, &ann, &format!("Question {n}"), "Hello")
                    .await
                    .unwrap(),
            );
        }
        staff_threads::set_status(&t.db, &kim, ids[0], ThreadStatus::Closed)
            .await
            .unwrap();
        let one = staff_inbox::page(&t.db, &kim, "all", "", "", "")
            .await
            .unwrap();
        assert_eq!(one.total, (per * 2 + 3) as i64);
        assert_eq!(one.start, 1);
        assert_eq!(one.prev_cursor, None);
        assert_eq!(
            one.range_text(),
            format!("1\u{2013}{per} of {}", per * 2 + 3)
        );
        let next = one.next_cursor.clone().unwrap();
        let two = staff_inbox::page(&t.db, &kim, "all", "", "", &next)
            .await
            .unwrap();
        assert_eq!(two.start, per as i64 + 1);
        assert_eq!(two.prev_cursor.as_deref(), Some(""));
        let three_at = two.next_cursor.clone().unwrap();
        assert!(
            three_at.contains('.'),
            "the cursor keeps the trail: {three_at}"
        );
        let three = staff_inbox::page(&t.db, &kim, "all", "", "", &three_at)
            .await
            .unwrap();
        assert_eq!(three.items.len(), 3);
        assert_eq!(three.next_cursor, None);
        assert_eq!(
            three.range_text(),
            format!("{}\u{2013}{} of {}", per * 2 + 1, per * 2 + 3, per * 2 + 3)
        );
        // Previous from the third page is the second page, row for row.
        let back = staff_inbox::page(
            &t.db,
            &kim,
            "all",
            "",
            "",
            three.prev_cursor.as_deref().unwrap(),
        )
        .await
        .unwrap();
        let ids_of =
            |p: &app::model::staff::InboxPage| p.items.iter().map(|i| i.id).collect::<Vec<_>>();
        assert_eq!(ids_of(&back), ids_of(&two));
        // Each view counts its own threads; a search counts its matches.
        let closed = staff_inbox::page(&t.db, &kim, "closed", "", "", "")
            .await
            .unwrap();
        assert_eq!(closed.total, 1);
        // Counts are kept until the next change, and only until then.
        let again = staff_inbox::page(&t.db, &kim, "closed", "", "", "")
            .await
            .unwrap();
        assert_eq!(again.total, 1);
        staff_threads::set_status(&t.db, &kim, ids[1], ThreadStatus::Closed)
            .await
            .unwrap();
        let after = staff_inbox::page(&t.db, &kim, "closed", "", "", "")
            .await
            .unwrap();
        assert_eq!(after.total, 2);
        let found = staff_inbox::page(&t.db, &kim, "all", "Question 7", "", "")
            .await
            .unwrap();
        assert!(found.total >= 1 && found.total <= found.items.len() as i64 + 60);
        assert_eq!(found.words, vec!["question".to_string()]);
        // A damaged cursor is the first page.
        let odd = staff_inbox::page(&t.db, &kim, "all", "", "", "x.y.99999999")
            .await
            .unwrap();
        assert_eq!(odd.start, 1);
    }));
}

#[test]
fn saved_replies_fill_their_variables_or_leave_them_to_fix() {
    support::run(each_backend(|t| async move {
        let kim = staff(&t.db, "Kim Field", perms(true, true, false, false)).await;
        let reader = staff(&t.db, "Rea", perms(true, false, false, false)).await;
        let ann = viewer(
            &t.db,
            make_member(&t.db, "ann@example.com", "Ann Lake").await,
        )
        .await;
        let member_thread = threads::start_support(&t.db, &ann, "Refund", "Please refund")
            .await
            .unwrap();
        let form = guest::check_contact(&guest::ContactForm {
            name: "Gus Guest".into(),
            email: "gus@example.org".into(),
            subject: "Where is it".into(),
            body: "My parcel?".into(),
            ..Default::default()
        })
        .unwrap();
        let guest_thread = guest::start(&t.db, &form, &[]).await.unwrap();

        let body = "Hi {{customer_first_name}}, {{agent_name}} here. See {{ conversation_link }}.";
        // Only those who manage conversations change saved replies; nobody saves a typo.
        assert!(matches!(
            saved_replies::create(&t.db, &reader, "Hello", body).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            saved_replies::create(&t.db, &kim, "Hello", "Hi {{customer_nmae}}").await,
            Err(AppError::Validation { .. })
        ));
        assert!(matches!(
            saved_replies::create(&t.db, &kim, "  ", body).await,
            Err(AppError::Validation { .. })
        ));
        let id = saved_replies::create(&t.db, &kim, "Hello", body)
            .await
            .unwrap();
        assert_eq!(saved_replies::list(&t.db, &reader).await.unwrap().len(), 1);

        let base = "https://help.example.com";
        let filled = saved_replies::for_thread(&t.db, &kim, member_thread, base)
            .await
            .unwrap();
        assert_eq!(
            filled[0].body,
            format!("Hi Ann, Kim Field here. See {base}/pigeon/threads/{member_thread}.")
        );
        // A guest's conversation has no address to give: the variable stays for the writer.
        let guest_filled = saved_replies::for_thread(&t.db, &kim, guest_thread, base)
            .await
            .unwrap();
        assert_eq!(
            guest_filled[0].body,
            "Hi Gus, Kim Field here. See {{ conversation_link }}."
        );
        let before = db::messages::list(&t.db, guest_thread, false)
            .await
            .unwrap()
            .len();
        let refused = staff_threads::reply(
            &t.db,
            &kim,
            guest_thread,
            guest_filled[0].body.as_str(),
            false,
            None,
        )
        .await;
        match refused {
            Err(AppError::Validation { field, message }) => {
                assert_eq!(field, "body");
                assert!(message.contains("{{conversation_link}}"), "{message}");
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert_eq!(
            db::messages::list(&t.db, guest_thread, false)
                .await
                .unwrap()
                .len(),
            before
        );

        saved_replies::update(&t.db, &kim, id, "Greeting", "Hello {{customer_name}}")
            .await
            .unwrap();
        let changed = saved_replies::for_thread(&t.db, &kim, guest_thread, base)
            .await
            .unwrap();
        assert_eq!(
            (changed[0].title.as_str(), changed[0].body.as_str()),
            ("Greeting", "Hello Gus Guest")
        );
        assert!(matches!(
            saved_replies::update(&t.db, &kim, id + 100, "x", "y").await,
            Err(AppError::NotFound)
        ));
        saved_replies::delete(&t.db, &kim, id).await.unwrap();
        assert!(saved_replies::list(&t.db, &kim).await.unwrap().is_empty());
        assert!(matches!(
            saved_replies::delete(&t.db, &kim, id).await,
            Err(AppError::NotFound)
        ));
    }));
}

#[test]
fn a_note_tells_the_colleagues_it_mentions_who_may_read_it() {
    support::run(each_backend(|t| async move {
        let kim = staff(&t.db, "Kim Field", perms(true, true, false, false)).await;
        let lee = staff(&t.db, "Lee Reader", perms(true, false, false, false)).await;
        let mo = staff(&t.db, "Mo Settings", perms(false, false, false, true)).await;
        let _pat = staff(&t.db, "Pat Quiet", perms(true, false, false, false)).await;
        let ann = viewer(
            &t.db,
            make_member(&t.db, "ann@example.com", "Ann Lake").await,
        )
        .await;
        let id = threads::start_support(&t.db, &ann, "Refund", "Please refund")
            .await
            .unwrap();
        deliver(&t.db).await; // the alerts of the new conversation

        // A reply never mentions anyone.
        let (_, none) =
            staff_threads::reply_and_mention(&t.db, &kim, id, "Thanks @Lee Reader", false, None)
                .await
                .unwrap();
        assert!(none.told.is_empty() && none.not_told.is_empty());
        deliver(&t.db).await;

        let (_, told) = staff_threads::reply_and_mention(
            &t.db,
            &kim,
            id,
            "@lee reader can you check? and @Mo Settings, and me: @Kim Field",
            true,
            None,
        )
        .await
        .unwrap();
        assert_eq!(told.told, vec!["Lee Reader".to_string()]);
        assert_eq!(told.not_told, vec!["Mo Settings".to_string()]);
        let lee_part = db::participants::find_user(t.db.reader(), id, lee.id)
            .await
            .unwrap()
            .unwrap();
        assert!(
            lee_part.notify && lee_part.left_at.is_none(),
            "Lee follows it now"
        );
        assert!(db::participants::find_user(t.db.reader(), id, mo.id)
            .await
            .unwrap()
            .is_none());
        let sent = deliver(&t.db).await;
        let to: Vec<&str> = sent.iter().map(|m| m.to.as_str()).collect();
        assert!(to.iter().any(|t| t.contains("lee@example.com")), "{to:?}");
        assert!(
            !to.iter().any(|t| t.contains("mo@example.com")
                || t.contains("pat@example.com")
                || t.contains("ann@example.com")
                || t.contains("kim@example.com")),
            "{to:?}"
        );
        let lee_mail = sent
            .iter()
            .find(|m| m.to.contains("lee@example.com"))
            .unwrap();
        assert!(lee_mail.text.contains("can you check?"));

        // Mentioned again while following: the note's own email reaches Lee, once.
        staff_threads::reply_and_mention(&t.db, &kim, id, "@Lee Reader one more", true, None)
            .await
            .unwrap();
        let again = deliver(&t.db).await;
        assert_eq!(
            again
                .iter()
                .filter(|m| m.to.contains("lee@example.com"))
                .count(),
            1
        );
    }));
}

#[test]
fn undo_puts_back_exactly_what_an_action_changed() {
    support::run(each_backend(|t| async move {
        let kim = staff(&t.db, "Kim", perms(true, true, true, false)).await;
        let lee = staff(&t.db, "Lee", perms(true, true, true, false)).await;
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        let a = threads::start_support(&t.db, &ann, "First", "One")
            .await
            .unwrap();
        let b = threads::start_support(&t.db, &ann, "Second", "Two")
            .await
            .unwrap();
        staff_threads::assign(&t.db, &kim, a, Some(lee.id))
            .await
            .unwrap();
        staff_threads::set_status(&t.db, &kim, a, ThreadStatus::Open)
            .await
            .unwrap();
        let state = |id: i64| {
            let db = t.db.clone();
            async move {
                let t = db::threads::find(db.reader(), id).await.unwrap().unwrap();
                (t.status, t.assignee_id, t.deleted_at.is_some())
            }
        };
        let before = (state(a).await, state(b).await);
        assert_eq!(before.0, (ThreadStatus::Open, Some(lee.id), false));
        assert_eq!(before.1, (ThreadStatus::Pending, None, false));
        let events = |id: i64| {
            let db = t.db.clone();
            async move {
                db::messages::list(&db, id, false)
                    .await
                    .unwrap()
                    .iter()
                    .filter(|m| m.kind == MessageKind::Event)
                    .count()
            }
        };
        let events_before = events(a).await;

        // Close both, assign both to Kim, then move both to the Trash: three undoable steps.
        let ids = [a, b];
        let close = undo::keep(&t.db, &kim, &ids).await.unwrap();
        staff_inbox::bulk(
            &t.db,
            &kim,
            &ids,
            staff_inbox::BulkOp::Status(ThreadStatus::Closed),
        )
        .await
        .unwrap();
        let assign = undo::keep(&t.db, &kim, &ids).await.unwrap();
        staff_inbox::bulk(&t.db, &kim, &ids, staff_inbox::BulkOp::Assign(Some(kim.id)))
            .await
            .unwrap();
        let trash = undo::keep(&t.db, &kim, &ids).await.unwrap();
        staff_inbox::bulk(&t.db, &kim, &ids, staff_inbox::BulkOp::Trash)
            .await
            .unwrap();
        assert_eq!(state(a).await, (ThreadStatus::Closed, Some(kim.id), true));

        // Only its author undoes an action, once.
        assert!(matches!(
            undo::undo(&t.db, &lee, trash).await,
            Err(AppError::Validation { .. })
        ));
        assert_eq!(undo::undo(&t.db, &kim, trash).await.unwrap(), 2);
        assert!(matches!(
            undo::undo(&t.db, &kim, trash).await,
            Err(AppError::Validation { .. })
        ));
        assert_eq!(state(a).await, (ThreadStatus::Closed, Some(kim.id), false));
        let told_before = deliver(&t.db).await;
        assert!(told_before.iter().any(|m| m.to.contains("lee@example.com")));
        assert_eq!(undo::undo(&t.db, &kim, assign).await.unwrap(), 2);
        assert_eq!(state(a).await, (ThreadStatus::Closed, Some(lee.id), false));
        // Given back by undo, the thread is Lee's again without another email.
        let told = deliver(&t.db).await;
        assert!(
            !told.iter().any(|m| m.to.contains("lee@example.com")),
            "{told:?}"
        );
        assert_eq!(state(b).await, (ThreadStatus::Closed, None, false));
        assert_eq!(undo::undo(&t.db, &kim, close).await.unwrap(), 2);
        assert_eq!((state(a).await, state(b).await), before);
        // Each step, and each step back, is a system event of the conversation.
        assert_eq!(events(a).await, events_before + 6);
        assert!(matches!(
            undo::undo(&t.db, &kim, 999_999).await,
            Err(AppError::Validation { .. })
        ));
    }));
}
