//! Turns a queued notification into an email: plain text and HTML, every value escaped,
//! threading headers so mail clients group a thread's emails.
use lettre::message::{Mailbox, MultiPart};
use lettre::Message;

use crate::backend::config::Config;
use crate::backend::db::{self, mail_queue::QueuedMail, Db};
use crate::backend::service::settings::Settings;
use crate::model::thread::MessageKind;

/// A queued row that cannot become an email (recipient or thread gone): parked with this reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undeliverable(pub String);

/// The stable `Message-ID` of an outbox row, so a resend is recognised as the same email.
pub fn message_id(row_id: i64, host: &str) -> String {
    format!("<pigeon.{row_id}@{host}>")
}

/// The id all emails of one thread refer to.
pub fn thread_ref(thread_id: i64, host: &str) -> String {
    format!("<pigeon.thread.{thread_id}@{host}>")
}

/// Builds the email for a queued row.
pub async fn compose(
    db: &Db,
    config: &Config,
    settings: &Settings,
    row: &QueuedMail,
) -> Result<Result<Message, Undeliverable>, sqlx::Error> {
    let gone = |why: &str| Ok(Err(Undeliverable(why.to_string())));
    let Some(thread) = db::threads::find(&db.pool, row.thread_id).await? else {
        return gone("the thread was deleted");
    };
    let Some(user_id) = row.recipient_user_id else {
        return gone("guest recipients are notified once guest links exist");
    };
    let Some(user) = db::users::find_by_id(&db.pool, user_id)
        .await?
        .filter(|u| !u.disabled)
    else {
        return gone("the recipient's account is gone or disabled");
    };
    let viewer = user.to_viewer();
    let host = config
        .base_url
        .host_str()
        .unwrap_or("localhost")
        .to_string();
    let base = config.base_url.as_str().trim_end_matches('/');
    let link = if viewer.is_staff() && thread.kind == crate::model::thread::ThreadKind::Support {
        format!("{base}/admin/pigeon/threads/{}", thread.id)
    } else {
        format!("{base}/pigeon/threads/{}", thread.id)
    };
    let message = match row.message_id {
        Some(id) => db::messages::list(&db.pool, thread.id, false)
            .await?
            .into_iter()
            .find(|m| m.id == id),
        None => None,
    };
    let (subject, intro, body) = match (row.kind.as_str(), &message) {
        ("assigned", _) => (
            format!("Assigned to you: {}", thread.subject),
            "A conversation was assigned to you.".to_string(),
            String::new(),
        ),
        (_, Some(m)) if m.kind == MessageKind::Note => (
            format!("[Internal note] {}", thread.subject),
            format!(
                "{} added an internal note (staff only, never shown to the customer):",
                m.author_name
            ),
            m.body.clone(),
        ),
        (_, Some(m)) => (
            format!("Re: {}", thread.subject),
            format!("{} wrote:", m.author_name),
            m.body.clone(),
        ),
        _ => return gone("the message was deleted"),
    };
    let unsubscribe = row
        .participant_id
        .map(|pid| super::unsubscribe::url(base, &config.secret, pid));
    let stop_text = unsubscribe
        .as_ref()
        .map(|u| format!("\nStop emails about this conversation: {u}\n"))
        .unwrap_or_default();
    let stop_html = unsubscribe
        .as_ref()
        .map(|u| {
            format!(
                "<p><a href=\"{}\">Stop emails about this conversation</a></p>",
                escape(u)
            )
        })
        .unwrap_or_default();
    let text = format!(
        "{intro}\n\n{body}\n\nOpen the conversation: {link}\n{stop_text}\n-- \n{}\n",
        settings.site_name
    );
    let html = format!(
        "<p>{}</p><blockquote style=\"white-space:pre-wrap\">{}</blockquote>\
         <p><a href=\"{}\">Open the conversation</a></p>{stop_html}<p>— {}</p>",
        escape(&intro),
        escape(&body),
        escape(&link),
        escape(&settings.site_name)
    );
    let from = mailbox(&settings.from_name, &settings.from_email);
    let to = mailbox(&user.name, &user.email);
    let (Some(from), Some(to)) = (from, to) else {
        return gone("an address is not valid");
    };
    let references = thread_ref(thread.id, &host);
    let mut builder = Message::builder();
    if let Some(u) = unsubscribe {
        builder = builder
            .header(super::list_headers::ListUnsubscribe(u))
            .header(super::list_headers::ListUnsubscribePost);
    }
    let built = builder
        .from(from)
        .to(to)
        .subject(one_line(&subject))
        .message_id(Some(message_id(row.id, &host)))
        .in_reply_to(references.clone())
        .references(references)
        .multipart(MultiPart::alternative_plain_html(text, html));
    match built {
        Ok(m) => Ok(Ok(m)),
        Err(e) => gone(&format!("the email could not be built: {e}")),
    }
}

fn mailbox(name: &str, email: &str) -> Option<Mailbox> {
    let address = email.parse().ok()?;
    Some(Mailbox::new(Some(one_line(name)), address))
}

/// Header text on one line: control characters (CR, LF…) become spaces.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_is_escaped_and_kept_on_one_line() {
        assert_eq!(escape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
        assert_eq!(one_line("Hi\r\nBcc: x@evil.test"), "Hi  Bcc: x@evil.test");
    }

    #[test]
    fn message_ids_are_stable_per_row_and_thread() {
        assert_eq!(message_id(42, "pigeon.test"), "<pigeon.42@pigeon.test>");
        assert_eq!(
            thread_ref(7, "pigeon.test"),
            "<pigeon.thread.7@pigeon.test>"
        );
    }
}
