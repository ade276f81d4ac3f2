//! The mail queue as admins see it: counts, recent rows, and retrying failed emails.
use crate::backend::db::{mail_queue, now_ms, Db};
use crate::error::AppError;
use crate::model::outbox::OutboxOverview;

/// Counts and the latest rows of each state.
pub async fn overview(db: &Db) -> Result<OutboxOverview, AppError> {
    let pool = db.reader();
    let (pending_total, failed_total, sent_total) = mail_queue::counts(pool).await?;
    Ok(OutboxOverview {
        pending_total,
        failed_total,
        sent_total,
        pending: mail_queue::list(pool, "pending", 100).await?,
        failed: mail_queue::list(pool, "failed", 100).await?,
        sent: mail_queue::list(pool, "sent", 50).await?,
    })
}

/// (pending, failed, sent) counts.
pub async fn counts(db: &Db) -> Result<(i64, i64, i64), AppError> {
    Ok(mail_queue::counts(db.reader()).await?)
}

/// Puts one failed email (or every failed one, without an id) back in the queue; returns
/// how many.
pub async fn retry(db: &Db, id: Option<i64>) -> Result<u64, AppError> {
    let mut w = db.write_single().await?;
    Ok(mail_queue::retry_failed(&mut w, id, now_ms()).await?)
}
