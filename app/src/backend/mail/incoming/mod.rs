//! Reading a message that came in: MIME parsed by `mail-parser` (character sets, encoded
//! words, quoted-printable and base64 decoded; HTML-only mail turned into text), then what
//! Pigeon needs of it: who sent it, what it answers, the new text without the quoted history
//! (`quotes`), its files, and whether it is noise that must never post (`noise`).
mod noise;
mod quotes;

use mail_parser::{Address, HeaderValue, MessageParser, MimeHeaders};

pub use noise::Noise;
pub use quotes::new_text;

/// Files one message may bring, at most (more are left in the kept original).
const MAX_FILES: usize = 20;
/// Longest subject kept, in characters.
const SUBJECT_MAX: usize = 200;

/// A message as Pigeon reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Incoming {
    /// `Message-ID` without the angle brackets.
    pub message_id: Option<String>,
    /// The sender's address, lower case.
    pub from: String,
    /// The sender's display name (may be empty).
    pub from_name: String,
    /// Every address in `To`, `Cc` and `Delivered-To`, lower case.
    pub to: Vec<String>,
    pub subject: String,
    /// `In-Reply-To` and `References`, as written.
    pub references: String,
    /// The whole text (plain text part, or the HTML part turned into text).
    pub text: String,
    /// Why it must not post, if it must not.
    pub noise: Option<Noise>,
    /// For a bounce: the addresses that failed.
    pub failed_recipients: Vec<String>,
    pub files: Vec<IncomingFile>,
}

/// A file attached to a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Why a message cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

/// Reads a raw message.
pub fn read(raw: &[u8]) -> Result<Incoming, Unreadable> {
    let message = MessageParser::default()
        .parse(raw)
        .ok_or_else(|| Unreadable("not a MIME message".into()))?;
    if message.headers().is_empty() {
        return Err(Unreadable("the message has no headers".into()));
    }
    let (from, from_name) = first_address(message.from())
        .ok_or_else(|| Unreadable("the message names no sender (From)".into()))?;
    let mut to = Vec::new();
    for list in [message.to(), message.cc()].into_iter().flatten() {
        to.extend(addresses(list));
    }
    for delivered in message.header_values("Delivered-To") {
        if let Some(text) = delivered.as_text() {
            to.push(text.trim().trim_matches(['<', '>']).to_ascii_lowercase());
        }
    }
    let references = [message.in_reply_to(), message.references()]
        .iter()
        .flat_map(|v| text_list(v))
        .collect::<Vec<_>>()
        .join(" ");
    let subject: String = message
        .subject()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(SUBJECT_MAX)
        .collect();
    let text = text_of(&message).replace("\r\n", "\n");
    let noise = noise::of(&message, &from, &subject);
    let failed_recipients = if noise == Some(Noise::Bounce) {
        noise::failed_recipients(&message)
    } else {
        Vec::new()
    };
    let mut files = Vec::new();
    for part in message.attachments() {
        if files.len() >= MAX_FILES || part.is_message() && part.attachment_name().is_none() {
            continue;
        }
        let name = part.attachment_name().unwrap_or("attachment").to_string();
        files.push(IncomingFile {
            name,
            bytes: part.contents().to_vec(),
        });
    }
    Ok(Incoming {
        message_id: message
            .message_id()
            .map(|id| id.trim().trim_matches(['<', '>']).to_string())
            .filter(|id| !id.is_empty()),
        from,
        from_name,
        to,
        subject,
        references,
        text,
        noise,
        failed_recipients,
        files,
    })
}

/// The message's text: its plain-text part as written, or its HTML part turned into text
/// without the quoted copies (`<blockquote>`) that HTML replies carry.
fn text_of(message: &mail_parser::Message<'_>) -> String {
    let html_only = message.text_part(0).is_some_and(|p| p.is_text_html());
    if !html_only {
        return message
            .body_text(0)
            .map(|t| t.into_owned())
            .unwrap_or_default();
    }
    let html = message.body_html(0).unwrap_or_default();
    mail_parser::decoders::html::html_to_text(&without_blockquotes(&html))
}

/// `html` with every `<blockquote>…</blockquote>` (nested ones too) left out, and a line
/// break before each `<div>` so a quote header stays a line of its own.
fn without_blockquotes(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len());
    let (mut depth, mut i) = (0usize, 0usize);
    while i < html.len() {
        let rest = &lower[i..];
        if rest.starts_with("<blockquote") {
            depth += 1;
        } else if rest.starts_with("</blockquote") && depth > 0 {
            depth -= 1;
            i += rest.find('>').map_or(rest.len(), |e| e + 1);
            continue;
        } else if depth == 0 && rest.starts_with("<div") {
            out.push_str("<br>");
        }
        let ch = html[i..].chars().next().expect("inside the text");
        if depth == 0 {
            out.push(ch);
        }
        i += ch.len_utf8();
    }
    out
}

fn first_address(address: Option<&Address<'_>>) -> Option<(String, String)> {
    let first = address?.first()?;
    let email = first.address()?.trim().to_ascii_lowercase();
    if !email.contains('@') {
        return None;
    }
    let name = first.name().unwrap_or("").trim().to_string();
    Some((email, name))
}

fn addresses(list: &Address<'_>) -> Vec<String> {
    list.iter()
        .filter_map(|a| a.address())
        .map(|a| a.trim().to_ascii_lowercase())
        .collect()
}

fn text_list(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(t) => vec![t.to_string()],
        HeaderValue::TextList(list) => list.iter().map(|t| t.to_string()).collect(),
        _ => Vec::new(),
    }
}
