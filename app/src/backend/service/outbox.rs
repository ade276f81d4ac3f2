//! The mail queue as admins see it: counts, recent rows, and retrying failed emails.
use crate::backend::db::{inbound, mail_queue, now_ms, Db};
use crate::error::AppError;
use crate::model::outbox::OutboxOverview;

/// Counts and the latest rows of each state.
pub async fn overview(db: &Db) -> Result<OutboxOverview, AppError> {
    let pool = db.reader();
    let (pending_total, failed_total, sent_total) = mail_queue::counts(pool).await?;
    // Addresses a delivery failure notice came back for (replies by email).
    let bouncing: std::collections::HashMap<String, String> = inbound::bouncing(pool, 1000)
        .await?
        .into_iter()
        .map(|(email, _, reason)| (email, reason))
        .collect();
    let mark = |mut items: Vec<crate::model::outbox::OutboxItem>| {
        for item in &mut items {
            item.bouncing = bouncing.get(&item.recipient.to_lowercase()).cloned();
        }
        items
    };
    Ok(OutboxOverview {
        pending_total,
        failed_total,
        sent_total,
        pending: mark(mail_queue::list(pool, "pending", 100).await?),
        failed: mark(mail_queue::list(pool, "failed", 100).await?),
        sent: mark(mail_queue::list(pool, "sent", 50).await?),
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
