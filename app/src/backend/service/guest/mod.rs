//! Guest support: a visitor without an account writes through the contact form, gets a
//! private link by email, and reads and answers the conversation through it. Links are
//! tokens stored only as hashes; each has its own expiry, extended when the guest uses it.
//!
//! The acts below are the one way in for a guest's post (the web forms today, email
//! later): they own the rules — the honeypot, the guest switch, the rate limits.
mod contact;
mod links;

pub use contact::*;
pub use links::*;

use crate::backend::attachments::upload::Uploaded;
use crate::backend::db::Db;
use crate::backend::service::messages::Draft;
use crate::backend::service::rate_limit::{self, Limit};
use crate::backend::settings::{self, Settings};
use crate::backend::validate;
use crate::error::AppError;

/// The message when guests may not start conversations.
pub const CLOSED: &str =
    "The contact form is closed on this site at the moment. Please try again later.";

/// A guest's post: its fields as sent, where it came from, and the files stored for it.
pub struct GuestPost<'a> {
    pub fields: &'a [(String, String)],
    /// The client's address, for the per-address limits.
    pub ip: &'a str,
    pub files: &'a [Uploaded],
}

impl GuestPost<'_> {
    fn get(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// A robot filled in the hidden field.
    fn is_robot(&self, settings: &Settings) -> bool {
        settings.honeypot_enabled && !self.get(&settings.honeypot_field).trim().is_empty()
    }
}

fn guest_limit(s: &Settings) -> Limit {
    Limit {
        max: s.rate_limit_max,
        window_s: s.rate_limit_window_s,
    }
}

fn ip_bucket(act: &str, ip: &str) -> String {
    format!("guest-{act}:ip:{ip}")
}

fn address_bucket(act: &str, email: &str) -> String {
    format!("guest-{act}:email:{}", email.trim().to_lowercase())
}

/// Counts a post against the client address (a refused one, or a link request).
async fn count_refused(db: &Db, s: &Settings, act: &str, ip: &str) -> Result<(), AppError> {
    rate_limit::check(db, &ip_bucket(act, ip), guest_limit(s)).await
}

/// The contact form: a new support conversation. Never tells the poster the thread or a
/// link: those go only to the address given.
pub async fn start_by_form(db: &Db, post: GuestPost<'_>) -> Result<(), AppError> {
    let s = settings::load(db).await?;
    if post.is_robot(&s) {
        tracing::info!("contact form honeypot filled; dropped");
        return Ok(());
    }
    if !s.allow_guest_threads {
        return Err(AppError::invalid("", CLOSED));
    }
    let form = match check_contact(&ContactForm {
        name: post.get("name"),
        email: post.get("email"),
        subject: post.get("subject"),
        body: post.get("body"),
        submission_key: post.get("submission_key"),
    }) {
        Ok(form) => form,
        Err(e) => {
            // A refused form counts against the client address too.
            count_refused(db, &s, "start", post.ip).await?;
            return Err(e);
        }
    };
    // A good one is counted in the transaction that stores it.
    let limits = [
        (ip_bucket("start", post.ip), guest_limit(&s)),
        (address_bucket("start", &form.email), guest_limit(&s)),
    ];
    start_with_files(db, &form, &limits, post.files).await?;
    Ok(())
}

/// A sender's display name as their mail client gives it, kept on one line and to 60
/// characters (may be empty).
pub fn mail_display_name(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_control()).take(60).collect()
}

/// Mail to the support address: a new support conversation with the contact form's rules
/// (the guest switch, the checks of every field, the per-address limit) and its emails (the
/// staff alerts, the sender's receipt with a private link). `key` makes a repeat (the same
/// message processed twice) start nothing new. Returns the thread id.
pub async fn start_by_email(
    db: &Db,
    name: &str,
    email: &str,
    subject: &str,
    body: &str,
    key: &str,
    files: &[Uploaded],
) -> Result<i64, AppError> {
    let s = settings::load(db).await?;
    if !s.allow_guest_threads {
        return Err(AppError::invalid("", CLOSED));
    }
    let subject = if subject.trim().is_empty() {
        "(no subject)"
    } else {
        subject
    };
    let form = check_contact(&ContactForm {
        name: validate::plain_line(&mail_display_name(name)),
        email: email.to_string(),
        subject: subject.to_string(),
        body: body.to_string(),
        submission_key: key.to_string(),
    })?;
    let limits = [(address_bucket("start", &form.email), guest_limit(&s))];
    start_with_files(db, &form, &limits, files).await
}

/// A reply through a private link (the post's `token`); returns the token, for the way
/// back to the conversation.
pub async fn reply_by_link(db: &Db, post: GuestPost<'_>) -> Result<String, AppError> {
    let s = settings::load(db).await?;
    let token = post.get("token");
    if post.is_robot(&s) {
        return Ok(token);
    }
    let (body, key) = (post.get("body"), post.get("submission_key"));
    // A refused reply (a dead link, a bad body) counts against the client address; a good
    // one is counted, per address too, in the transaction that stores it.
    let access = match open_link(db, &token).await {
        Ok(access) => access,
        Err(e) => return count_refused(db, &s, "reply", post.ip).await.and(Err(e)),
    };
    let limits = [
        (ip_bucket("reply", post.ip), guest_limit(&s)),
        (
            address_bucket("reply", &access.guest_email),
            guest_limit(&s),
        ),
    ];
    let draft = Draft {
        body: &body,
        files: post.files,
        key: Some(&key),
        seen_up_to: None,
    };
    match reply(db, &access, draft, &limits).await {
        // Refused before its transaction began, so nothing was counted yet.
        Err(e @ AppError::Validation { .. }) => {
            count_refused(db, &s, "reply", post.ip).await.and(Err(e))
        }
        done => done.map(|()| token),
    }
}

/// Fresh links by email. The same answer, at once, whether or not the address has
/// conversations: the lookup runs after the answer.
pub async fn request_link_by_form(db: &Db, post: GuestPost<'_>) -> Result<(), AppError> {
    let s = settings::load(db).await?;
    if post.is_robot(&s) {
        return Ok(());
    }
    let email = validate::email("email", &post.get("email"))?;
    count_refused(db, &s, "link", post.ip).await?;
    rate_limit::check(db, &address_bucket("link", &email), guest_limit(&s)).await?;
    let db = db.clone();
    tokio::spawn(async move {
        if let Err(e) = request_links(&db, &email).await {
            tracing::warn!(error = %e, "queueing guest links failed");
        }
    });
    Ok(())
}
