//! Mail coming in (SPEC §15): the built-in SMTP receiver (`smtp`), the IMAP reader
//! (`imap`), and the processor that
//! works through what arrived (`service::inbound`), running inside `pigeon serve` or alone
//! as `pigeon inbound`. Any number of processes may run them on one PostgreSQL database:
//! messages are claimed with a lease.
pub mod imap;
pub mod smtp;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

use crate::backend::service::inbound;
use crate::backend::state::AppState;

/// How often the processor looks for messages another process kept.
const POLL: Duration = Duration::from_secs(3);
/// Messages claimed at a time.
const BATCH: i64 = 10;

/// The receiver and the processor, running.
pub struct Inbound {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
    /// Where the SMTP receiver listens, when it runs.
    pub smtp_addr: Option<SocketAddr>,
}

impl Inbound {
    /// Starts the processor, the SMTP receiver on `smtp_addr` when given, and the IMAP
    /// reader when the configuration names a mailbox.
    pub async fn start(state: AppState, smtp_addr: Option<SocketAddr>) -> anyhow::Result<Inbound> {
        let (stop, stopped) = watch::channel(false);
        let arrived = Arc::new(Notify::new());
        let mut tasks = Vec::new();
        let mut bound = None;
        if let Some(addr) = smtp_addr {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|e| anyhow::anyhow!("cannot listen for mail on {addr}: {e}"))?;
            bound = Some(listener.local_addr()?);
            let serve = smtp::serve(state.clone(), listener, stopped.clone(), arrived.clone());
            tasks.push(tokio::spawn(serve));
        }
        if let Some(source) = state.config.inbound.imap.clone() {
            let read = imap::run(state.clone(), source, stopped.clone(), arrived.clone());
            tasks.push(tokio::spawn(read));
        }
        tasks.push(tokio::spawn(process(state, stopped, arrived)));
        Ok(Inbound {
            stop,
            tasks,
            smtp_addr: bound,
        })
    }

    /// Stops taking mail and finishes the message being processed.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

async fn process(state: AppState, mut stop: watch::Receiver<bool>, arrived: Arc<Notify>) {
    loop {
        if *stop.borrow() {
            return;
        }
        let wait = match inbound::process_due(&state, BATCH).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => POLL,
            Err(e) => {
                tracing::warn!(error = %e, "processing incoming mail failed; trying again soon");
                POLL
            }
        };
        tokio::select! {
            _ = arrived.notified() => {}
            _ = tokio::time::sleep(wait) => {}
            _ = stop.changed() => return,
        }
    }
}
