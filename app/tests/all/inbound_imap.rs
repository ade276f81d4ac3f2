//! The IMAP reader against a real IMAP server on loopback (Debian's dovecot, started by
//! `scripts/test`; `PIGEON_TEST_IMAP_URL` and `PIGEON_TEST_IMAP_MAILDIR` name it): messages
//! in the mailbox are kept, processed and moved out, a broken one among them too (parked as
//! failed, never left to block the rest), and a message arriving later is read at once
//! (IDLE).
use crate::support;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use app::backend::db;
use app::backend::inbound::{imap::ImapSource, Inbound};
use support::{app_state, each_backend, SUPPORT_ADDRESS};

/// Puts a message into the mailbox the way a delivery agent does (maildir `new/`).
fn deliver(maildir: &Path, raw: &[u8]) {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = format!(
        "{}.pigeon-test-{}-{}.localhost",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let tmp = maildir.join("tmp").join(&name);
    std::fs::write(&tmp, raw).unwrap();
    std::fs::rename(&tmp, maildir.join("new").join(&name)).unwrap();
}

fn question(from: &str, id: &str, body: &str) -> Vec<u8> {
    format!(
        "From: <{from}>\r\nTo: {SUPPORT_ADDRESS}\r\nSubject: Asked by IMAP\r\nMessage-ID: <{id}>\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

fn files_in(dir: PathBuf) -> usize {
    ["new", "cur"]
        .iter()
        .map(|d| {
            std::fs::read_dir(dir.join(d))
                .map(|r| r.count())
                .unwrap_or(0)
        })
        .sum()
}

async fn until<F: AsyncFnMut() -> bool>(mut done: F) -> bool {
    for _ in 0..200 {
        if done().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[test]
fn mail_in_an_imap_mailbox_is_kept_processed_and_moved_out() {
    let (Ok(url), Ok(maildir)) = (
        std::env::var("PIGEON_TEST_IMAP_URL"),
        std::env::var("PIGEON_TEST_IMAP_MAILDIR"),
    ) else {
        eprintln!("PIGEON_TEST_IMAP_URL is not set: the IMAP reader is not tested in this run");
        return;
    };
    support::run(each_backend(|t| {
        let (url, maildir) = (url.clone(), PathBuf::from(&maildir));
        async move {
            let run = format!("{}-{}", std::process::id(), t.db.instance());
            let folder = format!("Processed-{run}");
            let mut state = app_state(t.db.clone());
            let source = ImapSource::parse(&format!("{url}?processed={folder}")).unwrap();
            std::sync::Arc::make_mut(&mut state.config).inbound.imap = Some(source);
            // Kept once already by a reader that died before moving it out: kept once.
            let again = question("kim@example.com", &format!("i1-{run}@x"), "First");
            app::backend::service::inbound::receive(&state, "imap", "", &[], &again)
                .await
                .unwrap();
            deliver(&maildir, &again);
            deliver(&maildir, b"\x00\x01 not a message at all");
            deliver(
                &maildir,
                &question("lee@example.com", &format!("i2-{run}@x"), "Second"),
            );
            let inbound = Inbound::start(state.clone(), None).await.unwrap();
            let reader = t.db.reader().clone();
            let counts = || {
                let reader = reader.clone();
                async move { db::inbound::counts(&reader).await.unwrap() }
            };
            let all_done = until(async || {
                let c = counts().await;
                c.iter().any(|(s, n)| s == "started" && *n == 2)
                    && c.iter().any(|(s, n)| s == "failed" && *n == 1)
            })
            .await;
            assert!(all_done, "{:?}", counts().await);
            let moved_out = until(async || files_in(maildir.clone()) == 0).await;
            assert!(moved_out, "the mailbox is empty once everything is kept");
            let processed = maildir.join(format!(".{folder}"));
            assert_eq!(
                files_in(processed.clone()),
                3,
                "and every message is in {folder}"
            );
            // One more while the reader waits (IDLE): read without a new connection.
            deliver(
                &maildir,
                &question("mo@example.com", &format!("i3-{run}@x"), "Third"),
            );
            let third = until(async || {
                counts()
                    .await
                    .iter()
                    .any(|(s, n)| s == "started" && *n == 3)
            })
            .await;
            assert!(third, "{:?}", counts().await);
            inbound.stop().await;
            assert!(until(async || files_in(processed.clone()) == 4).await);
        }
    }));
}
