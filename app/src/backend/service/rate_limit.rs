//! Fixed-window rate limits kept in the database.
use crate::backend::db::{self, now_ms, Db};
use crate::error::AppError;

/// One limit: at most `max` hits per `window_s` seconds.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: i64,
    pub window_s: i64,
}

/// Failed logins from one client address.
pub const LOGIN_PER_IP: Limit = Limit {
    max: 20,
    window_s: 300,
};
/// Failed logins against one account.
pub const LOGIN_PER_ACCOUNT: Limit = Limit {
    max: 10,
    window_s: 900,
};
/// Registrations from one client address.
pub const REGISTER_PER_IP: Limit = Limit {
    max: 10,
    window_s: 3600,
};

/// Emails sent to an address on a stranger's say-so (contact-form confirmations and fresh
/// links), per address per day, whoever asks and from wherever.
pub const MAIL_PER_ADDRESS: Limit = Limit {
    max: 5,
    window_s: 86_400,
};

/// The bucket of `MAIL_PER_ADDRESS`.
pub fn mail_bucket(email: &str) -> String {
    format!("mail-to:{}", email.trim().to_lowercase())
}

/// Counts one email to `email` inside `tx`; false when the address had its share today.
pub async fn mail_allowed_in(tx: &mut db::WriteTx, email: &str) -> Result<bool, AppError> {
    match check_in(tx, &mail_bucket(email), MAIL_PER_ADDRESS).await {
        Ok(()) => Ok(true),
        Err(AppError::RateLimited { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The current window of a limit: (start, length), both in ms.
fn window(limit: Limit, now: i64) -> (i64, i64) {
    let window_ms = limit.window_s.max(1) * 1000;
    (now - now.rem_euclid(window_ms), window_ms)
}

fn limited(window_start: i64, window_ms: i64, now: i64) -> AppError {
    let retry_after = ((window_start + window_ms - now) / 1000).max(1) as u64;
    AppError::RateLimited { retry_after }
}

/// Counts a hit on `bucket`; `RateLimited` once the window's limit is passed.
pub async fn check(db: &Db, bucket: &str, limit: Limit) -> Result<(), AppError> {
    let now = now_ms();
    let (window_start, window_ms) = window(limit, now);
    let mut w = db.write_single().await?;
    let hits = db::rate_limits::hit(&mut w, bucket, window_start).await?;
    drop(w);
    if hits > limit.max {
        Err(limited(window_start, window_ms, now))
    } else {
        Ok(())
    }
}

/// As `check`, inside a write transaction that is going to write anyway: the count and the
/// write commit together (one turn at the database instead of one per counter), and a
/// refused post rolls back with its transaction.
pub async fn check_in(tx: &mut db::WriteTx, bucket: &str, limit: Limit) -> Result<(), AppError> {
    let now = now_ms();
    let (window_start, window_ms) = window(limit, now);
    let hits = db::rate_limits::hit(tx, bucket, window_start).await?;
    if hits > limit.max {
        Err(limited(window_start, window_ms, now))
    } else {
        Ok(())
    }
}

/// `RateLimited` when `bucket` already holds `limit.max` hits in this window; counts
/// nothing (failures are counted with `count_failure`).
pub async fn ensure_below(db: &Db, bucket: &str, limit: Limit) -> Result<(), AppError> {
    let now = now_ms();
    let (window_start, window_ms) = window(limit, now);
    if db::rate_limits::peek(db.reader(), bucket, window_start).await? >= limit.max {
        Err(limited(window_start, window_ms, now))
    } else {
        Ok(())
    }
}

/// Counts one failed attempt on `bucket`.
pub async fn count_failure(db: &Db, bucket: &str, limit: Limit) -> Result<(), AppError> {
    let (window_start, _) = window(limit, now_ms());
    let mut w = db.write_single().await?;
    db::rate_limits::hit(&mut w, bucket, window_start).await?;
    Ok(())
}

/// The bucket and limit of a logged-in member's posts (a message or a new thread): at most
/// `member_rate_limit_max` (setting, default 60) per 300 s. Counted with `check`, or inside
/// the post's transaction (`messages::post_counted`).
pub async fn member_post_limit(db: &Db, user_id: i64) -> Result<(String, Limit), AppError> {
    let max = crate::backend::settings::load(db)
        .await?
        .member_rate_limit_max;
    Ok((format!("post:user:{user_id}"), Limit { max, window_s: 300 }))
}
