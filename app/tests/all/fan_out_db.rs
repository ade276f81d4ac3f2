//! Who is emailed about what (SPEC §7): one test per rule, on both engines, reading the
//! emails the queue actually writes.
use crate::support;

use app::backend::db::Db;
use app::backend::service::messages::{post_message, Author};
use app::backend::service::{accounts, threads};
use app::backend::settings;
use app::model::thread::MessageKind;
use app::model::viewer::{Permissions, Viewer};
use support::mail::{deliver, Email};
use support::{each_backend, make_member, make_staff, make_user, viewer};
use support::{staff, MANAGER};

const READER: Permissions = Permissions {
    access: true,
    manage_threads: false,
    assign_threads: false,
    manage_settings: false,
};

fn member(v: &Viewer) -> Author<'_> {
    Author::User {
        id: v.id,
        name: &v.name,
        as_staff: false,
    }
}

async fn post(db: &Db, id: i64, author: Author<'_>, kind: MessageKind, text: &str) {
    post_message(db, id, author, kind, text, None)
        .await
        .expect("the message lands");
}

async fn person(db: &Db, email: &str, name: &str) -> Viewer {
    viewer(db, make_member(db, email, name).await).await
}

/// Ann (a member) asks "Billing" in a support thread; Sam may manage threads.
async fn billing_thread(db: &Db) -> (Viewer, Viewer, i64) {
    let ann = person(db, "ann@example.com", "Ann").await;
    let sam = make_staff(db, "sam@example.com", "Sam", MANAGER).await;
    let id = threads::start_support(db, &ann, "Billing", "Help")
        .await
        .unwrap();
    (ann, sam, id)
}

fn addressees(emails: &[Email]) -> Vec<String> {
    let mut to: Vec<String> = emails.iter().map(|e| e.to.clone()).collect();
    to.sort();
    to
}

#[test]
fn the_author_is_never_emailed_about_their_own_message() {
    support::run(each_backend(|t| async move {
        let ann = person(&t.db, "ann@example.com", "Ann").await;
        let bob = person(&t.db, "bob@example.com", "Bob").await;
        let id = threads::start_direct(&t.db, &ann, &[bob.id], "Plans", "Hello")
            .await
            .unwrap();
        assert_eq!(addressees(&deliver(&t.db).await), ["bob@example.com"]);
        post(&t.db, id, member(&bob), MessageKind::Message, "Hi Ann").await;
        assert_eq!(addressees(&deliver(&t.db).await), ["ann@example.com"]);
    }));
}

#[test]
fn participants_who_muted_the_thread_are_not_emailed() {
    support::run(each_backend(|t| async move {
        let ann = person(&t.db, "ann@example.com", "Ann").await;
        let bob = person(&t.db, "bob@example.com", "Bob").await;
        let cy = person(&t.db, "cy@example.com", "Cy").await;
        let id = threads::start_direct(&t.db, &ann, &[bob.id, cy.id], "", "Hello")
            .await
            .unwrap();
        deliver(&t.db).await;
        threads::set_muted(&t.db, cy.id, id, true).await.unwrap();
        post(&t.db, id, member(&ann), MessageKind::Message, "Update").await;
        assert_eq!(addressees(&deliver(&t.db).await), ["bob@example.com"]);
    }));
}

#[test]
fn participants_who_left_the_thread_are_not_emailed() {
    support::run(each_backend(|t| async move {
        let ann = person(&t.db, "ann@example.com", "Ann").await;
        let bob = person(&t.db, "bob@example.com", "Bob").await;
        let cy = person(&t.db, "cy@example.com", "Cy").await;
        let id = threads::start_direct(&t.db, &ann, &[bob.id, cy.id], "", "Hello")
            .await
            .unwrap();
        deliver(&t.db).await;
        threads::leave(&t.db, &cy, id).await.unwrap();
        post(&t.db, id, member(&ann), MessageKind::Message, "Update").await;
        assert_eq!(addressees(&deliver(&t.db).await), ["bob@example.com"]);
    }));
}

#[test]
fn disabled_accounts_are_not_emailed() {
    support::run(each_backend(|t| async move {
        let ann = person(&t.db, "ann@example.com", "Ann").await;
        let bob = person(&t.db, "bob@example.com", "Bob").await;
        let cy = person(&t.db, "cy@example.com", "Cy").await;
        let id = threads::start_direct(&t.db, &ann, &[bob.id, cy.id], "", "Hello")
            .await
            .unwrap();
        deliver(&t.db).await;
        accounts::set_disabled(&t.db, cy.id, true).await.unwrap();
        post(&t.db, id, member(&ann), MessageKind::Message, "Update").await;
        assert_eq!(addressees(&deliver(&t.db).await), ["bob@example.com"]);
    }));
}

#[test]
fn internal_notes_reach_only_participants_who_are_staff_with_access_now() {
    support::run(each_backend(|t| async move {
        let ann = person(&t.db, "ann@example.com", "Ann").await;
        let sam = make_staff(&t.db, "sam@example.com", "Sam", MANAGER).await;
        let kim = make_staff(&t.db, "kim@example.com", "Kim", READER).await;
        let lee = make_staff(&t.db, "lee@example.com", "Lee", MANAGER).await;
        let id = threads::start_support(&t.db, &ann, "Billing", "Help")
            .await
            .unwrap();
        for who in [&sam, &kim, &lee] {
            post(&t.db, id, staff(who), MessageKind::Message, "Looking").await;
        }
        deliver(&t.db).await;
        // Lee is no longer staff: notes stop reaching Lee at once.
        accounts::set_permissions(&t.db, lee.id, false, Permissions::default())
            .await
            .unwrap();
        post(&t.db, id, staff(&sam), MessageKind::Note, "NOTE-7 refund?").await;
        let emails = deliver(&t.db).await;
        assert_eq!(addressees(&emails), ["kim@example.com"]);
    }));
}

#[test]
fn an_internal_note_email_says_so_and_no_customer_email_carries_a_note() {
    support::run(each_backend(|t| async move {
        let ann = person(&t.db, "ann@example.com", "Ann").await;
        let sam = make_staff(&t.db, "sam@example.com", "Sam", MANAGER).await;
        let kim = make_staff(&t.db, "kim@example.com", "Kim", READER).await;
        let id = threads::start_support(&t.db, &ann, "Billing", "Help")
            .await
            .unwrap();
        post(&t.db, id, staff(&kim), MessageKind::Message, "On it").await;
        post(&t.db, id, staff(&sam), MessageKind::Note, "NOTE-7 refund?").await;
        post(&t.db, id, staff(&sam), MessageKind::Message, "Refunded.").await;
        let emails = deliver(&t.db).await;
        let note = emails
            .iter()
            .find(|e| e.text.contains("NOTE-7"))
            .expect("the note email");
        assert_eq!(note.to, "kim@example.com");
        assert!(
            note.subject.starts_with("[Internal note]"),
            "{}",
            note.subject
        );
        assert!(note.text.contains("INTERNAL NOTE") && note.html.contains("Internal note"));
        let to_ann: Vec<_> = emails
            .iter()
            .filter(|e| e.to == "ann@example.com")
            .collect();
        assert_eq!(to_ann.len(), 2, "Kim's and Sam's replies");
        for e in to_ann {
            assert!(!e.text.contains("NOTE-7") && !e.html.contains("NOTE-7"));
            assert!(!e.subject.contains("Internal"));
        }
    }));
}

#[test]
fn staff_get_the_inbox_link_and_members_the_member_link() {
    support::run(each_backend(|t| async move {
        let (ann, sam, id) = billing_thread(&t.db).await;
        post(&t.db, id, staff(&sam), MessageKind::Message, "Hello Ann").await;
        post(&t.db, id, member(&ann), MessageKind::Message, "Thanks").await;
        let emails = deliver(&t.db).await;
        let to = |who: &'static str| emails.iter().filter(move |e| e.to == who);
        for e in to("ann@example.com") {
            assert_eq!(e.link("/pigeon/threads/"), format!("/pigeon/threads/{id}"));
            assert!(!e.text.contains("/admin/"));
        }
        assert!(to("sam@example.com").count() >= 1);
        for e in to("sam@example.com") {
            assert_eq!(
                e.link("/admin/pigeon/threads/"),
                format!("/admin/pigeon/threads/{id}")
            );
        }
    }));
}

#[test]
fn a_member_message_on_an_unassigned_support_thread_alerts_every_active_thread_manager() {
    support::run(each_backend(|t| async move {
        let ann = person(&t.db, "ann@example.com", "Ann").await;
        make_staff(&t.db, "sam@example.com", "Sam", MANAGER).await;
        make_staff(&t.db, "kim@example.com", "Kim", READER).await;
        let dee = make_staff(&t.db, "dee@example.com", "Dee", MANAGER).await;
        accounts::set_disabled(&t.db, dee.id, true).await.unwrap();
        make_user(
            &t.db,
            "al@example.com",
            "Al",
            "admin-password",
            Permissions::default(),
            true,
        )
        .await;
        let id = threads::start_support(&t.db, &ann, "Billing", "<b>Help</b>")
            .await
            .unwrap();
        let emails = deliver(&t.db).await;
        assert_eq!(addressees(&emails), ["al@example.com", "sam@example.com"]);
        for e in &emails {
            assert!(
                e.subject.starts_with("New message: Billing"),
                "{}",
                e.subject
            );
            assert_eq!(
                e.link("/admin/pigeon/threads/"),
                format!("/admin/pigeon/threads/{id}")
            );
            assert!(e.html.contains("&lt;b&gt;Help&lt;/b&gt;"));
            assert!(
                e.list_unsubscribe.is_none(),
                "alerts are not per-thread subscriptions"
            );
        }
    }));
}

#[test]
fn configured_support_recipients_are_alerted_instead_of_the_staff() {
    support::run(each_backend(|t| async move {
        let ann = person(&t.db, "ann@example.com", "Ann").await;
        make_staff(&t.db, "sam@example.com", "Sam", MANAGER).await;
        make_staff(&t.db, "kim@example.com", "Kim", READER).await;
        settings::set(
            &t.db,
            "support_recipients",
            "help@acme.test, KIM@example.com\nhelp@acme.test",
        )
        .await
        .unwrap();
        threads::start_support(&t.db, &ann, "Billing", "Help")
            .await
            .unwrap();
        let emails = deliver(&t.db).await;
        assert_eq!(addressees(&emails), ["help@acme.test", "kim@example.com"]);
    }));
}

#[test]
fn nobody_already_taking_part_gets_a_second_email_as_an_alert() {
    support::run(each_backend(|t| async move {
        let ann = person(&t.db, "ann@example.com", "Ann").await;
        let sam = make_staff(&t.db, "sam@example.com", "Sam", MANAGER).await;
        make_staff(&t.db, "kim@example.com", "Kim", MANAGER).await;
        let id = threads::start_support(&t.db, &ann, "Billing", "Help")
            .await
            .unwrap();
        post(&t.db, id, staff(&sam), MessageKind::Message, "Hello").await;
        deliver(&t.db).await;
        post(&t.db, id, member(&ann), MessageKind::Message, "More").await;
        let emails = deliver(&t.db).await;
        assert_eq!(addressees(&emails), ["kim@example.com", "sam@example.com"]);
        let sams = emails.iter().find(|e| e.to == "sam@example.com").unwrap();
        assert!(
            sams.subject.starts_with("Re: "),
            "a participant's email, not an alert"
        );
    }));
}

#[test]
fn alerts_for_more_recipients_than_one_statement_takes_are_all_queued_in_order() {
    use app::backend::db::outbox::{enqueue_alerts, AlertRecipient};
    use sqlx::Row;
    support::run(each_backend(|t| async move {
        let (_, sam, id) = billing_thread(&t.db).await;
        deliver(&t.db).await;
        let message_id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM messages")
            .fetch_one(t.db.reader())
            .await
            .unwrap();
        let recipients: Vec<AlertRecipient> = (0..450)
            .map(|i| match i % 150 {
                0 => AlertRecipient::User(sam.id),
                _ => AlertRecipient::Address(format!("desk{i}@acme.test")),
            })
            .collect();
        let mut tx = t.db.write().await.unwrap();
        let queued = enqueue_alerts(&mut tx, id, message_id, &recipients, 7)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(queued, 450);
        let rows = sqlx::query(
            "SELECT thread_id, message_id, recipient_user_id, recipient_email, created_at \
             FROM outbox WHERE kind = 'alert' AND status = 'pending' ORDER BY id",
        )
        .fetch_all(t.db.reader())
        .await
        .unwrap();
        let got: Vec<AlertRecipient> = rows
            .iter()
            .map(|r| {
                assert_eq!(r.get::<i64, _>(0), id);
                assert_eq!(r.get::<i64, _>(1), message_id);
                assert_eq!(r.get::<i64, _>(4), 7);
                match r.get::<Option<i64>, _>(2) {
                    Some(user) => AlertRecipient::User(user),
                    None => AlertRecipient::Address(r.get::<String, _>(3)),
                }
            })
            .collect();
        assert_eq!(got, recipients);
    }));
}

#[test]
fn assigned_threads_staff_replies_notes_and_direct_threads_alert_nobody() {
    support::run(each_backend(|t| async move {
        let ann = person(&t.db, "ann@example.com", "Ann").await;
        let bob = person(&t.db, "bob@example.com", "Bob").await;
        let sam = make_staff(&t.db, "sam@example.com", "Sam", MANAGER).await;
        let kim = make_staff(&t.db, "kim@example.com", "Kim", MANAGER).await;
        let direct = threads::start_direct(&t.db, &ann, &[bob.id], "", "Hi")
            .await
            .unwrap();
        assert_eq!(addressees(&deliver(&t.db).await), ["bob@example.com"]);
        let id = threads::start_support(&t.db, &ann, "Billing", "Help")
            .await
            .unwrap();
        deliver(&t.db).await;
        // Staff posting on an unassigned thread: no alert to the other staff member.
        post(&t.db, id, staff(&sam), MessageKind::Note, "internal").await;
        post(&t.db, id, staff(&sam), MessageKind::Message, "Reply").await;
        assert_eq!(addressees(&deliver(&t.db).await), ["ann@example.com"]);
        threads::assign(&t.db, &sam, id, Some(sam.id))
            .await
            .unwrap();
        post(&t.db, id, member(&ann), MessageKind::Message, "Thanks").await;
        assert_eq!(addressees(&deliver(&t.db).await), ["sam@example.com"]);
        post(&t.db, direct, member(&bob), MessageKind::Message, "Yo").await;
        assert_eq!(addressees(&deliver(&t.db).await), ["ann@example.com"]);
        let _ = kim;
    }));
}

#[test]
fn the_new_assignee_is_emailed_unless_they_took_the_thread_themselves() {
    support::run(each_backend(|t| async move {
        let ann = person(&t.db, "ann@example.com", "Ann").await;
        let sam = make_staff(&t.db, "sam@example.com", "Sam", MANAGER).await;
        let kim = make_staff(&t.db, "kim@example.com", "Kim", MANAGER).await;
        let id = threads::start_support(&t.db, &ann, "Billing", "Help")
            .await
            .unwrap();
        deliver(&t.db).await;
        threads::assign(&t.db, &sam, id, Some(sam.id))
            .await
            .unwrap();
        assert!(
            deliver(&t.db).await.is_empty(),
            "taking a thread emails nobody"
        );
        threads::assign(&t.db, &sam, id, Some(kim.id))
            .await
            .unwrap();
        let emails = deliver(&t.db).await;
        assert_eq!(addressees(&emails), ["kim@example.com"]);
        assert!(emails[0].subject.starts_with("Assigned to you: Billing"));
        assert_eq!(
            emails[0].link("/admin/pigeon/threads/"),
            format!("/admin/pigeon/threads/{id}")
        );
    }));
}
