//! The reply emails of the usual mail clients, as fixtures written for these tests
//! (`app/tests/fixtures/inbound`): each `NAME.eml` must read as the text in
//! `NAME.expected` (the new text only, quoted history and signature cut), or as the noise
//! it is (`NOISE auto-reply`, `NOISE bounce <failed address>…`).
use app::backend::mail::incoming::{self, Noise};

fn fixtures() -> Vec<(String, Vec<u8>, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inbound");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "eml") {
            let expected = std::fs::read_to_string(path.with_extension("expected")).unwrap();
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            out.push((name, std::fs::read(&path).unwrap(), expected));
        }
    }
    out.sort();
    out
}

#[test]
fn every_client_s_reply_reads_as_the_text_it_must_post() {
    let all = fixtures();
    assert!(
        all.len() >= 12,
        "the corpus is there ({} fixtures)",
        all.len()
    );
    let mut wrong = Vec::new();
    for (name, raw, expected) in &all {
        let mail = incoming::read(raw).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let got = match mail.noise {
            Some(Noise::AutoReply) => "NOISE auto-reply".to_string(),
            Some(Noise::Bounce) => format!("NOISE bounce {}", mail.failed_recipients.join(" ")),
            None => incoming::new_text(&mail.text),
        };
        if got != *expected {
            wrong.push(format!(
                "{name}:\n--- expected\n{expected}\n--- got\n{got}\n"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn headers_are_decoded_and_files_kept() {
    let all = fixtures();
    let get = |n: &str| {
        let (_, raw, _) = all.iter().find(|(name, _, _)| name == n).unwrap();
        incoming::read(raw).unwrap()
    };
    let latin = get("latin1_base64");
    assert_eq!(latin.from, "renee@example.test");
    assert_eq!(latin.from_name, "Renée Müller");
    assert_eq!(latin.subject, "Re: Réservation");
    let outlook = get("outlook_desktop");
    assert_eq!(
        outlook.from, "bob.brown@contoso.example",
        "addresses are lower-cased"
    );
    assert!(outlook
        .references
        .contains("pigeon.52.0123456789abcdef0123@pigeon.test"));
    assert_eq!(
        outlook.to,
        ["reply+7-g3-0-aaaaaaaaaaaaaaaaaaaa@reply.pigeon.test"]
    );
    let with_file = get("attachment");
    assert_eq!(with_file.files.len(), 1);
    assert_eq!(with_file.files[0].name, "error-log.txt");
    assert_eq!(with_file.files[0].bytes, b"Error 404: page not found\n");
    let html = get("html_only");
    assert!(!html.text.contains("alert(1)"), "scripts are not text");
    assert!(!html.text.contains("color:red"), "styles are not text");
    assert_eq!(
        get("gmail").message_id.as_deref(),
        Some("CAF=gmail-reply-1@mail.gmail.com")
    );
}

#[test]
fn broken_and_hostile_messages_are_refused_not_panicked_on() {
    for raw in [
        &b""[..],
        b"\r\n\r\n",
        b"not a mail at all",
        b"From: nobody\r\n\r\nno address",
        b"Subject: no sender\r\n\r\nbody",
    ] {
        assert!(
            incoming::read(raw).is_err(),
            "{:?}",
            String::from_utf8_lossy(raw)
        );
    }
    // Deep nesting and a huge header: read or refused, never a crash.
    let mut deep =
        String::from("From: a@b.test\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n");
    for i in 0..200 {
        deep.push_str(&format!(
            "--b{i}\r\nContent-Type: multipart/mixed; boundary=\"b{}\"\r\n\r\n",
            i + 1
        ));
    }
    let _ = incoming::read(deep.as_bytes());
    let long = format!(
        "From: a@b.test\r\nSubject: {}\r\n\r\nhi",
        "x".repeat(1_000_000)
    );
    let read = incoming::read(long.as_bytes()).unwrap();
    assert!(read.subject.chars().count() <= 200);
}
