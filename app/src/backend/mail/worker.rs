//! The mail queue worker: claims due rows with a lease, sends, and records the outcome.
//! Runs inside `pigeon serve` and alone as `pigeon worker`; any number may share a database.
use std::time::Duration;

use tokio::sync::watch;

use super::compose::compose;
use super::transport::{Mailer, SendFailure};
use crate::backend::db::{self, mail_queue::QueuedMail, now_ms};
use crate::backend::service::settings;
use crate::backend::state::AppState;

/// How long a claimed row belongs to one worker: longer than a batch can take to send
/// (32 rows, 8 at a time, at most 80 s each with every timeout hit).
pub const LEASE_MS: i64 = 600_000;
/// Attempts before a row is parked as failed.
pub const MAX_ATTEMPTS: i64 = 8;
const BATCH: i64 = 32;

/// Delay before attempt `attempts + 1`: 30 s doubling, at most 6 hours.
pub fn backoff_ms(attempts: i64) -> i64 {
    let step = attempts.clamp(1, 20) - 1;
    (30_000i64 << step).min(6 * 3600 * 1000)
}

/// Works the queue until `stop` turns true; the email being sent is finished first.
pub async fn run(state: AppState, mailer: Mailer, mut stop: watch::Receiver<bool>) {
    loop {
        if *stop.borrow() {
            break;
        }
        let sent = match process_due(&state, &mailer, Some(&stop)).await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "mail queue pass failed");
                0
            }
        };
        if sent == 0 {
            tokio::select! {
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                _ = stop.changed() => {}
            }
        }
    }
    tracing::info!("mail worker stopped");
}

/// Emails sent at the same time by one worker.
pub const CONCURRENCY: usize = 8;

/// One pass: claims a batch of due rows and sends them, several at a time; returns how
/// many were handled.
pub async fn process_due(
    state: &AppState,
    mailer: &Mailer,
    stop: Option<&watch::Receiver<bool>>,
) -> Result<usize, sqlx::Error> {
    process_due_at(state, mailer, stop, now_ms()).await
}

/// As `process_due`, with the clock given (rows due at `now` are claimed).
pub async fn process_due_at(
    state: &AppState,
    mailer: &Mailer,
    stop: Option<&watch::Receiver<bool>>,
    now: i64,
) -> Result<usize, sqlx::Error> {
    use futures::stream::{self, StreamExt};
    let rows = db::mail_queue::claim(&state.db, now, LEASE_MS, BATCH).await?;
    let settings = settings::load(&state.db).await.unwrap_or_default();
    let settings = &settings;
    // The outcomes are written together once the batch is done: one write for its sent
    // rows, where a write per email took the write turn as often as the posts that queued
    // them. A worker that dies before writing them leaves the batch to be sent again when
    // its lease runs out, as a worker dying mid-send always did for the email in hand.
    let outcomes: Vec<Result<Outcome, sqlx::Error>> = stream::iter(rows)
        // Rows not started before a stop are left for the next start: their lease runs out
        // and another worker takes them. Emails already being sent are finished.
        .take_while(|_| std::future::ready(!stop.is_some_and(|s| *s.borrow())))
        .map(|row| async move { deliver(state, mailer, settings, &row).await })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let handled = outcomes.len();
    let mut done = Vec::with_capacity(handled);
    let mut failed = None;
    for outcome in outcomes {
        match outcome {
            Ok(o) => done.push(o),
            Err(e) => failed = Some(e),
        }
    }
    record(state, done).await?;
    match failed {
        Some(e) => Err(e),
        None => Ok(handled),
    }
}

/// What became of one claimed row.
enum Outcome {
    Sent(i64),
    Retry { id: i64, at: i64, reason: String },
    Failed { id: i64, reason: String },
}

/// Writes outcomes: the sent rows in one statement, each failure on its own (rare).
async fn record(state: &AppState, outcomes: Vec<Outcome>) -> Result<(), sqlx::Error> {
    let pool = &state.db.pool;
    let sent: Vec<i64> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Sent(id) => Some(*id),
            _ => None,
        })
        .collect();
    let _turn = state.db.turn().await;
    db::mail_queue::mark_sent(pool, &sent, now_ms()).await?;
    for o in outcomes {
        match o {
            Outcome::Retry { id, at, reason } => {
                db::mail_queue::mark_retry(pool, id, at, &reason).await?
            }
            Outcome::Failed { id, reason } => {
                db::mail_queue::mark_failed(pool, id, &reason).await?
            }
            Outcome::Sent(_) => {}
        }
    }
    Ok(())
}

async fn deliver(
    state: &AppState,
    mailer: &Mailer,
    settings: &settings::Settings,
    row: &QueuedMail,
) -> Result<Outcome, sqlx::Error> {
    let message = match compose(&state.db, &state.config, settings, row).await? {
        Ok(m) => m,
        Err(undeliverable) => {
            tracing::info!(outbox_id = row.id, reason = %undeliverable.0, "email parked");
            return Ok(Outcome::Failed {
                id: row.id,
                reason: undeliverable.0,
            });
        }
    };
    let sent = mailer.send(&message, &format!("pigeon-{}", row.id)).await;
    // Errors are shown on the outbox page: never with the SMTP password in them.
    let sent = sent.map_err(|f| SendFailure {
        reason: state.config.without_smtp_password(&f.reason),
        ..f
    });
    Ok(match sent {
        Ok(()) => Outcome::Sent(row.id),
        Err(SendFailure { permanent, reason }) if permanent || row.attempts >= MAX_ATTEMPTS => {
            tracing::warn!(outbox_id = row.id, attempts = row.attempts, %reason, "email failed for good");
            Outcome::Failed { id: row.id, reason }
        }
        Err(SendFailure { reason, .. }) => {
            let at = now_ms() + backoff_ms(row.attempts);
            tracing::info!(outbox_id = row.id, attempts = row.attempts, %reason, "email will be retried");
            Outcome::Retry {
                id: row.id,
                at,
                reason,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn backoff_doubles_from_thirty_seconds_up_to_six_hours() {
        assert_eq!(backoff_ms(1), 30_000);
        assert_eq!(backoff_ms(2), 60_000);
        assert_eq!(backoff_ms(5), 480_000);
        assert_eq!(backoff_ms(30), 6 * 3600 * 1000);
    }
}
