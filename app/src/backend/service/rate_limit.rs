//! Fixed-window rate limits kept in the database.
use crate::backend::db::{self, now_ms, Db};
use crate::error::AppError;

/// One limit: at most `max` hits per `window_s` seconds.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: i64,
    pub window_s: i64,
}

/// Login attempts from one client address.
pub const LOGIN_PER_IP: Limit = Limit {
    max: 20,
    window_s: 300,
};
/// Login attempts against one account.
pub const LOGIN_PER_ACCOUNT: Limit = Limit {
    max: 10,
    window_s: 900,
};
/// Registrations from one client address.
pub const REGISTER_PER_IP: Limit = Limit {
    max: 10,
    window_s: 3600,
};

/// Counts a hit on `bucket`; `RateLimited` once the window's limit is passed.
pub async fn check(db: &Db, bucket: &str, limit: Limit) -> Result<(), AppError> {
    let now = now_ms();
    let window_ms = limit.window_s.max(1) * 1000;
    let window_start = now - now.rem_euclid(window_ms);
    let hits = db::rate_limits::hit(&db.pool, bucket, window_start).await?;
    if hits > limit.max {
        let retry_after = ((window_start + window_ms - now) / 1000).max(1) as u64;
        Err(AppError::RateLimited { retry_after })
    } else {
        Ok(())
    }
}
/// Messages and new threads from one logged-in member.
pub const MEMBER_POSTS: Limit = Limit {
    max: 60,
    window_s: 300,
};
