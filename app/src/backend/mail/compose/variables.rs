//! What an email says: the values its template is given, and the headers that follow from
//! them (unsubscribe, threading).
use super::recipient::Recipient;
use super::{thread_ref, MailKind, Site, Step, Undeliverable};
use crate::backend::auth::links;
use crate::backend::config::Config;
use crate::backend::db::{self, mail_queue::QueuedMail, messages::MessageRow, Db};
use crate::backend::mail::reply_address::ReplyAs;
use crate::backend::mail::text::shortened;
use crate::backend::settings::Settings;
use crate::model::file_size::format_size;
use crate::model::thread::{MessageKind, ThreadKind};
use crate::routes::page;

/// Longest subject a contact-form confirmation repeats, in characters.
const RECEIVED_SUBJECT_MAX: usize = 60;

/// The template's values and the headers an email carries.
pub(super) struct Content {
    pub vars: Vec<(&'static str, String)>,
    /// The one-click unsubscribe URL (emails about a conversation).
    pub unsubscribe: Option<String>,
    /// The thread's reference, for `In-Reply-To` and `References`.
    pub references: Option<String>,
    /// Who a reply to the email would come from (its `Reply-To` names them), when the
    /// site takes replies by email.
    pub reply_as: Option<ReplyAs>,
}

pub(super) async fn of(
    db: &Db,
    config: &Config,
    settings: &Settings,
    row: &QueuedMail,
    kind: MailKind,
    recipient: &Recipient,
    site: &Site<'_>,
) -> Step<Content> {
    let mut content = Content {
        vars: vec![("site_name", settings.site_name.clone())],
        unsubscribe: None,
        references: None,
        reply_as: None,
    };
    if !kind.goes_to_a_typed_address() {
        content
            .vars
            .push(("recipient_name", recipient.name.clone()));
    }
    if kind.is_account() {
        let Some(user_id) = recipient.user_id else {
            return Ok(Err(Undeliverable::because(
                "account emails need an account",
            )));
        };
        let link = links::mint_account_link(db, user_id, kind.name()).await?;
        content
            .vars
            .push(("link", format!("{}{}", site.base, link.path)));
        content.vars.push(("valid_for", link.valid_for.to_string()));
        return Ok(Ok(content));
    }
    let Some(thread_id) = row.thread_id else {
        return Ok(Err(Undeliverable::because(
            "this email is about a thread that no longer exists",
        )));
    };
    let about = About {
        db,
        settings,
        row,
        kind,
        recipient,
        site,
    };
    match about.thread(thread_id, &mut content).await? {
        Ok(()) => {}
        Err(u) => return Ok(Err(u)),
    }
    content.unsubscribe = row
        .participant_id
        .map(|pid| super::super::unsubscribe::url(site.base, &config.secret, pid));
    if let Some(u) = &content.unsubscribe {
        content.vars.push(("unsubscribe_url", u.clone()));
    }
    content.references = Some(thread_ref(thread_id, &site.host));
    Ok(Ok(content))
}

/// An email about a conversation.
struct About<'a> {
    db: &'a Db,
    settings: &'a Settings,
    row: &'a QueuedMail,
    kind: MailKind,
    recipient: &'a Recipient,
    site: &'a Site<'a>,
}

impl About<'_> {
    /// The thread's subject and link, and the message it announces.
    async fn thread(&self, thread_id: i64, content: &mut Content) -> Step<()> {
        let Some(thread) = db::threads::find(self.db.reader(), thread_id).await? else {
            return Ok(Err(Undeliverable::because("the thread was deleted")));
        };
        let base = self.site.base;
        let staff_link = self.recipient.is_staff && thread.kind == ThreadKind::Support;
        content.reply_as = self.reply_as(thread.id, staff_link);
        let link = if let Some(l) = &self.recipient.guest_link {
            let days = self.settings.guest_token_lifetime_days;
            content.vars.push(("valid_for", format!("{days} days")));
            l.clone()
        } else if staff_link || self.kind.links_staff_view() {
            format!("{base}{}", page::staff_thread(thread.id))
        } else {
            format!("{base}{}", page::member_thread(thread.id))
        };
        if self.kind.repeats_the_message() {
            let message = match self.message().await? {
                Ok(m) => m,
                Err(u) => return Ok(Err(u)),
            };
            self.files(message.id, &link, content).await?;
            content.vars.push(("author_name", message.author_name));
            content.vars.push(("body", message.body));
        }
        let subject = if self.kind == MailKind::Received {
            shortened(&thread.subject, RECEIVED_SUBJECT_MAX)
        } else {
            thread.subject
        };
        content.vars.push(("subject", subject));
        content.vars.push(("link", link));
        Ok(Ok(()))
    }

    /// Who answers by replying to this email: the guest, the member, or staff (a reply to
    /// a note's email is a note). Nobody for configured support addresses (no account).
    fn reply_as(&self, thread: i64, staff_link: bool) -> Option<ReplyAs> {
        if self.recipient.guest_link.is_some() {
            return Some(ReplyAs::Guest {
                thread,
                participant: self.row.participant_id?,
                epoch: self.recipient.reply_epoch,
            });
        }
        let user = self.recipient.user_id?;
        Some(if self.kind == MailKind::Note && self.recipient.is_staff {
            ReplyAs::StaffNote { thread, user }
        } else if (staff_link || self.kind.links_staff_view()) && self.recipient.is_staff {
            ReplyAs::Staff { thread, user }
        } else {
            ReplyAs::Member { thread, user }
        })
    }

    /// The message the email announces, when it is still there and of the email's kind.
    async fn message(&self) -> Step<MessageRow> {
        let message = match self.row.message_id {
            Some(id) => db::messages::find(self.db.reader(), id).await?,
            None => None,
        };
        let Some(message) = message else {
            return Ok(Err(Undeliverable::because("the message was deleted")));
        };
        let is_note = self.kind == MailKind::Note;
        if message.kind == MessageKind::Event || (message.kind == MessageKind::Note) != is_note {
            return Ok(Err(Undeliverable::because(
                "the message is not of the kind this email announces",
            )));
        }
        Ok(Ok(message))
    }

    /// The message's files as links, never the files themselves; a guest's carry their
    /// link's token.
    async fn files(
        &self,
        message_id: i64,
        link: &str,
        content: &mut Content,
    ) -> Result<(), db::DbError> {
        let files = db::attachments::list_for_messages(self.db.reader(), &[message_id]).await?;
        if files.is_empty() {
            return Ok(());
        }
        let token = link
            .rsplit_once(&page::guest_link(""))
            .map(|(_, t)| format!("?t={t}"))
            .unwrap_or_default();
        let base = self.site.base;
        let lines: Vec<String> = files
            .iter()
            .map(|f| {
                let size = format_size(f.size_bytes);
                let name = &f.file_name;
                format!("{name} ({size}): {base}/pigeon/attachments/{}{token}", f.id)
            })
            .collect();
        content.vars.push(("files", lines.join("\n")));
        Ok(())
    }
}
