//! The built-in SMTP receiver, spoken to over real SMTP on loopback (lettre as the sending
//! server, and raw protocol lines where a client would not misbehave): it takes mail for
//! reply addresses and the support address and nothing else, answers limits the way a
//! mail server does, and a kept message is posted.
use crate::support;

use std::time::Duration;

use app::backend::db;
use app::backend::inbound::Inbound;
use lettre::transport::smtp::client::Tls;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use support::{app_state, each_backend, SUPPORT_ADDRESS};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

fn transport(port: u16) -> AsyncSmtpTransport<Tokio1Executor> {
    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(port)
        .tls(Tls::None)
        .timeout(Some(Duration::from_secs(10)))
        .build()
}

/// Speaks raw SMTP: sends each line and returns every answer line read after it.
async fn converse(port: u16, lines: &[&str]) -> Vec<String> {
    let stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);
    let mut answers = Vec::new();
    let mut line = String::new();
    r.read_line(&mut line).await.unwrap();
    answers.push(line.trim().to_string());
    for l in lines {
        w.write_all(format!("{l}\r\n").as_bytes()).await.unwrap();
        // Commands are answered; the lines of a message are not, until its final dot.
        let command = l.len() >= 4 && l[..4].chars().all(|c| c.is_ascii_uppercase());
        let expects_answer = command || *l == ".";
        if !expects_answer {
            continue;
        }
        loop {
            line.clear();
            if r.read_line(&mut line).await.unwrap() == 0 {
                return answers;
            }
            answers.push(line.trim().to_string());
            if line.as_bytes().get(3) != Some(&b'-') {
                break;
            }
        }
    }
    answers
}

#[test]
fn mail_over_smtp_is_kept_and_posted_and_nothing_is_relayed() {
    support::run(each_backend(|t| async move {
        let state = app_state(t.db.clone());
        let inbound = Inbound::start(state.clone(), Some("127.0.0.1:0".parse().unwrap()))
            .await
            .unwrap();
        let port = inbound.smtp_addr.unwrap().port();
        let smtp = transport(port);
        let email = lettre::Message::builder()
            .from("Ivy <ivy@example.com>".parse().unwrap())
            .to(SUPPORT_ADDRESS.parse().unwrap())
            .subject("Printer on fire")
            .message_id(Some("<smtp-1@example.com>".into()))
            .body("It smokes.".to_string())
            .unwrap();
        smtp.send(email.clone()).await.expect("accepted");
        // Sent again (the sender never saw the 250): kept once.
        smtp.send(email).await.expect("accepted again");
        let mut started = Vec::new();
        for _ in 0..100 {
            started = db::inbound::recent(t.db.reader(), Some("started"), 10)
                .await
                .unwrap();
            if !started.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(started.len(), 1, "posted once");
        assert_eq!(
            db::inbound::recent(t.db.reader(), None, 10)
                .await
                .unwrap()
                .len(),
            1
        );
        // Not a relay: other addresses and other domains are refused at RCPT.
        let other = lettre::Message::builder()
            .from("ivy@example.com".parse().unwrap())
            .to("someone@elsewhere.example".parse().unwrap())
            .subject("Relay me")
            .body("No".to_string())
            .unwrap();
        let refused = smtp.send(other).await.expect_err("refused");
        assert!(refused.is_permanent(), "{refused:?}");
        let answers = converse(
            port,
            &[
                "EHLO client.test",
                "MAIL FROM:<ivy@example.com>",
                "RCPT TO:<reply+1-g1-0-00@other.test>",
                "RCPT TO:<help@pigeon.test>",
                "QUIT",
            ],
        )
        .await;
        assert!(answers.iter().any(|a| a.starts_with("550")), "{answers:?}");
        assert!(answers.iter().any(|a| a.starts_with("221")), "{answers:?}");
        inbound.stop().await;
    }));
}

#[test]
fn a_message_over_the_size_limit_is_refused_and_the_next_one_taken() {
    support::run(each_backend(|t| async move {
        let mut state = app_state(t.db.clone());
        std::sync::Arc::make_mut(&mut state.config)
            .inbound
            .max_message_bytes = 10_000;
        let inbound = Inbound::start(state.clone(), Some("127.0.0.1:0".parse().unwrap()))
            .await
            .unwrap();
        let port = inbound.smtp_addr.unwrap().port();
        let big = lettre::Message::builder()
            .from("ivy@example.com".parse().unwrap())
            .to(SUPPORT_ADDRESS.parse().unwrap())
            .subject("Big")
            .body("x".repeat(50_000))
            .unwrap();
        let error = transport(port).send(big).await.expect_err("too big");
        assert!(
            error.to_string().contains("552") || error.is_permanent(),
            "{error}"
        );
        let small = lettre::Message::builder()
            .from("ivy@example.com".parse().unwrap())
            .to(SUPPORT_ADDRESS.parse().unwrap())
            .subject("Small")
            .body("fine".to_string())
            .unwrap();
        transport(port)
            .send(small)
            .await
            .expect("the next one is taken");
        // A line without end from a client that goes away loses nothing else.
        let answers = converse(
            port,
            &[
                "EHLO x",
                "MAIL FROM:<a@b.test>",
                "RCPT TO:<help@pigeon.test>",
                "DATA",
                "Subject: cut",
                "",
                "half a mess",
            ],
        )
        .await;
        assert!(answers.iter().any(|a| a.starts_with("354")), "{answers:?}");
        inbound.stop().await;
        let kept = db::inbound::recent(t.db.reader(), None, 10).await.unwrap();
        assert_eq!(kept.len(), 1, "only the small one");
    }));
}
