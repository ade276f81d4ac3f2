//! Mail that must never post and never be answered: auto-replies (RFC 3834's
//! `Auto-Submitted`, `Precedence`, the `X-Auto*` headers of common responders,
//! out-of-office subjects) and bounces (delivery status notifications, mailer-daemon).
use mail_parser::{Message, MimeHeaders};

/// What kind of noise a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Noise {
    AutoReply,
    Bounce,
}

impl Noise {
    /// Said on the Inbound page.
    pub fn describe(self) -> &'static str {
        match self {
            Noise::AutoReply => "an automatic reply",
            Noise::Bounce => "a delivery failure notice (bounce)",
        }
    }
}

/// Subjects of out-of-office and automatic replies, lower case, as they start.
const AUTO_SUBJECTS: &[&str] = &[
    "out of office",
    "out of the office",
    "automatic reply",
    "auto reply",
    "autoreply",
    "auto-reply",
    "auto:",
    "abwesenheitsnotiz",
    "automatische antwort",
    "réponse automatique",
    "respuesta automática",
    "risposta automatica",
    "vacation reply",
    "away from the office",
];

const BOUNCE_SENDERS: &[&str] = &["mailer-daemon@", "postmaster@"];

/// Whether (and how) a message is noise.
pub fn of(message: &Message<'_>, from: &str, subject: &str) -> Option<Noise> {
    if is_bounce(message, from, subject) {
        return Some(Noise::Bounce);
    }
    let header = |name: &str| {
        message
            .header_raw(name)
            .map(|v| v.trim().to_ascii_lowercase())
    };
    if header("auto-submitted").is_some_and(|v| !v.is_empty() && !v.starts_with("no")) {
        return Some(Noise::AutoReply);
    }
    if header("precedence").is_some_and(|v| {
        ["bulk", "junk", "list", "auto_reply"]
            .iter()
            .any(|p| v.starts_with(p))
    }) {
        return Some(Noise::AutoReply);
    }
    let responder_headers = [
        "x-autoreply",
        "x-autorespond",
        "x-autoresponder",
        "x-auto-reply",
    ];
    if responder_headers.iter().any(|h| header(h).is_some()) {
        return Some(Noise::AutoReply);
    }
    // Microsoft's responders say they are one this way.
    if header("x-auto-response-suppress").is_some_and(|v| v.contains("oof") || v == "all")
        && header("in-reply-to").is_none()
    {
        return Some(Noise::AutoReply);
    }
    let subject = subject.trim().to_lowercase();
    if AUTO_SUBJECTS.iter().any(|s| subject.starts_with(s)) {
        return Some(Noise::AutoReply);
    }
    None
}

fn is_bounce(message: &Message<'_>, from: &str, subject: &str) -> bool {
    let report = message.content_type().is_some_and(|ct| {
        ct.c_type.eq_ignore_ascii_case("multipart")
            && ct
                .c_subtype
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
            && ct
                .attribute("report-type")
                .is_some_and(|r| r.eq_ignore_ascii_case("delivery-status"))
    });
    let subject = subject.to_lowercase();
    report
        || BOUNCE_SENDERS.iter().any(|s| from.starts_with(s))
        || subject.starts_with("undeliverable:")
        || subject.starts_with("undelivered mail returned to sender")
        || subject.starts_with("delivery status notification (failure)")
}

/// The recipients a delivery status notification says failed (`Final-Recipient` of the
/// `Action: failed` blocks).
pub fn failed_recipients(message: &Message<'_>) -> Vec<String> {
    let mut failed = Vec::new();
    for part in message.parts.iter() {
        let is_status = part.content_type().is_some_and(|ct| {
            ct.c_subtype.as_deref().is_some_and(|s| {
                s.eq_ignore_ascii_case("delivery-status")
                    || s.eq_ignore_ascii_case("global-delivery-status")
            })
        });
        if !is_status {
            continue;
        }
        let text = String::from_utf8_lossy(part.contents()).replace("\r\n", "\n");
        for block in text.split("\n\n") {
            let mut recipient = None;
            let mut action_failed = false;
            for line in block.lines() {
                let Some((name, value)) = line.split_once(':') else {
                    continue;
                };
                let value = value.trim();
                match name.trim().to_ascii_lowercase().as_str() {
                    "final-recipient" | "original-recipient" if recipient.is_none() => {
                        let address = value.rsplit(';').next().unwrap_or(value);
                        recipient =
                            Some(address.trim().trim_matches(['<', '>']).to_ascii_lowercase());
                    }
                    "action" => action_failed = value.eq_ignore_ascii_case("failed"),
                    _ => {}
                }
            }
            if let (Some(r), true) = (recipient, action_failed) {
                if r.contains('@') && !failed.contains(&r) {
                    failed.push(r);
                }
            }
        }
    }
    failed
}
