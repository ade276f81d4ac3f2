//! A guest's private links: opening one (its expiry pushed out by use), the conversation
//! seen through it, a reply through it, fresh links by email, and revoking them.
use crate::backend::auth::session::token_hash;
use crate::backend::db::{self, guest_tokens::GuestAccess, now_ms, Db};
use crate::backend::service::messages::{post_counted, Author, Draft};
use crate::backend::service::rate_limit::Limit;
use crate::backend::settings::{self, Settings};
use crate::error::AppError;
use crate::model::guest::GuestThreadView;
use crate::model::thread::{MessageKind, MessageView};

const DAY_MS: i64 = 24 * 3600 * 1000;
/// A link's expiry moves when a use would push it out by at least this much: reading a
/// conversation again and again does not write each time.
const EXTEND_STEP_MS: i64 = 3600 * 1000;

/// The message for a link that no longer opens anything.
pub const LINK_DEAD: &str =
    "This link has expired or is no longer valid. Enter your email address below and we will \
     send you a fresh link.";

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
    let live_since = crate::backend::service::live::mark(db).await?;
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
            by_email: None,
        })
        .collect();
    crate::backend::attachments::fill(db, &mut messages, access.has_files).await?;
    Ok(GuestThreadView {
        live_since,
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
    if !crate::backend::service::rate_limit::mail_allowed_in(&mut tx, &email).await? {
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
    let mut tx = db.write().await?;
    let revoked = db::guest_tokens::revoke_thread(&mut tx, thread_id).await?;
    db::inbound::revoke_guest_reply_addresses(&mut tx, thread_id).await?;
    tx.commit().await?;
    Ok(revoked)
}
