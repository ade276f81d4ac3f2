//! Turns a queued notification into an email: plain text and HTML, every value escaped,
//! threading headers so mail clients group a thread's emails.
use lettre::message::{Mailbox, MultiPart};
use lettre::Message;

use super::templates::Templates;
use super::text::{one_line, shortened};
use crate::backend::config::Config;
use crate::backend::db::{self, mail_queue::QueuedMail, Db};
use crate::backend::service::settings::Settings;
use crate::backend::service::{account_links, guest};
use crate::model::thread::{MessageKind, ThreadKind};

/// Longest subject a contact-form confirmation repeats, in characters.
const RECEIVED_SUBJECT_MAX: usize = 60;

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
) -> Result<Result<Message, Undeliverable>, db::DbError> {
    let gone = |why: &str| Ok(Err(Undeliverable(why.to_string())));
    let host = config
        .base_url
        .host_str()
        .unwrap_or("localhost")
        .to_string();
    let base = config.base_url.as_str().trim_end_matches('/');
    let mut guest_link: Option<String> = None;
    let recipient = match (row.recipient_user_id, &row.recipient_email) {
        (Some(user_id), _) => {
            match db::users::find_by_id(db.reader(), user_id)
                .await?
                .filter(|u| !u.disabled)
            {
                Some(user) => Recipient {
                    name: user.name.clone(),
                    email: user.email.clone(),
                    is_staff: user.to_viewer().is_staff(),
                    user_id: Some(user.id),
                },
                None => return gone("the recipient's account is gone or disabled"),
            }
        }
        (None, Some(address)) => Recipient {
            name: String::new(),
            email: address.clone(),
            is_staff: true,
            user_id: None,
        },
        // A guest: their address on the thread, and a freshly minted link.
        (None, None) => {
            let participant = match row.participant_id {
                Some(pid) => db::participants::find_by_id(db.reader(), pid).await?,
                None => None,
            };
            match participant.filter(|p| p.left_at.is_none()) {
                Some(p) => match (p.guest_email, row.thread_id) {
                    (Some(email), Some(thread_id)) => {
                        let token =
                            guest::mint(db, thread_id, p.id, settings.guest_token_lifetime_days)
                                .await?;
                        guest_link = Some(format!("{base}/pigeon/t/{token}"));
                        Recipient {
                            name: p.display_name,
                            email,
                            is_staff: false,
                            user_id: None,
                        }
                    }
                    _ => return gone("the recipient is not a guest of a thread"),
                },
                None => return gone("the guest left or the thread is gone"),
            }
        }
    };
    let mut vars: Vec<(&str, String)> = vec![
        ("site_name", settings.site_name.clone()),
        ("recipient_name", recipient.name.clone()),
    ];
    if row.kind == "received" || row.kind == "link" {
        vars.retain(|(k, _)| *k != "recipient_name");
    }
    let mut unsubscribe = None;
    let mut references = None;
    match (row.kind.as_str(), row.thread_id) {
        (purpose @ ("verify" | "reset"), _) => {
            let Some(user_id) = recipient.user_id else {
                return gone("account emails need an account");
            };
            let link = account_links::mint(db, user_id, purpose).await?;
            vars.push(("link", format!("{base}{}", link.path)));
            vars.push(("valid_for", link.valid_for.to_string()));
        }
        (kind, Some(thread_id)) => {
            let Some(thread) = db::threads::find(db.reader(), thread_id).await? else {
                return gone("the thread was deleted");
            };
            let staff_link = recipient.is_staff && thread.kind == ThreadKind::Support;
            let link = if let Some(l) = guest_link.take() {
                let days = settings.guest_token_lifetime_days;
                vars.push(("valid_for", format!("{days} days")));
                l
            } else if staff_link || kind == "alert" {
                format!("{base}/admin/pigeon/threads/{}", thread.id)
            } else {
                format!("{base}/pigeon/threads/{}", thread.id)
            };
            // The confirmation of a contact-form message goes to whatever address was typed:
            // it repeats none of the message (the text is behind the link), so nobody can
            // make the site send their text to a stranger.
            if kind != "assigned" && kind != "link" && kind != "received" {
                let message = match row.message_id {
                    Some(id) => db::messages::find(db.reader(), id).await?,
                    None => None,
                };
                let Some(message) = message else {
                    return gone("the message was deleted");
                };
                if message.kind == MessageKind::Event
                    || (message.kind == MessageKind::Note) != (kind == "note")
                {
                    return gone("the message is not of the kind this email announces");
                }
                let files = db::attachments::list_for_messages(db.reader(), &[message.id]).await?;
                if !files.is_empty() {
                    // Links, never the files themselves; a guest's carry their link's token.
                    let token = link
                        .rsplit_once("/pigeon/t/")
                        .map(|(_, t)| format!("?t={t}"))
                        .unwrap_or_default();
                    let lines: Vec<String> = files
                        .iter()
                        .map(|f| {
                            format!(
                                "{} ({}): {base}/pigeon/attachments/{}{token}",
                                f.file_name,
                                crate::model::file_size::format_size(f.size_bytes),
                                f.id
                            )
                        })
                        .collect();
                    vars.push(("files", lines.join("\n")));
                }
                vars.push(("author_name", message.author_name));
                vars.push(("body", message.body));
            }
            let subject = if kind == "received" {
                shortened(&thread.subject, RECEIVED_SUBJECT_MAX)
            } else {
                thread.subject
            };
            vars.push(("subject", subject));
            vars.push(("link", link));
            unsubscribe = row
                .participant_id
                .map(|pid| super::unsubscribe::url(base, &config.secret, pid));
            if let Some(u) = &unsubscribe {
                vars.push(("unsubscribe_url", u.clone()));
            }
            references = Some(thread_ref(thread.id, &host));
        }
        (_, None) => return gone("this email is about a thread that no longer exists"),
    }
    let kind = match row.kind.as_str() {
        k @ ("message" | "note" | "alert" | "assigned" | "verify" | "reset" | "received"
        | "link") => k,
        other => return gone(&format!("unknown email kind {other}")),
    };
    let pairs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let rendered = Templates::new(config.templates_dir.clone()).render(kind, &pairs);
    let from = mailbox(&settings.from_name, &settings.from_email);
    // Nor does it greet the stranger by the name the sender typed.
    let to_name = if matches!(kind, "received" | "link") {
        ""
    } else {
        &recipient.name
    };
    let to = mailbox(to_name, &recipient.email);
    let (Some(from), Some(to)) = (from, to) else {
        return gone("an address is not valid");
    };
    let mut builder = Message::builder();
    if let Some(u) = unsubscribe {
        builder = builder
            .header(super::list_headers::ListUnsubscribe(u))
            .header(super::list_headers::ListUnsubscribePost);
    }
    if let Some(r) = references {
        builder = builder.in_reply_to(r.clone()).references(r);
    }
    let built = builder
        .from(from)
        .to(to)
        .subject(rendered.subject)
        .message_id(Some(message_id(row.id, &host)))
        .multipart(MultiPart::alternative_plain_html(
            rendered.text,
            rendered.html,
        ));
    match built {
        Ok(m) => Ok(Ok(m)),
        Err(e) => gone(&format!("the email could not be built: {e}")),
    }
}

/// Who an email goes to.
struct Recipient {
    name: String,
    email: String,
    /// Staff get staff-inbox links; configured support addresses count as staff.
    is_staff: bool,
    user_id: Option<i64>,
}

fn mailbox(name: &str, email: &str) -> Option<Mailbox> {
    let address = email.parse().ok()?;
    let name = one_line(name);
    Some(Mailbox::new(
        (!name.trim().is_empty()).then_some(name),
        address,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_are_stable_per_row_and_thread() {
        assert_eq!(message_id(42, "pigeon.test"), "<pigeon.42@pigeon.test>");
        assert_eq!(
            thread_ref(7, "pigeon.test"),
            "<pigeon.thread.7@pigeon.test>"
        );
    }
}
