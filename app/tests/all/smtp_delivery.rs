//! Delivery through a real SMTP server on loopback (aiosmtpd, started by the test): with the
//! server down nothing is lost, and once it is back every email arrives exactly once.
use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use app::backend::db::{mail_queue, now_ms};
use app::backend::mail::transport::Mailer;
use app::backend::mail::worker::process_due_at;
use app::backend::service::threads;
use support::mail::read_dir;
use support::{app_state, each_backend, make_member, viewer};

/// The SMTP server of the browser tests, run from the Python the test command installs.
struct Sink {
    child: Child,
    dir: PathBuf,
}

impl Sink {
    fn start(port: u16, dir: &Path) -> Sink {
        let python = std::env::var("PIGEON_E2E_PYTHON").expect(
            "PIGEON_E2E_PYTHON must name a Python with aiosmtpd (scripts/test installs it)",
        );
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../end2end/smtp_sink.py");
        let mut child = Command::new(python)
            .arg(&script)
            .arg(dir)
            .arg(port.to_string())
            .stdout(Stdio::null())
            .spawn()
            .expect("start the SMTP sink");
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Sink {
                    child,
                    dir: dir.to_path_buf(),
                };
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the SMTP sink did not start on port {port}");
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn with_the_smtp_server_down_then_up_every_email_arrives_exactly_once() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        let bob = make_member(&t.db, "bob@example.com", "Bob").await;
        let cy = make_member(&t.db, "cy@example.com", "Cy").await;
        for i in 0..5 {
            threads::start_direct(&t.db, &ann, &[bob, cy], &format!("Plan {i}"), "Hello")
                .await
                .unwrap();
        }
        let port = free_port();
        let mailer =
            Mailer::new(Some(&format!("smtp://127.0.0.1:{port}")), "/nowhere".into()).unwrap();
        let state = app_state(t.db.clone());

        // Down: every attempt fails for now and nothing is marked sent or dropped.
        let now = now_ms();
        assert_eq!(
            process_due_at(&state, &mailer, None, now).await.unwrap(),
            10
        );
        assert_eq!(mail_queue::counts(t.db.reader()).await.unwrap(), (10, 0, 0));
        let pending = mail_queue::list(t.db.reader(), "pending", 100)
            .await
            .unwrap();
        assert!(pending.iter().all(|r| r.attempts == 1
            && r.last_error
                .as_deref()
                .unwrap_or("")
                .contains("SMTP server")));
        assert_eq!(
            process_due_at(&state, &mailer, None, now).await.unwrap(),
            0,
            "backing off"
        );

        // Up, and the back-off has passed.
        let dir = tempfile::tempdir().unwrap();
        let sink = Sink::start(port, dir.path());
        let later = now + 3_600_000;
        while process_due_at(&state, &mailer, None, later).await.unwrap() > 0 {}
        assert_eq!(mail_queue::counts(t.db.reader()).await.unwrap(), (0, 0, 10));
        let received = read_dir(&sink.dir);
        assert_eq!(received.len(), 10);
        let mut ids: Vec<&str> = received.iter().map(|e| e.message_id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 10, "ten different emails, none twice");
        for e in &received {
            assert!(e.has_both_parts());
            assert!(e.subject.starts_with("Re: Plan"), "{}", e.subject);
        }
        assert_eq!(
            process_due_at(&state, &mailer, None, later + 3_600_000)
                .await
                .unwrap(),
            0
        );
        assert_eq!(read_dir(&sink.dir).len(), 10, "nothing sent twice");
    }));
}
