//! Every open event stream of this process, and the one task that hears each change and
//! hands it to the streams that may hear it. A change is checked against every listener in
//! memory (the thread's facts read once, `service::live::facts`), so only the streams that
//! hear it are woken. A stream whose buffer is full (a client that does not keep up) is
//! dropped: its page reconnects and catches up.
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

use axum::response::sse::Event;
use tokio::sync::{broadcast, mpsc, Notify};

use crate::backend::service::live::{self, Change, Listener};
use crate::backend::state::AppState;

/// One open stream.
struct Entry {
    listener: Listener,
    out: mpsc::Sender<Event>,
    /// Told when the listener should be checked again.
    recheck: Arc<Notify>,
    sent: Arc<Mutex<Sent>>,
    /// While the stream catches up on what it missed, changes wait here.
    pending: Option<Vec<Change>>,
}

/// The streams of one database handle.
pub struct Hub {
    entries: Mutex<HashMap<u64, Entry>>,
    next: AtomicU64,
}

/// A stream's place in the hub; leaving the hub when dropped.
pub struct Registration {
    hub: Arc<Hub>,
    pub id: u64,
    pub recheck: Arc<Notify>,
    pub sent: Arc<Mutex<Sent>>,
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.hub.entries.lock().expect("hub lock").remove(&self.id);
    }
}

static HUBS: LazyLock<Mutex<HashMap<usize, Arc<Hub>>>> = LazyLock::new(Default::default);

/// The hub of the state's database, started (with its dispatching task) on first use.
pub async fn of(state: &AppState) -> Arc<Hub> {
    let db = &state.db;
    if let Some(hub) = HUBS.lock().expect("hubs lock").get(&db.instance()) {
        return hub.clone();
    }
    let changes = live::subscribe(db).await;
    let mut hubs = HUBS.lock().expect("hubs lock");
    if let Some(hub) = hubs.get(&db.instance()) {
        return hub.clone();
    }
    let hub = Arc::new(Hub {
        entries: Mutex::new(HashMap::new()),
        next: AtomicU64::new(1),
    });
    hubs.insert(db.instance(), hub.clone());
    tokio::spawn(dispatch(state.clone(), hub.clone(), changes));
    hub
}

impl Hub {
    /// Adds a stream; changes wait for it until `ready` (after its catch-up).
    pub fn register(self: &Arc<Hub>, listener: Listener, out: mpsc::Sender<Event>) -> Registration {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let recheck = Arc::new(Notify::new());
        let sent = Arc::new(Mutex::new(Sent::default()));
        let entry = Entry {
            listener,
            out,
            recheck: recheck.clone(),
            sent: sent.clone(),
            pending: Some(Vec::new()),
        };
        self.entries.lock().expect("hub lock").insert(id, entry);
        Registration {
            hub: self.clone(),
            id,
            recheck,
            sent,
        }
    }

    /// The changes that waited during the catch-up; from now on changes go straight out.
    pub fn ready(&self, id: u64) -> Vec<Change> {
        let mut entries = self.entries.lock().expect("hub lock");
        entries
            .get_mut(&id)
            .and_then(|e| e.pending.take())
            .unwrap_or_default()
    }

    /// The listener as checked again.
    pub fn update(&self, id: u64, listener: Listener) {
        if let Some(e) = self.entries.lock().expect("hub lock").get_mut(&id) {
            e.listener = listener;
        }
    }
}

/// Hears every change once and hands it to the streams that may hear it.
async fn dispatch(state: AppState, hub: Arc<Hub>, mut changes: broadcast::Receiver<Change>) {
    loop {
        let change = match changes.recv().await {
            Ok(change) => change,
            Err(broadcast::error::RecvError::Lagged(_)) => {
                // Some changes were missed: every page reloads what it shows.
                let entries = hub.entries.lock().expect("hub lock");
                for e in entries.values() {
                    let _ = e.out.try_send(super::reload());
                    e.recheck.notify_one();
                }
                continue;
            }
            Err(broadcast::error::RecvError::Closed) => return,
        };
        let wanted = {
            let entries = hub.entries.lock().expect("hub lock");
            entries
                .values()
                .any(|e| live::needs_facts(&e.listener, &change))
        };
        let facts = match wanted {
            true => match live::facts(&state.db, &change).await {
                Ok(f) => Some(f),
                Err(e) => {
                    tracing::warn!(error = %e, "reading a change's thread failed; pages reload");
                    None
                }
            },
            false => None,
        };
        let mut dropped = Vec::new();
        {
            let mut entries = hub.entries.lock().expect("hub lock");
            for (id, e) in entries.iter_mut() {
                if live::touches_access(&e.listener, &change) {
                    e.recheck.notify_one();
                }
                if let Some(pending) = &mut e.pending {
                    pending.push(change);
                    continue;
                }
                let event = if wanted && facts.is_none() && live::needs_facts(&e.listener, &change)
                {
                    super::reload()
                } else if live::hears(&e.listener, &change, facts.as_deref())
                    && e.sent.lock().expect("sent lock").first_time(change.id)
                {
                    super::event(&change)
                } else {
                    continue;
                };
                if e.out.try_send(event).is_err() {
                    dropped.push(*id);
                }
            }
            // A client that does not keep up (or is gone) is let go; its page reconnects.
            for id in dropped {
                entries.remove(&id);
            }
        }
    }
}

/// The ids sent lately (a change may come both from the catch-up and the hub).
#[derive(Default)]
pub struct Sent {
    ids: HashSet<i64>,
    order: VecDeque<i64>,
}

impl Sent {
    const KEPT: usize = 4096;

    /// Whether `id` was not sent yet (and is now counted as sent).
    pub fn first_time(&mut self, id: i64) -> bool {
        if !self.ids.insert(id) {
            return false;
        }
        self.order.push_back(id);
        if self.order.len() > Self::KEPT {
            if let Some(old) = self.order.pop_front() {
                self.ids.remove(&old);
            }
        }
        true
    }
}
