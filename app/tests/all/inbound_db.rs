//! Replies by email through the service, on both engines: the reply address in every
//! notification, who may post with it (sender binding, leaving, revoked links, the Trash),
//! matching by signed headers alone, the support address, duplicates, crashes, noise and
//! broken messages.
use crate::support;

use app::backend::db::{self, Db};
use app::backend::mail::reply_address::{self, ReplyAs};
use app::backend::service::guest::{self, check_contact, ContactForm};
use app::backend::service::inbound::{self, Received};
use app::backend::service::{staff_threads, threads};
use app::backend::state::AppState;
use app::model::thread::{MessageKind, ThreadStatus};
use app::model::viewer::Permissions;
use support::mail::deliver_with;
use support::{app_state, each_backend, make_staff, REPLY_DOMAIN, SUPPORT_ADDRESS};

fn agent() -> Permissions {
    Permissions {
        access: true,
        manage_threads: true,
        assign_threads: true,
        manage_settings: false,
    }
}

/// A reply email as a mail client writes it.
fn mail(from: &str, to: &str, id: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Someone <{from}>\r\nTo: {to}\r\nSubject: Re: Billing\r\nMessage-ID: <{id}>\r\n\
         Date: Wed, 2 Dec 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n{extra}\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

/// Keeps and processes one message; returns its (state, reason, thread).
async fn take(state: &AppState, to: &str, raw: &[u8]) -> (String, String, Option<i64>) {
    let kept = inbound::receive(state, "smtp", "sender@mail.test", &[to.to_string()], raw)
        .await
        .unwrap();
    let Received::Kept(id) = kept else {
        panic!("kept twice")
    };
    while inbound::process_due(state, 10).await.unwrap() > 0 {}
    let (row, _) = db::inbound::find(state.db.reader(), id)
        .await
        .unwrap()
        .unwrap();
    (row.state, row.reason, row.thread_id)
}

/// A guest's conversation (Gwen, gwen@example.com) answered and closed by Sam; returns
/// (thread, the reply address in the email Gwen got, its Message-ID).
async fn answered_guest(state: &AppState) -> (i64, String, String) {
    let db = &state.db;
    let sam = make_staff(db, "sam@example.com", "Sam", agent()).await;
    let form = check_contact(&ContactForm {
        name: "Gwen".into(),
        email: "gwen@example.com".into(),
        subject: "Billing".into(),
        body: "My invoice is wrong".into(),
        submission_key: String::new(),
    })
    .unwrap();
    let thread = guest::start(db, &form, &[]).await.unwrap();
    deliver_with(state).await;
    staff_threads::reply(
        db,
        &sam,
        thread,
        "Fixed, please check",
        false,
        Some(ThreadStatus::Closed),
    )
    .await
    .unwrap();
    let emails = deliver_with(state).await;
    let to_gwen = emails
        .iter()
        .find(|e| e.to == "gwen@example.com")
        .expect("Gwen is told");
    assert_eq!(to_gwen.auto_submitted.as_deref(), Some("auto-generated"));
    assert!(
        to_gwen
            .text
            .contains("Reply to this email or open the conversation"),
        "{}",
        to_gwen.text
    );
    let address = to_gwen.reply_to.clone().expect("a reply address");
    assert!(address.starts_with("reply+") && address.ends_with(&format!("@{REPLY_DOMAIN}")));
    (thread, address, to_gwen.message_id.clone())
}

/// The messages and notes of a thread (no system events).
async fn messages(db: &Db, thread: i64) -> Vec<db::messages::MessageRow> {
    let all = db::messages::list(db, thread, false).await.unwrap();
    all.into_iter()
        .filter(|m| m.kind != MessageKind::Event)
        .collect()
}

#[test]
fn a_guest_s_reply_by_email_posts_as_the_guest_and_reopens_the_conversation() {
    support::run(each_backend(|t| async move {
        let state = app_state(t.db.clone());
        let (thread, address, _) = answered_guest(&state).await;
        let body = "Thanks, it is right now.\r\n\r\nOn Tue, Dec 1, 2026 at 6:02 PM Sam wrote:\r\n> Fixed, please check";
        let raw = mail("Gwen@Example.com", &address, "r1@mail.test", "", body);
        let (state_, why, in_thread) = take(&state, &address, &raw).await;
        assert_eq!(state_, "posted", "{why}");
        assert_eq!(in_thread, Some(thread));
        let last = messages(&t.db, thread).await.pop().unwrap();
        assert_eq!(last.body, "Thanks, it is right now.", "only the new text");
        assert_eq!(last.author_guest_email.as_deref(), Some("gwen@example.com"));
        assert_eq!(last.kind, MessageKind::Message);
        let row = db::threads::find(t.db.reader(), thread)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            row.status,
            ThreadStatus::Pending,
            "a closed conversation needs a reply again"
        );
        // It fans out like any reply: Sam hears of it.
        let emails = deliver_with(&state).await;
        assert!(emails.iter().any(|e| e.to == "sam@example.com"));
    }));
}

#[test]
fn a_reply_address_posts_only_for_its_holder_while_they_may_write() {
    support::run(each_backend(|t| async move {
        let state = app_state(t.db.clone());
        let (thread, address, _) = answered_guest(&state).await;
        let count = messages(&t.db, thread).await.len();
        // Someone else sending with Gwen's address.
        let raw = mail(
            "mallory@evil.test",
            &address,
            "w1@evil.test",
            "",
            "I am Gwen",
        );
        let (s, why, _) = take(&state, &address, &raw).await;
        assert_eq!(s, "held");
        assert!(why.contains("belongs to gwen@example.com"), "{why}");
        // A changed address.
        let forged = address.replacen("reply+", &format!("reply+{}", thread + 1), 1);
        let raw = mail("gwen@example.com", &forged, "w2@mail.test", "", "Hello");
        let (s, why, _) = take(&state, &forged, &raw).await;
        assert_eq!(s, "held");
        assert!(why.contains("not one Pigeon made"), "{why}");
        // Links revoked after the email went out.
        guest::revoke_links(&t.db, thread).await.unwrap();
        let raw = mail(
            "gwen@example.com",
            &address,
            "w3@mail.test",
            "",
            "Hello again",
        );
        let (s, why, _) = take(&state, &address, &raw).await;
        assert_eq!(s, "held");
        assert!(why.contains("revoked"), "{why}");
        assert_eq!(messages(&t.db, thread).await.len(), count, "nothing posted");
        // A member's address stops working once they leave, and in the Trash.
        let ann_id = support::make_member(&t.db, "ann@example.com", "Ann").await;
        let ann = support::viewer(&t.db, ann_id).await;
        let own = threads::start_support(&t.db, &ann, "Mine", "Help")
            .await
            .unwrap();
        let ann_address = reply_address::address(
            &state.config.secret,
            REPLY_DOMAIN,
            ReplyAs::Member {
                thread: own,
                user: ann_id,
            },
        );
        let raw = mail(
            "ann@example.com",
            &ann_address,
            "m1@mail.test",
            "",
            "More detail",
        );
        assert_eq!(take(&state, &ann_address, &raw).await.0, "posted");
        let admin = support::viewer(&t.db, support::make_admin(&t.db).await).await;
        staff_threads::set_trashed(&t.db, &admin, own, true)
            .await
            .unwrap();
        let raw = mail(
            "ann@example.com",
            &ann_address,
            "m2@mail.test",
            "",
            "Still there?",
        );
        let (s, why, _) = take(&state, &ann_address, &raw).await;
        assert_eq!(s, "held");
        assert!(why.contains("Trash"), "{why}");
    }));
}

#[test]
fn signed_headers_alone_post_only_for_a_participant_and_never_the_subject() {
    support::run(each_backend(|t| async move {
        let state = app_state(t.db.clone());
        let (thread, _, message_id) = answered_guest(&state).await;
        // The reply address was lost (a gateway rewrote it), the headers remain.
        let refs = format!("In-Reply-To: <{message_id}>\r\nReferences: <{message_id}>\r\n");
        let raw = mail(
            "gwen@example.com",
            "someone@pigeon.test",
            "h1@mail.test",
            &refs,
            "By headers",
        );
        let (s, why, in_thread) = take(&state, "help@pigeon.test", &raw).await;
        assert_eq!((s.as_str(), in_thread), ("posted", Some(thread)), "{why}");
        let raw = mail(
            "stranger@mail.test",
            "someone@pigeon.test",
            "h2@mail.test",
            &refs,
            "Me too",
        );
        let (s, why, _) = take(&state, "help@pigeon.test", &raw).await;
        assert_eq!(s, "held", "{why}");
        // An unsigned id of the same shape names nothing.
        let fake = format!("In-Reply-To: <pigeon.1.00000000000000000000@{REPLY_DOMAIN}>\r\n");
        let raw = mail(
            "gwen@example.com",
            "x@elsewhere.test",
            "h3@mail.test",
            &fake,
            "Guess",
        );
        assert_eq!(take(&state, "x@elsewhere.test", &raw).await.0, "held");
        assert_eq!(
            messages(&t.db, thread).await.last().unwrap().body,
            "By headers"
        );
    }));
}

#[test]
fn the_same_message_twice_or_after_a_crash_posts_once() {
    support::run(each_backend(|t| async move {
        let state = app_state(t.db.clone());
        let (thread, address, _) = answered_guest(&state).await;
        let raw = mail(
            "gwen@example.com",
            &address,
            "twice@mail.test",
            "",
            "Only once",
        );
        let to = [address.clone()];
        let first = inbound::receive(&state, "smtp", "", &to, &raw)
            .await
            .unwrap();
        let again = inbound::receive(&state, "imap", "", &to, &raw)
            .await
            .unwrap();
        assert!(matches!(first, Received::Kept(_)));
        assert_eq!(again, Received::Duplicate);
        while inbound::process_due(&state, 10).await.unwrap() > 0 {}
        // The processor died after posting, before recording it: the message is due again.
        sqlx::query("UPDATE inbound_mail SET state = 'new', locked_until = NULL")
            .execute(t.db.reader())
            .await
            .unwrap();
        while inbound::process_due(&state, 10).await.unwrap() > 0 {}
        let posted = messages(&t.db, thread).await;
        assert_eq!(posted.iter().filter(|m| m.body == "Only once").count(), 1);
    }));
}

#[test]
fn auto_replies_and_bounces_never_post_or_cause_mail() {
    support::run(each_backend(|t| async move {
        let state = app_state(t.db.clone());
        let (thread, address, _) = answered_guest(&state).await;
        let count = messages(&t.db, thread).await.len();
        for (id, extra, subject_body) in [
            (
                "a1@mail.test",
                "Auto-Submitted: auto-replied\r\n",
                "I am away",
            ),
            ("a2@mail.test", "Precedence: bulk\r\n", "Newsletter"),
            ("a3@mail.test", "X-Autoreply: yes\r\n", "Away"),
        ] {
            let raw = mail("gwen@example.com", &address, id, extra, subject_body);
            let (s, why, _) = take(&state, &address, &raw).await;
            assert_eq!(s, "dropped");
            assert!(why.contains("automatic reply"), "{why}");
        }
        let ooo = String::from_utf8(mail(
            "gwen@example.com",
            &address,
            "a4@mail.test",
            "",
            "Back Monday",
        ))
        .unwrap()
        .replace(
            "Subject: Re: Billing",
            "Subject: Out of Office: Re: Billing",
        );
        assert_eq!(take(&state, &address, ooo.as_bytes()).await.0, "dropped");
        let bounce = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/inbound/bounce.eml"),
        )
        .unwrap();
        let (s, why, _) = take(&state, "pigeon@localhost", &bounce).await;
        assert_eq!(s, "dropped");
        assert!(why.contains("gone@example.test"), "{why}");
        let bouncing = db::inbound::bouncing(t.db.reader(), 10).await.unwrap();
        assert_eq!(bouncing[0].0, "gone@example.test");
        // Gwen's address bounces too: the mail queue's page marks the emails sent to her.
        let gwen_bounce = String::from_utf8(bounce.clone())
            .unwrap()
            .replace("gone@example.test", "gwen@example.com")
            .replace("dsn-1@", "dsn-2@");
        assert_eq!(
            take(&state, "pigeon@localhost", gwen_bounce.as_bytes())
                .await
                .0,
            "dropped"
        );
        let overview = app::backend::service::outbox::overview(&t.db)
            .await
            .unwrap();
        let marked: Vec<_> = overview
            .sent
            .iter()
            .filter(|i| i.bouncing.is_some())
            .collect();
        assert!(!marked.is_empty());
        assert!(marked.iter().all(|i| i.recipient == "gwen@example.com"));
        assert_eq!(messages(&t.db, thread).await.len(), count, "nothing posted");
        assert!(
            deliver_with(&state).await.is_empty(),
            "and nothing sent back"
        );
    }));
}

#[test]
fn mail_to_the_support_address_starts_a_conversation_like_the_contact_form() {
    support::run(each_backend(|t| async move {
        let state = app_state(t.db.clone());
        make_staff(&t.db, "sam@example.com", "Sam", agent()).await;
        let raw = String::from_utf8(mail(
            "Hal@Example.com",
            SUPPORT_ADDRESS,
            "new1@mail.test",
            "",
            "The widget is broken.",
        ))
        .unwrap()
        .replace("Subject: Re: Billing", "Subject: Broken widget");
        let (s, why, thread) = take(&state, SUPPORT_ADDRESS, raw.as_bytes()).await;
        assert_eq!(s, "started", "{why}");
        let thread = thread.unwrap();
        let row = db::threads::find(t.db.reader(), thread)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.subject, "Broken widget");
        assert_eq!(
            messages(&t.db, thread).await[0].body,
            "The widget is broken."
        );
        let emails = deliver_with(&state).await;
        let receipt = emails
            .iter()
            .find(|e| e.to == "hal@example.com")
            .expect("a receipt");
        assert!(receipt.text.contains("/pigeon/t/"), "with a private link");
        assert!(receipt.reply_to.is_some(), "which can be answered too");
        assert!(
            emails.iter().any(|e| e.to == "sam@example.com"),
            "staff are alerted"
        );
    }));
}

#[test]
fn staff_answer_by_email_as_staff_and_note_emails_answer_as_notes() {
    support::run(each_backend(|t| async move {
        let state = app_state(t.db.clone());
        let (thread, _, _) = answered_guest(&state).await;
        let sam = support::viewer(&t.db, 1).await;
        let secret = state.config.secret.clone();
        let reply = reply_address::address(
            &secret,
            REPLY_DOMAIN,
            ReplyAs::Staff {
                thread,
                user: sam.id,
            },
        );
        let raw = mail(
            &sam.email,
            &reply,
            "s1@mail.test",
            "",
            "We have sent a refund.",
        );
        assert_eq!(take(&state, &reply, &raw).await.0, "posted");
        let note = reply_address::address(
            &secret,
            REPLY_DOMAIN,
            ReplyAs::StaffNote {
                thread,
                user: sam.id,
            },
        );
        let raw = mail(&sam.email, &note, "s2@mail.test", "", "Refund id 42.");
        assert_eq!(take(&state, &note, &raw).await.0, "posted");
        let all = messages(&t.db, thread).await;
        let answer = all
            .iter()
            .find(|m| m.body == "We have sent a refund.")
            .unwrap();
        assert_eq!(
            (answer.kind, answer.author_user_id),
            (MessageKind::Message, Some(sam.id))
        );
        let noted = all.iter().find(|m| m.body == "Refund id 42.").unwrap();
        assert_eq!(noted.kind, MessageKind::Note);
    }));
}

#[test]
fn one_broken_message_among_a_hundred_good_ones_blocks_nothing() {
    support::run(each_backend(|t| async move {
        let state = app_state(t.db.clone());
        let to = [SUPPORT_ADDRESS.to_string()];
        for i in 0..100 {
            if i == 50 {
                let broken = b"\x00\x01 this is not a message";
                inbound::receive(&state, "smtp", "", &to, broken)
                    .await
                    .unwrap();
            }
            let from = format!("sender{i}@mail.test");
            let raw = mail(
                &from,
                SUPPORT_ADDRESS,
                &format!("many{i}@mail.test"),
                "",
                &format!("Question {i}"),
            );
            inbound::receive(&state, "smtp", "", &to, &raw)
                .await
                .unwrap();
        }
        while inbound::process_due(&state, 10).await.unwrap() > 0 {}
        let started = db::inbound::recent(t.db.reader(), Some("started"), 200)
            .await
            .unwrap();
        assert_eq!(started.len(), 100);
        let failed = db::inbound::recent(t.db.reader(), Some("failed"), 10)
            .await
            .unwrap();
        assert_eq!(failed.len(), 1);
        assert!(
            failed[0].reason.contains("could not be read"),
            "{}",
            failed[0].reason
        );
    }));
}

#[test]
fn loops_leavers_and_disabled_accounts_never_post_and_admins_decide_about_held_mail() {
    support::run(each_backend(|t| async move {
        let state = app_state(t.db.clone());
        let secret = state.config.secret.clone();
        let ann_id = support::make_member(&t.db, "ann@example.com", "Ann").await;
        let bob_id = support::make_member(&t.db, "bob@example.com", "Bob").await;
        let ann = support::viewer(&t.db, ann_id).await;
        let bob = support::viewer(&t.db, bob_id).await;
        let direct = threads::start_direct(&t.db, &ann, &[bob_id], "Lunch", "Noon?")
            .await
            .unwrap();
        let bobs = reply_address::address(
            &secret,
            REPLY_DOMAIN,
            ReplyAs::Member {
                thread: direct,
                user: bob_id,
            },
        );
        let anns = reply_address::address(
            &secret,
            REPLY_DOMAIN,
            ReplyAs::Member {
                thread: direct,
                user: ann_id,
            },
        );
        // Pigeon's own mail coming back (a forwarding loop) is dropped.
        let raw = mail("pigeon@localhost", &bobs, "loop1@mail.test", "", "Echo");
        let (s, why, _) = take(&state, &bobs, &raw).await;
        assert_eq!(s, "dropped");
        assert!(why.contains("mail loop"), "{why}");
        let raw = mail(&anns, &bobs, "loop2@mail.test", "", "Echo");
        assert_eq!(take(&state, &bobs, &raw).await.0, "dropped");
        // Bob left: his address no longer posts.
        threads::leave(&t.db, &bob, direct).await.unwrap();
        let raw = mail(
            "bob@example.com",
            &bobs,
            "left1@mail.test",
            "",
            "Still here",
        );
        let (s, why, _) = take(&state, &bobs, &raw).await;
        assert_eq!(s, "held");
        assert!(why.contains("no longer in the conversation"), "{why}");
        // Ann's account is disabled: hers neither.
        app::backend::service::accounts::set_disabled(&t.db, ann_id, true)
            .await
            .unwrap();
        let raw = mail("ann@example.com", &anns, "off1@mail.test", "", "Hello?");
        let (s, why, _) = take(&state, &anns, &raw).await;
        assert_eq!(s, "held");
        assert!(why.contains("disabled"), "{why}");
        // An admin decides about held messages: start a conversation from one, discard the
        // other; a decided message cannot be decided again.
        let admin = support::viewer(&t.db, support::make_admin(&t.db).await).await;
        let held = db::inbound::recent(t.db.reader(), Some("held"), 10)
            .await
            .unwrap();
        assert_eq!(held.len(), 2);
        inbound::decide(&state, &bob, held[0].id, inbound::Decision::Discard)
            .await
            .expect_err("members decide nothing");
        inbound::decide(&state, &admin, held[0].id, inbound::Decision::Start)
            .await
            .unwrap();
        inbound::decide(&state, &admin, held[1].id, inbound::Decision::Discard)
            .await
            .unwrap();
        let again = inbound::decide(&state, &admin, held[1].id, inbound::Decision::Start).await;
        assert!(matches!(
            again,
            Err(app::error::AppError::Validation { .. })
        ));
        let (first, _) = db::inbound::find(t.db.reader(), held[0].id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(first.state, "started", "{}", first.reason);
        assert!(first.reason.contains("Ada (admin)"), "{}", first.reason);
        let started = first.thread_id.unwrap();
        assert_eq!(messages(&t.db, started).await[0].body, "Hello?");
        let (second, _) = db::inbound::find(t.db.reader(), held[1].id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(second.state, "discarded");
    }));
}
