//! The mail queue worker: claims due rows with a lease, sends, and records the outcome.
//! Runs inside `pigeon serve` and alone as `pigeon worker`; any number may share a database.
use std::time::Duration;

use tokio::sync::watch;

use super::compose::compose;
use super::transport::{Mailer, SendFailure};
use crate::backend::db::{self, mail_queue::QueuedMail, now_ms};
use crate::backend::settings;
use crate::backend::state::AppState;

/// How long a claimed row belongs to one worker without a word from it. A live worker
/// renews the lease of the rows in hand every third of it, so a crashed worker's mail is
/// taken up by another (or by itself after a restart) within this time.
pub const LEASE_MS: i64 = 45_000;
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
) -> Result<usize, db::DbError> {
    process_due_at(state, mailer, stop, now_ms()).await
}

/// As `process_due`, with the clock given (rows due at `now` are claimed).
///
/// Each email's outcome is written as soon as the SMTP server has answered, and that write
/// is retried until it lands: a crash repeats at most the emails in flight (at most
/// `CONCURRENCY`, each with its stable Message-ID), and a busy database never makes a sent
/// email look unsent. Rows not started before a stop are handed back at once.
pub async fn process_due_at(
    state: &AppState,
    mailer: &Mailer,
    stop: Option<&watch::Receiver<bool>>,
    now: i64,
) -> Result<usize, db::DbError> {
    use futures::stream::{self, StreamExt};
    let rows = db::mail_queue::claim(&state.db, now, LEASE_MS, BATCH).await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let settings = settings::load(&state.db).await.unwrap_or_default();
    let settings = &settings;
    let held = Held::new(rows.iter().map(|r| r.id));
    let renewing = tokio::spawn(renew_leases(state.clone(), held.clone()));
    let results: Vec<Result<(), db::DbError>> = stream::iter(rows)
        .take_while(|_| std::future::ready(!stop.is_some_and(|s| *s.borrow())))
        .map(|row| {
            let held = held.clone();
            async move {
                let outcome = deliver(state, mailer, settings, &row).await?;
                record_until_written(state, outcome).await;
                held.done(row.id);
                Ok(())
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    renewing.abort();
    // Rows a stop left unstarted, or that could not be read: free again at once.
    let left = held.take();
    if !left.is_empty() {
        let mut w = state.db.write_single().await?;
        db::mail_queue::release(&mut w, &left).await?;
    }
    let handled = results.iter().filter(|r| r.is_ok()).count();
    match results.into_iter().find_map(Result::err) {
        Some(e) if handled == 0 => Err(e),
        _ => Ok(handled),
    }
}

/// The ids of claimed rows whose outcome is not written yet.
#[derive(Clone)]
struct Held(std::sync::Arc<std::sync::Mutex<Vec<i64>>>);

impl Held {
    fn new(ids: impl Iterator<Item = i64>) -> Held {
        Held(std::sync::Arc::new(std::sync::Mutex::new(ids.collect())))
    }
    fn done(&self, id: i64) {
        if let Ok(mut ids) = self.0.lock() {
            ids.retain(|i| *i != id);
        }
    }
    fn ids(&self) -> Vec<i64> {
        self.0.lock().map(|ids| ids.clone()).unwrap_or_default()
    }
    fn take(&self) -> Vec<i64> {
        self.0
            .lock()
            .map(|mut ids| std::mem::take(&mut *ids))
            .unwrap_or_default()
    }
}

/// Pushes the lease of the rows still in hand forward, every third of a lease.
async fn renew_leases(state: AppState, held: Held) {
    let every = Duration::from_millis((LEASE_MS / 3) as u64);
    loop {
        tokio::time::sleep(every).await;
        let ids = held.ids();
        if ids.is_empty() {
            return;
        }
        let until = now_ms() + LEASE_MS;
        let renewed = match state.db.write_single().await {
            Ok(mut w) => db::mail_queue::renew(&mut w, &ids, until).await,
            Err(e) => Err(e),
        };
        if let Err(e) = renewed {
            tracing::warn!(error = %e, "could not renew the mail lease");
        }
    }
}

/// What became of one claimed row.
enum Outcome {
    Sent(i64),
    Retry { id: i64, at: i64, reason: String },
    Failed { id: i64, reason: String },
}

/// Writes one outcome, trying again (up to a second apart) while the database refuses: the
/// SMTP server's answer is known and must not be lost. Gives up only after ten minutes,
/// when the row's lease has long run out anyway.
async fn record_until_written(state: &AppState, outcome: Outcome) {
    let started = std::time::Instant::now();
    let mut pause = Duration::from_millis(50);
    loop {
        match record(state, &outcome).await {
            Ok(()) => return,
            Err(e) if started.elapsed() < Duration::from_secs(600) => {
                tracing::warn!(error = %e, "could not record an email's outcome; trying again");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(1));
            }
            Err(e) => {
                tracing::error!(error = %e, "gave up recording an email's outcome");
                return;
            }
        }
    }
}

async fn record(state: &AppState, outcome: &Outcome) -> Result<(), db::DbError> {
    let mut w = state.db.write_single().await?;
    match outcome {
        Outcome::Sent(id) => db::mail_queue::mark_sent(&mut w, &[*id], now_ms()).await,
        Outcome::Retry { id, at, reason } => {
            db::mail_queue::mark_retry(&mut w, *id, *at, reason).await
        }
        Outcome::Failed { id, reason } => db::mail_queue::mark_failed(&mut w, *id, reason).await,
    }
}

async fn deliver(
    state: &AppState,
    mailer: &Mailer,
    settings: &settings::Settings,
    row: &QueuedMail,
) -> Result<Outcome, db::DbError> {
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
