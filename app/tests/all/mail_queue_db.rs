//! The mail queue on both engines: claims, leases, back-off, parking, and the worker.
use crate::support;

use app::backend::db::{self, mail_queue, now_ms, Db};
use app::backend::mail::transport::Mailer;
use app::backend::mail::worker::{process_due, LEASE_MS};
use app::backend::service::messages::{post_message, Author};
use app::backend::service::threads;
use app::model::thread::MessageKind;
use app::model::viewer::{Permissions, Viewer};
use support::{app_state, each_backend, make_member, make_staff, viewer};

/// A direct thread between Ann and Bob with `n` replies from Ann: `n + 1` rows for Bob.
async fn queue_for_bob(db: &Db, n: usize) -> (Viewer, Viewer, i64) {
    let ann = viewer(db, make_member(db, "ann@example.com", "Ann").await).await;
    let bob = viewer(db, make_member(db, "bob@example.com", "Bob").await).await;
    let id = threads::start_direct(db, &ann, &[bob.id], "Plans", "Hello Bob")
        .await
        .unwrap();
    for i in 0..n {
        let author = Author::User {
            id: ann.id,
            name: &ann.name,
            as_staff: false,
        };
        post_message(
            db,
            id,
            author,
            MessageKind::Message,
            &format!("more {i}"),
            None,
        )
        .await
        .unwrap();
    }
    (ann, bob, id)
}

#[test]
fn each_due_email_is_claimed_by_one_worker_only() {
    support::run(each_backend(|t| async move {
        queue_for_bob(&t.db, 29).await;
        let other = t.second_pool().await;
        let mut claims = Vec::new();
        for i in 0..40 {
            let db = if i % 2 == 0 {
                t.db.clone()
            } else {
                other.clone()
            };
            claims
                .push(async move { mail_queue::claim(&db, now_ms(), LEASE_MS, 1).await.unwrap() });
        }
        let mut ids: Vec<i64> = futures::future::join_all(claims)
            .await
            .into_iter()
            .flatten()
            .map(|m| m.id)
            .collect();
        ids.sort();
        let before = ids.len();
        ids.dedup();
        assert_eq!(before, ids.len(), "a row was claimed twice");
        assert_eq!(ids.len(), 30);
        other.close().await;
    }));
}

#[test]
fn a_row_whose_lease_ran_out_is_claimed_again() {
    support::run(each_backend(|t| async move {
        queue_for_bob(&t.db, 0).await;
        let now = now_ms();
        let first = mail_queue::claim(&t.db, now, 1_000, 10).await.unwrap();
        assert_eq!(first.len(), 1);
        assert!(mail_queue::claim(&t.db, now + 10, 1_000, 10)
            .await
            .unwrap()
            .is_empty());
        let again = mail_queue::claim(&t.db, now + 1_001, 1_000, 10)
            .await
            .unwrap();
        assert_eq!(again.len(), 1);
        assert_eq!((again[0].id, again[0].attempts), (first[0].id, 2));
    }));
}

#[test]
fn a_retried_email_waits_for_its_back_off_and_a_failed_one_until_retried_by_hand() {
    support::run(each_backend(|t| async move {
        queue_for_bob(&t.db, 1).await;
        let now = now_ms();
        let rows = mail_queue::claim(&t.db, now, LEASE_MS, 10).await.unwrap();
        assert_eq!(rows.len(), 2);
        mail_queue::mark_retry(
            &mut t.db.write_single().await.unwrap(),
            rows[0].id,
            now + 60_000,
            "421 try later",
        )
        .await
        .unwrap();
        mail_queue::mark_failed(
            &mut t.db.write_single().await.unwrap(),
            rows[1].id,
            "550 no such user",
        )
        .await
        .unwrap();
        assert!(mail_queue::claim(&t.db, now + 1, LEASE_MS, 10)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(mail_queue::counts(t.db.reader()).await.unwrap(), (1, 1, 0));
        let later = mail_queue::claim(&t.db, now + 60_001, LEASE_MS, 10)
            .await
            .unwrap();
        assert_eq!(
            later.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![rows[0].id]
        );
        assert_eq!(
            mail_queue::retry_failed(
                &mut t.db.write_single().await.unwrap(),
                Some(rows[1].id),
                now
            )
            .await
            .unwrap(),
            1
        );
        let revived = mail_queue::claim(&t.db, now + 60_002, LEASE_MS, 10)
            .await
            .unwrap();
        assert_eq!(
            revived.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![rows[1].id]
        );
    }));
}

#[test]
fn the_worker_writes_a_threaded_escaped_email_and_marks_it_sent() {
    support::run(each_backend(|t| async move {
        let ann = viewer(
            &t.db,
            make_member(&t.db, "ann@example.com", "Ann <b>\"Boss\"</b>").await,
        )
        .await;
        let bob = viewer(&t.db, make_member(&t.db, "bob@example.com", "Bob").await).await;
        let id = threads::start_direct(
            &t.db,
            &ann,
            &[bob.id],
            "Hi\u{2028}there",
            "<script>alert(1)</script> & more",
        )
        .await
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mailer = Mailer::Files(dir.path().to_path_buf());
        let state = app_state(t.db.clone());
        assert_eq!(process_due(&state, &mailer, None).await.unwrap(), 1);
        assert_eq!(mail_queue::counts(t.db.reader()).await.unwrap(), (0, 0, 1));
        let emails = support::mail::read_dir(dir.path());
        let email = &emails[0];
        assert_eq!(email.to, "bob@example.com");
        assert_eq!(email.in_reply_to, format!("pigeon.thread.{id}@pigeon.test"));
        assert_eq!(email.references, format!("pigeon.thread.{id}@pigeon.test"));
        assert!(email.message_id.starts_with("pigeon."), "{email:?}");
        assert!(email.has_both_parts());
        assert!(email.subject.starts_with("Re: Hi") && !email.subject.contains('\n'));
        assert!(
            email.text.contains("<script>alert(1)</script> & more"),
            "text kept as typed"
        );
        assert!(
            email
                .html
                .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"),
            "HTML part escaped: {}",
            email.html
        );
        assert!(!email.html.contains("<script>"));
        assert!(email
            .html
            .contains("Ann &lt;b&gt;&quot;Boss&quot;&lt;/b&gt;"));
        assert_eq!(
            email.link("/pigeon/threads/"),
            format!("/pigeon/threads/{id}")
        );
        assert_eq!(
            process_due(&state, &mailer, None).await.unwrap(),
            0,
            "never sent twice"
        );
    }));
}

#[test]
fn an_internal_note_email_says_so_and_reaches_only_staff() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        let p = Permissions {
            access: true,
            manage_threads: true,
            ..Default::default()
        };
        let sam = make_staff(&t.db, "sam@example.com", "Sam", p).await;
        let kim = make_staff(&t.db, "kim@example.com", "Kim", p).await;
        let id = threads::start_support(&t.db, &ann, "Refund", "Please")
            .await
            .unwrap();
        for who in [&sam, &kim] {
            let author = Author::User {
                id: who.id,
                name: &who.name,
                as_staff: true,
            };
            post_message(&t.db, id, author, MessageKind::Message, "Looking", None)
                .await
                .unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let mailer = Mailer::Files(dir.path().to_path_buf());
        let state = app_state(t.db.clone());
        while process_due(&state, &mailer, None).await.unwrap() > 0 {}
        let before: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        let author = Author::User {
            id: sam.id,
            name: &sam.name,
            as_staff: true,
        };
        post_message(
            &t.db,
            id,
            author,
            MessageKind::Note,
            "NOTE-99 careful",
            None,
        )
        .await
        .unwrap();
        assert_eq!(process_due(&state, &mailer, None).await.unwrap(), 1);
        let new: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| !before.contains(p))
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect();
        assert_eq!(new.len(), 1);
        assert!(new[0].contains("To: Kim <kim@example.com>"));
        assert!(new[0].contains("Internal note"));
        assert!(new[0].contains(&format!("http://pigeon.test/admin/pigeon/threads/{id}")));
        for earlier in before {
            let text = std::fs::read_to_string(earlier).unwrap();
            assert!(!text.contains("NOTE-99"));
        }
    }));
}

#[test]
fn an_unreachable_smtp_server_delays_email_but_loses_none() {
    support::run(each_backend(|t| async move {
        queue_for_bob(&t.db, 0).await;
        let down = Mailer::new(Some("smtp://127.0.0.1:9"), std::env::temp_dir()).unwrap();
        let state = app_state(t.db.clone());
        assert_eq!(process_due(&state, &down, None).await.unwrap(), 1);
        assert_eq!(
            mail_queue::counts(t.db.reader()).await.unwrap(),
            (1, 0, 0),
            "still pending"
        );
        assert!(
            mail_queue::claim(&t.db, now_ms(), LEASE_MS, 10)
                .await
                .unwrap()
                .is_empty(),
            "backing off"
        );
        let later = mail_queue::claim(&t.db, now_ms() + 31_000, LEASE_MS, 10)
            .await
            .unwrap();
        assert_eq!(later.len(), 1, "tried again after the back-off");
        assert_eq!(later[0].attempts, 2);
    }));
}

#[test]
fn a_template_override_is_used_by_the_next_email_without_a_restart() {
    support::run(each_backend(|t| async move {
        let dir = tempfile::tempdir().unwrap();
        let mut state = app_state(t.db.clone());
        std::sync::Arc::make_mut(&mut state.config).templates_dir = Some(dir.path().into());
        queue_for_bob(&t.db, 0).await;
        let first = support::mail::deliver_with(&state).await;
        assert!(first[0].subject.starts_with("Re: Plans"));
        std::fs::write(
            dir.path().join("message.txt"),
            "Subject: [Acme] {{subject}}\n\n{{author_name}} says: {{body}}\n{{link}}\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("message.html"),
            "<p class=\"acme\">{{author_name}}: {{body}}</p>",
        )
        .unwrap();
        queue_for_bob_again(&t.db).await;
        let second = support::mail::deliver_with(&state).await;
        assert_eq!(second[0].subject, "[Acme] Plans");
        assert!(
            second[0].text.starts_with("Ann says: Again"),
            "{}",
            second[0].text
        );
        assert!(second[0].html.contains("<p class=\"acme\">Ann: Again</p>"));
    }));
}

async fn queue_for_bob_again(db: &Db) {
    let ann = db::users::find_by_email(db.reader(), "ann@example.com")
        .await
        .unwrap()
        .unwrap()
        .to_viewer();
    let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM threads")
        .fetch_one(db.reader())
        .await
        .unwrap();
    let author = Author::User {
        id: ann.id,
        name: &ann.name,
        as_staff: false,
    };
    post_message(db, id, author, MessageKind::Message, "Again", None)
        .await
        .unwrap();
}

#[test]
fn a_stopping_worker_hands_its_unsent_claims_back_at_once() {
    support::run(each_backend(|t| async move {
        queue_for_bob(&t.db, 2).await;
        let dir = tempfile::tempdir().unwrap();
        let mailer = Mailer::Files(dir.path().to_path_buf());
        let state = app_state(t.db.clone());
        let (stop, stopped) = tokio::sync::watch::channel(true);
        assert_eq!(
            process_due(&state, &mailer, Some(&stopped)).await.unwrap(),
            0
        );
        drop(stop);
        assert!(
            support::mail::read_dir(dir.path()).is_empty(),
            "nothing was sent"
        );
        let again = mail_queue::claim(&t.db, now_ms(), LEASE_MS, 10)
            .await
            .unwrap();
        assert_eq!(
            again.len(),
            3,
            "every claim is free again, without waiting for a lease"
        );
        assert!(
            again.iter().all(|r| r.attempts == 1),
            "the handed-back claim is not counted as an attempt"
        );
    }));
}

#[test]
fn an_email_accepted_while_the_database_is_locked_is_recorded_once_the_lock_goes() {
    support::run(each_backend(|t| async move {
        queue_for_bob(&t.db, 0).await;
        let id: i64 = sqlx::query_scalar("SELECT id FROM outbox")
            .fetch_one(t.db.reader())
            .await
            .unwrap();
        // The "SMTP server" is a named pipe: the email is accepted when the test reads it.
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join(format!("pigeon-{id}.eml"));
        let made = std::process::Command::new("mkfifo").arg(&pipe).status();
        assert!(made.unwrap().success());
        let state = app_state(t.db.clone());
        let mailer = Mailer::Files(dir.path().to_path_buf());
        let worker = tokio::spawn(async move { process_due(&state, &mailer, None).await });
        while sqlx::query_scalar::<_, Option<i64>>("SELECT locked_until FROM outbox")
            .fetch_one(t.db.reader())
            .await
            .unwrap()
            .is_none()
        {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        // Another process holds the database while the server accepts the email.
        let other = t.second_pool().await;
        let mut holder = other.reader().acquire().await.unwrap();
        let lock = if t.db.backend() == db::Backend::Sqlite {
            "BEGIN IMMEDIATE"
        } else {
            "BEGIN; LOCK TABLE outbox IN EXCLUSIVE MODE"
        };
        sqlx::raw_sql(lock).execute(&mut *holder).await.unwrap();
        let accepted = tokio::task::spawn_blocking(move || std::fs::read(pipe).unwrap());
        assert!(!accepted.await.unwrap().is_empty(), "the email was sent");
        // Longer than the busy and lock timeouts: the first write of the outcome fails.
        tokio::time::sleep(std::time::Duration::from_secs(11)).await;
        assert!(
            !worker.is_finished(),
            "the worker keeps the outcome and tries again"
        );
        sqlx::raw_sql("ROLLBACK")
            .execute(&mut *holder)
            .await
            .unwrap();
        drop(holder);
        other.close().await;
        assert_eq!(worker.await.unwrap().unwrap(), 1);
        assert_eq!(mail_queue::counts(t.db.reader()).await.unwrap(), (0, 0, 1));
        assert!(
            mail_queue::claim(&t.db, now_ms() + 3_600_000, LEASE_MS, 10)
                .await
                .unwrap()
                .is_empty(),
            "nothing is left to send again"
        );
    }));
}
