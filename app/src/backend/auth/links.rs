//! Links that are capabilities: a guest's private link to a conversation, and the account
//! links (address verification, password reset). Each is minted when its email is
//! rendered, and only its hash is stored.
use super::session::new_token;
use crate::backend::db::{self, now_ms, Db};

/// Live links kept per guest and thread; minting one more drops the oldest.
pub const MAX_LIVE_LINKS: i64 = 10;
const DAY_MS: i64 = 24 * 3600 * 1000;

/// What an email link is for.
pub const VERIFY: &str = "verify";
pub const RESET: &str = "reset";

const VERIFY_LIFETIME_MS: i64 = 7 * 24 * 3600 * 1000;
const RESET_LIFETIME_MS: i64 = 3600 * 1000;

/// A freshly minted link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Path with the token, e.g. `/verify/<token>`.
    pub path: String,
    /// How long it works, in words.
    pub valid_for: &'static str,
}

/// Mints a link of `purpose` for a user (called when the email is rendered).
pub async fn mint_account_link(db: &Db, user_id: i64, purpose: &str) -> Result<Link, db::DbError> {
    let (token, hash) = new_token();
    let now = now_ms();
    let (lifetime, prefix, valid_for) = if purpose == RESET {
        (RESET_LIFETIME_MS, "/password/reset/", "1 hour")
    } else {
        (VERIFY_LIFETIME_MS, "/verify/", "7 days")
    };
    db::account_tokens::insert(
        &mut db.write_single().await?,
        user_id,
        purpose,
        &hash,
        now,
        now + lifetime,
    )
    .await?;
    Ok(Link {
        path: format!("{prefix}{token}"),
        valid_for,
    })
}

/// Mints a link for a guest participant (called when their email is rendered) and keeps
/// only the newest few. Returns the token. The transaction runs on the writer thread: the
/// mail worker mints one for every email to a guest, as often as staff answer them.
pub async fn mint_guest_link(
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

/// The thread a live guest link opens now (without extending it), or None.
pub async fn guest_thread(db: &Db, token: &str) -> Result<Option<i64>, db::DbError> {
    if token.is_empty() {
        return Ok(None);
    }
    let hash = super::session::token_hash(token);
    let access = db::guest_tokens::find(db.reader(), &hash, now_ms()).await?;
    Ok(access.map(|a| a.thread_id))
}
