//! The email itself: addresses, subject, threading and unsubscribe headers, and the text and
//! HTML parts from the template.
use lettre::message::{Mailbox, MultiPart};
use lettre::Message;

use super::recipient::Recipient;
use super::variables::Content;
use super::{MailKind, Site, Undeliverable};
use crate::backend::config::Config;
use crate::backend::db::mail_queue::QueuedMail;
use crate::backend::mail::list_headers::{AutoSubmitted, ListUnsubscribe, ListUnsubscribePost};
use crate::backend::mail::reply_address;
use crate::backend::mail::templates::Templates;
use crate::backend::mail::text::one_line;
use crate::backend::settings::Settings;

pub(super) fn email(
    config: &Config,
    settings: &Settings,
    row: &QueuedMail,
    kind: MailKind,
    recipient: &Recipient,
    content: Content,
    site: &Site<'_>,
) -> Result<Message, Undeliverable> {
    let reply_to = match (config.reply_domain(), content.reply_as) {
        (Some(domain), Some(who)) => {
            let address = reply_address::address(&config.secret, &domain, who);
            mailbox(&settings.from_name, &address)
        }
        _ => None,
    };
    let mut vars = content.vars;
    if reply_to.is_some() {
        vars.push(("reply_by_email", "yes".to_string()));
    }
    let pairs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let rendered = Templates::new(config.templates_dir.clone()).render(kind.name(), &pairs);
    let from = mailbox(&settings.from_name, &settings.from_email);
    // Nor does it greet the stranger by the name the sender typed.
    let to_name = if kind.goes_to_a_typed_address() {
        ""
    } else {
        &recipient.name
    };
    let to = mailbox(to_name, &recipient.email);
    let (Some(from), Some(to)) = (from, to) else {
        return Err(Undeliverable::because("an address is not valid"));
    };
    // Every email Pigeon sends is written by a machine: auto-responders stay quiet.
    let mut builder = Message::builder().header(AutoSubmitted);
    if let Some(r) = reply_to {
        builder = builder.reply_to(r);
    }
    if let Some(u) = content.unsubscribe {
        builder = builder
            .header(ListUnsubscribe(u))
            .header(ListUnsubscribePost);
    }
    if let Some(r) = content.references {
        builder = builder.in_reply_to(r.clone()).references(r);
    }
    builder
        .from(from)
        .to(to)
        .subject(rendered.subject)
        .message_id(Some(reply_address::message_id(
            &config.secret,
            row.id,
            &site.host,
        )))
        .multipart(MultiPart::alternative_plain_html(
            rendered.text,
            rendered.html,
        ))
        .map_err(|e| Undeliverable(format!("the email could not be built: {e}")))
}

fn mailbox(name: &str, email: &str) -> Option<Mailbox> {
    let address = email.parse().ok()?;
    let name = one_line(name);
    Some(Mailbox::new(
        (!name.trim().is_empty()).then_some(name),
        address,
    ))
}
