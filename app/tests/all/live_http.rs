//! Live updates (`/pigeon/live`): every open page hears of a change within a second, only
//! of what it may see, stops hearing at once when access goes, catches up after a
//! reconnect without gaps or repeats, and hears of changes made through another instance.
use std::time::Duration;

use crate::support;

use app::backend::auth::links::mint_guest_link;
use app::backend::service::messages::{post_message, Author};
use app::backend::service::{accounts, guest, threads};
use app::model::thread::MessageKind;
use app::model::viewer::Permissions;
use http::StatusCode;
use support::http_client::{Browser, EventStream, SentEvent};
use support::{each_backend, make_member, make_staff, make_user, viewer};

// A bound for a slow, busy machine; the changes come within a second or so.
const SOON: Duration = Duration::from_secs(10);

fn agent() -> Permissions {
    Permissions {
        access: true,
        manage_threads: true,
        assign_threads: true,
        manage_settings: false,
    }
}

/// The next change event (reloads and others are failures here).
async fn next_change(stream: &mut EventStream) -> SentEvent {
    let e = stream
        .next_within(SOON)
        .await
        .expect("a change within the wait");
    assert_eq!(e.event, "change", "{e:?}");
    e
}

fn is(e: &SentEvent, thread: i64, kind: &str) -> bool {
    e.data == format!("{{\"thread\":{thread},\"kind\":\"{kind}\"}}")
}

/// Events until one of `kind` for `thread` comes; panics when none does.
async fn until(stream: &mut EventStream, thread: i64, kind: &str) -> SentEvent {
    loop {
        let e = next_change(stream).await;
        if is(&e, thread, kind) {
            return e;
        }
    }
}

#[test]
fn staff_and_members_hear_of_messages_and_members_never_of_notes() {
    support::run(each_backend(|t| async move {
        let ann_id = make_member(&t.db, "ann@example.com", "Ann").await;
        let ann = viewer(&t.db, ann_id).await;
        let sam = make_staff(&t.db, "sam@example.com", "Sam", agent()).await;
        let id = threads::start_support(&t.db, &ann, "Billing", "Help")
            .await
            .unwrap();
        let mut staff = Browser::new(t.db.clone());
        staff.log_in("sam@example.com", "staff-password").await;
        let mut member = Browser::new(t.db.clone());
        member.log_in("ann@example.com", "member-password").await;
        let (status, mut staff_page) = staff
            .listen(&format!("/pigeon/live?scope=staff&thread={id}"), None)
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, mut ann_page) = member
            .listen(&format!("/pigeon/live?scope=member&thread={id}"), None)
            .await;
        assert_eq!(status, StatusCode::OK);
        let (_, mut ann_header) = member.listen("/pigeon/live?scope=member", None).await;
        post_message(
            &t.db,
            id,
            support::staff(&sam),
            MessageKind::Note,
            "Secret note",
            None,
        )
        .await
        .unwrap();
        until(&mut staff_page, id, "staff").await;
        post_message(
            &t.db,
            id,
            support::staff(&sam),
            MessageKind::Message,
            "Hello Ann",
            None,
        )
        .await
        .unwrap();
        until(&mut staff_page, id, "message").await;
        // Ann's page hears of the reply; never of the note before it.
        let first = next_change(&mut ann_page).await;
        assert!(
            !first.data.contains("staff"),
            "a member heard of a note: {first:?}"
        );
        let mut heard = vec![first];
        while !heard.iter().any(|e| is(e, id, "message")) {
            heard.push(next_change(&mut ann_page).await);
        }
        assert!(heard.iter().all(|e| !e.data.contains("\"staff\"")));
        until(&mut ann_header, id, "message").await;
    }));
}

#[test]
fn nobody_hears_of_a_thread_they_may_not_see() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        let bob = viewer(&t.db, make_member(&t.db, "bob@example.com", "Bob").await).await;
        make_member(&t.db, "cat@example.com", "Cat").await;
        let sam = make_staff(&t.db, "sam@example.com", "Sam", agent()).await;
        let direct = threads::start_direct(&t.db, &ann, &[bob.id], "Lunch", "Noon?")
            .await
            .unwrap();
        let support_thread = threads::start_support(&t.db, &ann, "Billing", "Help")
            .await
            .unwrap();
        let mut cat = Browser::new(t.db.clone());
        cat.log_in("cat@example.com", "member-password").await;
        let (status, _) = cat
            .listen(&format!("/pigeon/live?scope=member&thread={direct}"), None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "not her thread");
        let (_, mut cat_all) = cat.listen("/pigeon/live?scope=member", None).await;
        let mut staff = Browser::new(t.db.clone());
        staff.log_in("sam@example.com", "staff-password").await;
        let (_, mut sam_all) = staff.listen("/pigeon/live?scope=staff", None).await;
        let (status, _) = staff
            .listen(&format!("/pigeon/live?scope=staff&thread={direct}"), None)
            .await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "direct threads are for admins only"
        );
        let bob_says = Author::User {
            id: bob.id,
            name: &bob.name,
            as_staff: false,
        };
        post_message(&t.db, direct, bob_says, MessageKind::Message, "Yes", None)
            .await
            .unwrap();
        post_message(
            &t.db,
            support_thread,
            support::staff(&sam),
            MessageKind::Message,
            "Hi",
            None,
        )
        .await
        .unwrap();
        // Sam hears of the support thread only; Cat of nothing.
        let e = until(&mut sam_all, support_thread, "message").await;
        assert!(e.id.is_some());
        assert!(cat_all
            .next_within(Duration::from_millis(1500))
            .await
            .is_none());
        let mut anonymous = Browser::new(t.db.clone());
        let (status, _) = anonymous.listen("/pigeon/live?scope=staff", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (status, _) = anonymous
            .listen("/pigeon/live?scope=guest&token=nope", None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = anonymous.listen("/pigeon/live?scope=everyone", None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }));
}

#[test]
fn losing_access_ends_the_stream_within_a_second() {
    support::run(each_backend(|t| async move {
        let ann_id = make_member(&t.db, "ann@example.com", "Ann").await;
        let ann = viewer(&t.db, ann_id).await;
        let sam_id = make_user(
            &t.db,
            "sam@example.com",
            "Sam",
            "staff-password",
            agent(),
            false,
        )
        .await;
        let id = threads::start_support(&t.db, &ann, "Billing", "Help")
            .await
            .unwrap();
        // A member who is disabled.
        let mut member = Browser::new(t.db.clone());
        member.log_in("ann@example.com", "member-password").await;
        let (_, mut ann_page) = member
            .listen(&format!("/pigeon/live?scope=member&thread={id}"), None)
            .await;
        accounts::set_disabled(&t.db, ann_id, true).await.unwrap();
        assert!(
            ann_page.ends_within(Duration::from_millis(2500)).await,
            "disabled: stream ends"
        );
        // Staff who log out (the page's tab is still open and listening).
        let mut leaving = Browser::new(t.db.clone());
        leaving.log_in("sam@example.com", "staff-password").await;
        let (_, mut sam_tab) = leaving
            .listen(&format!("/pigeon/live?scope=staff&thread={id}"), None)
            .await;
        let out = leaving
            .post_form("/", "/actions/pigeon/account/logout", &[])
            .await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert!(
            sam_tab.ends_within(Duration::from_millis(2500)).await,
            "logged out: stream ends"
        );
        // Staff whose access is taken away.
        let mut staff = Browser::new(t.db.clone());
        staff.log_in("sam@example.com", "staff-password").await;
        let (_, mut sam_all) = staff.listen("/pigeon/live?scope=staff", None).await;
        let none = Permissions {
            access: false,
            manage_threads: false,
            assign_threads: false,
            manage_settings: false,
        };
        accounts::set_permissions(&t.db, sam_id, false, none)
            .await
            .unwrap();
        assert!(
            sam_all.ends_within(Duration::from_millis(2500)).await,
            "no access: stream ends"
        );
        // A guest whose links are revoked.
        let gid = guest_thread(&t.db).await;
        let pid = guest_participant(&t.db, gid).await;
        let token = mint_guest_link(&t.db, gid, pid, 30).await.unwrap();
        let mut visitor = Browser::new(t.db.clone());
        let (status, mut link) = visitor
            .listen(&format!("/pigeon/live?scope=guest&token={token}"), None)
            .await;
        assert_eq!(status, StatusCode::OK);
        guest::revoke_links(&t.db, gid).await.unwrap();
        assert!(
            link.ends_within(Duration::from_millis(2500)).await,
            "revoked: stream ends"
        );
        // A member's thread moved to the Trash.
        let bob_id = make_member(&t.db, "bob@example.com", "Bob").await;
        let bob = viewer(&t.db, bob_id).await;
        let id2 = threads::start_support(&t.db, &bob, "Other", "Help")
            .await
            .unwrap();
        let mut bobs = Browser::new(t.db.clone());
        bobs.log_in("bob@example.com", "member-password").await;
        let (_, mut bob_page) = bobs
            .listen(&format!("/pigeon/live?scope=member&thread={id2}"), None)
            .await;
        let admin = viewer(&t.db, support::make_admin(&t.db).await).await;
        threads::set_trashed(&t.db, &admin, id2, true)
            .await
            .unwrap();
        assert!(
            bob_page.ends_within(Duration::from_millis(2500)).await,
            "trashed: stream ends"
        );
    }));
}

async fn guest_thread(db: &app::backend::db::Db) -> i64 {
    let form = guest::check_contact(&guest::ContactForm {
        name: "Gwen".into(),
        email: "gwen@example.com".into(),
        subject: "Parcel".into(),
        body: "Where is it?".into(),
        submission_key: String::new(),
    })
    .unwrap();
    guest::start(db, &form, &[]).await.unwrap()
}

async fn guest_participant(db: &app::backend::db::Db, thread: i64) -> i64 {
    app::backend::db::participants::list(db.reader(), thread)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.guest_email.is_some())
        .unwrap()
        .id
}

#[test]
fn a_reconnecting_page_gets_what_it_missed_once_and_a_guest_only_its_thread() {
    support::run(each_backend(|t| async move {
        let sam = make_staff(&t.db, "sam@example.com", "Sam", agent()).await;
        let gid = guest_thread(&t.db).await;
        let other = guest_thread(&t.db).await;
        let pid = guest_participant(&t.db, gid).await;
        let token = mint_guest_link(&t.db, gid, pid, 30).await.unwrap();
        let path = format!("/pigeon/live?scope=guest&token={token}");
        let mut visitor = Browser::new(t.db.clone());
        let (_, mut first) = visitor.listen(&path, None).await;
        post_message(
            &t.db,
            gid,
            support::staff(&sam),
            MessageKind::Message,
            "One",
            None,
        )
        .await
        .unwrap();
        let seen = until(&mut first, gid, "message").await.id.unwrap();
        drop(first);
        // While away: a note (never for a guest), another thread, then two replies.
        post_message(
            &t.db,
            gid,
            support::staff(&sam),
            MessageKind::Note,
            "Note",
            None,
        )
        .await
        .unwrap();
        post_message(
            &t.db,
            other,
            support::staff(&sam),
            MessageKind::Message,
            "Else",
            None,
        )
        .await
        .unwrap();
        post_message(
            &t.db,
            gid,
            support::staff(&sam),
            MessageKind::Message,
            "Two",
            None,
        )
        .await
        .unwrap();
        post_message(
            &t.db,
            gid,
            support::staff(&sam),
            MessageKind::Message,
            "Three",
            None,
        )
        .await
        .unwrap();
        let (_, mut again) = visitor.listen(&path, Some(seen)).await;
        let mut missed = Vec::new();
        while let Some(e) = again.next_within(Duration::from_millis(1500)).await {
            missed.push(e);
        }
        let messages: Vec<&SentEvent> = missed.iter().filter(|e| is(e, gid, "message")).collect();
        assert_eq!(messages.len(), 2, "both replies, once each: {missed:?}");
        assert!(missed
            .iter()
            .all(|e| e.data.contains(&format!("\"thread\":{gid}"))));
        assert!(missed.iter().all(|e| !e.data.contains("\"staff\"")));
        assert!(missed.iter().all(|e| e.id.unwrap() > seen));
        let mut ids: Vec<i64> = missed.iter().map(|e| e.id.unwrap()).collect();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "nothing twice");
        // Asking from before what is kept: told to reload.
        app::backend::db::events::purge(&mut t.db.write_single().await.unwrap(), i64::MAX / 2)
            .await
            .unwrap();
        let (_, mut late) = visitor.listen(&path, Some(1)).await;
        let e = late.next_within(SOON).await.expect("a reload");
        assert_eq!(e.event, "reload");
    }));
}

#[test]
fn a_change_made_through_one_instance_reaches_a_page_listening_on_another() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        let sam = make_staff(&t.db, "sam@example.com", "Sam", agent()).await;
        let id = threads::start_support(&t.db, &ann, "Billing", "Help")
            .await
            .unwrap();
        // Instance B: its own pool (on PostgreSQL its own LISTEN connection).
        let other = t.second_pool().await;
        let mut on_b = Browser::new(other.clone());
        on_b.log_in("sam@example.com", "staff-password").await;
        let (_, mut page) = on_b
            .listen(&format!("/pigeon/live?scope=staff&thread={id}"), None)
            .await;
        post_message(
            &t.db,
            id,
            support::staff(&sam),
            MessageKind::Message,
            "From A",
            None,
        )
        .await
        .unwrap();
        until(&mut page, id, "message").await;
        other.close().await;
    }));
}

#[test]
fn a_page_that_does_not_keep_up_is_let_go_and_others_still_hear() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        make_staff(&t.db, "sam@example.com", "Sam", agent()).await;
        let id = threads::start_support(&t.db, &ann, "Billing", "Help")
            .await
            .unwrap();
        let mut b = Browser::new(t.db.clone());
        b.log_in("sam@example.com", "staff-password").await;
        // One page reads nothing at all; another reads along.
        let (_, mut stuck) = b.listen("/pigeon/live?scope=staff", None).await;
        let (_, mut reading) = b.listen("/pigeon/live?scope=staff", None).await;
        let member = Author::User {
            id: ann.id,
            name: &ann.name,
            as_staff: false,
        };
        for i in 0..40 {
            post_message(
                &t.db,
                id,
                member,
                MessageKind::Message,
                format!("m{i}").as_str(),
                None,
            )
            .await
            .unwrap();
            until(&mut reading, id, "message").await;
        }
        // Far more changes than a stream holds: the stuck page was let go (its stream ends
        // once what it held is read), and reconnecting with Last-Event-ID catches it up.
        assert!(stuck.ends_within(SOON).await, "the stuck stream ends");
        let (status, _) = b.listen("/pigeon/live?scope=staff", Some(1)).await;
        assert_eq!(status, StatusCode::OK);
    }));
}
