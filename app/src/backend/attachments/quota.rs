//! Daily quotas on stored files: per sender (an account, or a client address for guests)
//! and per conversation, in the `upload_quota_*` settings. Checked before a file is
//! stored, and while it streams, so a refused file never fills the store.
use crate::backend::db::{self, now_ms, Db};
use crate::backend::settings::Settings;
use crate::error::AppError;

const DAY_MS: i64 = 24 * 3600 * 1000;
const MB: i64 = 1_000_000;

/// The quotas one post's files count against.
#[derive(Debug, Clone)]
pub struct Quota {
    /// (bucket, most bytes a day) for the sender and, when known, the conversation.
    buckets: Vec<(String, i64)>,
    window_start: i64,
}

impl Quota {
    /// The quotas of `sender` (e.g. `user:4`, `ip:192.0.2.1`) and of `thread`.
    pub fn new(s: &Settings, sender: &str, thread: Option<i64>) -> Quota {
        let mut buckets = vec![(format!("files:{sender}"), s.upload_quota_sender_mb * MB)];
        if let Some(id) = thread {
            buckets.push((format!("files:thread:{id}"), s.upload_quota_thread_mb * MB));
        }
        let now = now_ms();
        Quota {
            buckets,
            window_start: now - now.rem_euclid(DAY_MS),
        }
    }

    /// Bytes that may still be stored today.
    pub async fn room(&self, db: &Db) -> Result<u64, AppError> {
        let mut room = i64::MAX;
        for (bucket, most) in &self.buckets {
            let used = db::rate_limits::peek(db.reader(), bucket, self.window_start).await?;
            room = room.min(most - used);
        }
        Ok(room.max(0) as u64)
    }

    /// Counts `bytes` just stored. False, with nothing counted, when they do not fit (a
    /// concurrent post took the room first).
    pub async fn take(&self, db: &Db, bytes: u64) -> Result<bool, AppError> {
        let bytes = bytes as i64;
        let mut w = db.write_single().await?;
        for (i, (bucket, most)) in self.buckets.iter().enumerate() {
            let total = db::rate_limits::add(&mut w, bucket, self.window_start, bytes).await?;
            if total > *most {
                for (given_back, _) in &self.buckets[..=i] {
                    db::rate_limits::add(&mut w, given_back, self.window_start, -bytes).await?;
                }
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The refusal for a file that does not fit.
    pub fn refusal(&self, s: &Settings, name: &str) -> AppError {
        AppError::invalid(
            super::upload::FIELD,
            format!(
                "\u{201c}{name}\u{201d} was not attached: the files sent today have reached \
                 this site's daily limit ({} MB per sender, {} MB per conversation). \
                 Please send it tomorrow or leave it out.",
                s.upload_quota_sender_mb, s.upload_quota_thread_mb
            ),
        )
    }
}
