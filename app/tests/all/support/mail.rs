//! Reading the emails Pigeon wrote: MIME parsed, never matched as raw text.
use std::path::Path;

use app::backend::db::Db;
use app::backend::mail::transport::Mailer;
use app::backend::mail::worker::process_due;
use app::backend::state::AppState;
use mail_parser::{HeaderValue, MessageParser};

/// One email as a mail client would see it.
#[derive(Debug, Clone)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub message_id: String,
    pub in_reply_to: String,
    pub references: String,
    pub list_unsubscribe: Option<String>,
    pub list_unsubscribe_post: Option<String>,
    /// The `Reply-To` address (a reply address, when the site takes replies by email).
    pub reply_to: Option<String>,
    pub auto_submitted: Option<String>,
}

impl Email {
    /// Parses an RFC 5322 message; panics on anything malformed.
    pub fn parse(raw: &[u8]) -> Email {
        let m = MessageParser::default()
            .parse(raw)
            .expect("a well-formed email");
        let header_text =
            |name: &str| -> Option<String> { m.header_raw(name).map(|v| v.trim().to_string()) };
        let id_list = |v: &HeaderValue| match v {
            HeaderValue::Text(t) => t.to_string(),
            HeaderValue::TextList(l) => l.join(" "),
            _ => String::new(),
        };
        Email {
            to: m
                .to()
                .and_then(|a| a.first())
                .and_then(|a| a.address())
                .unwrap_or_default()
                .to_string(),
            subject: m.subject().unwrap_or_default().to_string(),
            text: m.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
            html: m.body_html(0).map(|t| t.into_owned()).unwrap_or_default(),
            message_id: m.message_id().unwrap_or_default().to_string(),
            in_reply_to: id_list(m.in_reply_to()),
            references: id_list(m.references()),
            list_unsubscribe: header_text("List-Unsubscribe"),
            list_unsubscribe_post: header_text("List-Unsubscribe-Post"),
            reply_to: m
                .reply_to()
                .and_then(|a| a.first())
                .and_then(|a| a.address())
                .map(str::to_string),
            auto_submitted: header_text("Auto-Submitted"),
        }
    }

    /// Whether the email has both a plain-text and an HTML part.
    pub fn has_both_parts(&self) -> bool {
        !self.text.trim().is_empty() && !self.html.trim().is_empty()
    }

    /// The path of the first link in the text part that starts with `base + prefix`.
    pub fn link(&self, prefix: &str) -> String {
        let start = format!("http://pigeon.test{prefix}");
        let at = self
            .text
            .find(&start)
            .unwrap_or_else(|| panic!("no {start} link in:\n{}", self.text));
        let url: String = self.text[at..]
            .chars()
            .take_while(|c| !c.is_whitespace())
            .collect();
        url.trim_start_matches("http://pigeon.test").to_string()
    }
}

/// Every `.eml` file in `dir`, oldest outbox row first.
pub fn read_dir(dir: &Path) -> Vec<Email> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort_by_key(|p| {
        p.file_stem()
            .and_then(|s| s.to_str())
            .and_then(|s| s.trim_start_matches("pigeon-").parse::<i64>().ok())
            .unwrap_or(0)
    });
    files
        .iter()
        .map(|p| Email::parse(&std::fs::read(p).unwrap()))
        .collect()
}

/// Runs the mail queue once into a fresh folder and returns what it wrote.
pub async fn deliver(db: &Db) -> Vec<Email> {
    deliver_with(&super::app_state(db.clone())).await
}

/// As `deliver`, with a given application state (e.g. a templates folder).
pub async fn deliver_with(state: &AppState) -> Vec<Email> {
    let dir = tempfile::tempdir().unwrap();
    let mailer = Mailer::Files(dir.path().to_path_buf());
    while process_due(state, &mailer, None).await.unwrap() > 0 {}
    read_dir(dir.path())
}
