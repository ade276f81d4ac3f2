//! Account emails: address verification after registration and password reset. Both send a
//! single-use link whose token is minted when the email is rendered and stored only hashed;
//! both answer the same whether or not an address has an account.
use super::rate_limit::{self, Limit};
use crate::backend::auth::links::{RESET, VERIFY};
use crate::backend::auth::{password, session};
use crate::backend::db::{self, now_ms, Db};
use crate::backend::validate;
use crate::error::AppError;

/// Reset requests from one client address.
pub const RESET_PER_IP: Limit = Limit {
    max: 10,
    window_s: 3600,
};
/// Reset emails to one address: more requests are answered but send nothing, so nobody
/// can flood someone's mailbox.
const RESET_EMAILS_PER_ADDRESS: Limit = Limit {
    max: 3,
    window_s: 3600,
};
/// "Send the confirmation email again" per account.
pub const RESEND_PER_ACCOUNT: Limit = Limit {
    max: 3,
    window_s: 3600,
};

/// Queues the confirmation email again for a logged-in member who is not yet verified.
pub async fn resend_verification(db: &Db, user_id: i64) -> Result<(), AppError> {
    let user = db::users::find_by_id(db.reader(), user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if user.email_verified {
        return Ok(());
    }
    rate_limit::check(db, &format!("verify:user:{user_id}"), RESEND_PER_ACCOUNT).await?;
    db::outbox::enqueue_for_user(
        &mut db.write_single().await?,
        VERIFY,
        None,
        user_id,
        now_ms(),
    )
    .await?;
    Ok(())
}

/// Confirms the address a verification link was sent to; false for an unknown or expired
/// link. The link's other copies die with it.
pub async fn verify_email(db: &Db, token: &str) -> Result<bool, AppError> {
    let mut tx = db.write().await?;
    let user =
        db::account_tokens::find_user(&mut *tx, VERIFY, &session::token_hash(token), now_ms())
            .await?;
    let Some(user_id) = user else {
        return Ok(false);
    };
    db::users::set_email_verified(&mut tx, user_id).await?;
    db::account_tokens::delete_for_user(&mut tx, user_id, VERIFY).await?;
    tx.commit().await?;
    tracing::info!(user_id, "email address confirmed");
    Ok(true)
}

/// Asks for a password-reset email. The answer and the work on the request path are the
/// same whether or not the address has an account.
pub async fn request_reset(db: &Db, email: &str, client_ip: &str) -> Result<(), AppError> {
    let email = validate::email("email", email)?.to_lowercase();
    rate_limit::check(db, &format!("reset:ip:{client_ip}"), RESET_PER_IP).await?;
    let capped = rate_limit::check(
        db,
        &format!("reset:address:{email}"),
        RESET_EMAILS_PER_ADDRESS,
    )
    .await
    .is_err();
    let user = db::users::find_by_email(db.reader(), &email).await?;
    match user.filter(|u| !u.disabled) {
        Some(u) if !capped => {
            db::outbox::enqueue_for_user(
                &mut db.write_single().await?,
                RESET,
                None,
                u.id,
                now_ms(),
            )
            .await?;
            tracing::info!(user_id = u.id, "password reset email queued");
        }
        _ => tracing::info!("password reset asked for an unknown or capped address"),
    }
    Ok(())
}

/// Whether a reset link is still usable (for showing the form or the "expired" page).
pub async fn reset_link_valid(db: &Db, token: &str) -> Result<bool, AppError> {
    Ok(
        db::account_tokens::find_user(db.reader(), RESET, &session::token_hash(token), now_ms())
            .await?
            .is_some(),
    )
}

/// Sets a new password through a reset link: single use, ends every session of the
/// account, and confirms the address (the link proved it). Returns the user id.
pub async fn reset_password(db: &Db, token: &str, new_password: &str) -> Result<i64, AppError> {
    let new_password = validate::new_password("password", new_password)?;
    let expired = || {
        AppError::invalid(
            "token",
            "This reset link has expired or was already used. Ask for a new one below.",
        )
    };
    // Checked before hashing so a dead link answers at once; checked again under the lock.
    if !reset_link_valid(db, token).await? {
        return Err(expired());
    }
    let hash = password::hash(&new_password).await?;
    let mut tx = db.write().await?;
    let user_id =
        db::account_tokens::find_user(&mut *tx, RESET, &session::token_hash(token), now_ms())
            .await?
            .ok_or_else(expired)?;
    db::users::set_password_hash(&mut tx, user_id, &hash).await?;
    db::users::set_email_verified(&mut tx, user_id).await?;
    db::sessions::delete_for_user(&mut tx, user_id).await?;
    db::account_tokens::delete_for_user(&mut tx, user_id, RESET).await?;
    tx.commit().await?;
    tracing::info!(user_id, "password reset through an email link");
    Ok(user_id)
}
