//! Guest support: a visitor without an account writes through the contact form, gets a
//! private link by email, and reads and answers the conversation through it. Links are
//! tokens stored only as hashes; each has its own expiry, extended when the guest uses it.
use super::messages::{post_counted, post_in, Author, Draft};
use super::rate_limit::Limit;
use super::settings::{self, Settings};
use super::submission_keys;
use super::validate;
use crate::backend::attachments::upload::Uploaded;
use crate::backend::auth::session::{new_token, token_hash};
use crate::backend::db::{self, guest_tokens::GuestAccess, now_ms, threads::NewThread, Db};
use crate::error::AppError;
use crate::model::guest::GuestThreadView;
use crate::model::thread::{MessageKind, MessageView, ThreadKind, ThreadStatus};

/// Live links kept per guest and thread; minting one more drops the oldest.
pub const MAX_LIVE_LINKS: i64 = 10;
const DAY_MS: i64 = 24 * 3600 * 1000;
/// A link's expiry moves when a use would push it out by at least this much: reading a
/// conversation again and again does not write each time.
const EXTEND_STEP_MS: i64 = 3600 * 1000;

/// The message for a link that no longer opens anything.
pub const LINK_DEAD: &str =
    "This link has expired or is no longer valid. Enter your email address below and we will \
     send you a fresh link.";

/// What a guest typed into the contact form.
#[derive(Debug, Clone, Default)]
pub struct ContactForm {
    pub name: String,
    pub email: String,
    pub subject: String,
    pub body: String,
    /// The form's one-time submission key (`submission_keys::submission_key`), or empty.
    pub submission_key: String,
}

/// A checked contact form.
#[derive(Debug, Clone)]
pub struct CheckedContact {
    pub name: String,
    pub email: String,
    pub subject: String,
    pub body: String,
    pub submission_key: Option<String>,
}

/// Checks a contact form: a clear error for the first bad field.
pub fn check_contact(form: &ContactForm) -> Result<CheckedContact, AppError> {
    let email = validate::email("email", &form.email)?;
    let name = if form.name.trim().is_empty() {
        email.split('@').next().unwrap_or("Guest").to_string()
    } else {
        validate::name("name", &form.name)?
    };
    let subject = validate::subject("subject", &form.subject, super::threads::SUPPORT_SUBJECT)?;
    let body = validate::message_body("body", &form.body)?;
    let submission_key = submission_keys::submission_key(Some(&form.submission_key), &body)?;
    Ok(CheckedContact {
        name,
        email,
        subject,
        body,
        submission_key,
    })
}

/// Starts a pending support thread for a guest. In one transaction: the rate-limit counts
/// (`limits`: bucket and limit), the thread, the guest as participant, the first message,
/// the staff alerts and the guest's email with the link. Returns the thread id (never shown
/// to the guest).
pub async fn start(
    db: &Db,
    form: &CheckedContact,
    limits: &[(String, Limit)],
) -> Result<i64, AppError> {
    start_with_files(db, form, limits, &[]).await
}

/// As `start`, with the files stored for the first message. The transaction runs on the
/// writer thread (`Db::on_writer`).
pub async fn start_with_files(
    db: &Db,
    form: &CheckedContact,
    limits: &[(String, Limit)],
    files: &[Uploaded],
) -> Result<i64, AppError> {
    let (form, limits, files) = (form.clone(), limits.to_vec(), files.to_vec());
    let thread_id = db
        .on_writer(|db| async move { create(&db, &form, &limits, &files).await })
        .await??;
    tracing::info!(thread_id, "guest started a support thread");
    Ok(thread_id)
}

/// The new thread, its first message and the guest's receipt, in one transaction.
async fn create(
    db: &Db,
    form: &CheckedContact,
    limits: &[(String, Limit)],
    files: &[Uploaded],
) -> Result<i64, AppError> {
    let mut tx = db.write().await?;
    let author = Author::Guest {
        email: &form.email,
        name: &form.name,
    };
    let key = form.submission_key.as_deref();
    if let Some((first, _)) = submission_keys::take(&mut tx, author, key).await? {
        return Ok(first.unwrap_or(0));
    }
    for (bucket, limit) in limits {
        super::rate_limit::check_in(&mut tx, bucket, *limit).await?;
    }
    let now = now_ms();
    let new = NewThread {
        kind: ThreadKind::Support,
        subject: &form.subject,
        status: ThreadStatus::Pending,
        started_by_user_id: None,
        started_by_guest_email: Some(&form.email),
        started_by_name: &form.name,
        now,
    };
    let thread_id = db::threads::insert(&mut tx, &new).await?;
    let posted = post_in(
        &mut tx,
        thread_id,
        author,
        MessageKind::Message,
        Draft {
            body: &form.body,
            files,
            key,
        },
        None,
    )
    .await?;
    submission_keys::settle(&mut tx, author, key, thread_id, posted.message_id).await?;
    // The message is kept either way; an address that had its share of confirmations
    // today gets no more (staff answers still reach it, with a link).
    if super::rate_limit::mail_allowed_in(&mut tx, &form.email).await? {
        db::outbox::enqueue_for_participant(
            &mut tx,
            "received",
            thread_id,
            Some(posted.message_id),
            posted.author_participant_id,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(thread_id)
}

/// Mints a link for a guest participant (called when their email is rendered) and keeps
/// only the newest few. Returns the token. The transaction runs on the writer thread: the
/// mail worker mints one for every email to a guest, as often as staff answer them.
pub async fn mint(
    db: &Db,
    thread_id: i64,
    participant_id: i64,
    lifetime_days: i64,
) -> Result<String, db::DbError> {
    let (token, hash) = new_token();
    let now = now_ms();
    let expires_at = now + lifetime_days * DAY_MS;
    db.on_writer(|db| async move {
        let mut tx = db.write().await?;
        db::guest_tokens::insert(&mut tx, thread_id, participant_id, &hash, now, expires_at)
            .await?;
        db::guest_tokens::prune(&mut tx, participant_id, MAX_LIVE_LINKS).await?;
        tx.commit().await
    })
    .await??;
    Ok(token)
}

/// The access a token gives now, its expiry pushed out by the guest's use.
async fn open(
    db: &Db,
    settings: &Settings,
    token: &str,
    now: i64,
) -> Result<GuestAccess, AppError> {
    let access = db::guest_tokens::find(db.reader(), &token_hash(token), now)
        .await?
        .ok_or_else(|| AppError::invalid("token", LINK_DEAD))?;
    let until = now + settings.guest_token_lifetime_days * DAY_MS;
    if until - access.expires_at >= EXTEND_STEP_MS {
        let mut w = db.write_single().await?;
        db::guest_tokens::extend(&mut w, access.token_id, until).await?;
    }
    Ok(access)
}

/// What the guest sees through a link: the messages (never notes or events). Reading the
/// page marks nothing: mail scanners fetch links too (see `mark_seen`).
/// `settings` are the site's current ones (a page reads them once for all its parts).
pub async fn view(db: &Db, settings: &Settings, token: &str) -> Result<GuestThreadView, AppError> {
    view_at(db, settings, token, now_ms()).await
}

/// As `view`, at the time `now` (links expire by this clock).
pub async fn view_at(
    db: &Db,
    settings: &Settings,
    token: &str,
    now: i64,
) -> Result<GuestThreadView, AppError> {
    let access = open(db, settings, token, now)
        .await
        .map_err(|_| AppError::NotFound)?;
    let mut messages: Vec<MessageView> = db::messages::list(db, access.thread_id, true)
        .await?
        .into_iter()
        .map(|m| MessageView {
            id: m.id,
            kind: m.kind,
            mine: m
                .author_guest_email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(&access.guest_email)),
            author_name: m.author_name,
            body: m.body,
            created_at: m.created_at,
            seen_by: Vec::new(),
            attachments: Vec::new(),
        })
        .collect();
    crate::backend::attachments::fill(db, &mut messages, access.has_files).await?;
    Ok(GuestThreadView {
        subject: access.subject,
        status: access.status,
        guest_name: access.guest_name,
        site_name: settings.site_name.clone(),
        messages,
    })
}

/// The guest's browser showed the conversation (a POST from the loaded page, which link
/// scanners do not send): their read mark moves to the newest message.
pub async fn mark_seen(db: &Db, settings: &Settings, token: &str) -> Result<(), AppError> {
    let now = now_ms();
    let access = open(db, settings, token, now)
        .await
        .map_err(|_| AppError::NotFound)?;
    if !access.caught_up {
        let mut w = db.write_single().await?;
        db::participants::mark_read_by_id(&mut w, access.participant_id, now).await?;
    }
    Ok(())
}

/// The conversation a live link opens (without extending it), or `None`.
pub async fn thread_of_link(db: &Db, token: &str) -> Option<i64> {
    db::guest_tokens::find(db.reader(), &token_hash(token), now_ms())
        .await
        .ok()
        .flatten()
        .map(|access| access.thread_id)
}

/// The access a live link gives now (its expiry pushed out by the use), or the dead-link
/// error.
pub async fn open_link(db: &Db, token: &str) -> Result<GuestAccess, AppError> {
    let settings = settings::load(db).await?;
    open(db, &settings, token, now_ms()).await
}

/// A guest's reply through an opened link; a closed thread opens again as pending. A hit
/// is counted on each of `limits` (bucket and limit) with the reply.
pub async fn reply<'a>(
    db: &Db,
    access: &GuestAccess,
    draft: impl Into<Draft<'a>>,
    limits: &[(String, Limit)],
) -> Result<(), AppError> {
    let author = Author::Guest {
        email: &access.guest_email,
        name: &access.guest_name,
    };
    let kind = MessageKind::Message;
    post_counted(db, access.thread_id, author, kind, draft, None, limits).await?;
    Ok(())
}

/// Queues a fresh link to every conversation of an address (closed ones too); returns how
/// many. Nothing tells the caller whether there were any.
pub async fn request_links(db: &Db, email: &str) -> Result<usize, AppError> {
    let email = email.trim().to_lowercase();
    let found = db::guest_tokens::participations(db.reader(), &email).await?;
    let now = now_ms();
    let mut tx = db.write().await?;
    // Counted whether or not the address has conversations: the answer never tells.
    if !super::rate_limit::mail_allowed_in(&mut tx, &email).await? {
        tx.commit().await?;
        return Ok(0);
    }
    for (thread_id, participant_id) in &found {
        db::outbox::enqueue_for_participant(
            &mut tx,
            "link",
            *thread_id,
            None,
            *participant_id,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(found.len())
}

/// Ends every guest link of a thread (staff action); returns how many.
pub async fn revoke_links(db: &Db, thread_id: i64) -> Result<u64, AppError> {
    let mut w = db.write_single().await?;
    Ok(db::guest_tokens::revoke_thread(&mut w, thread_id).await?)
}
