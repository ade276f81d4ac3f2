//! Live updates: one connection per open page (`/pigeon/live`, Server-Sent Events; browsers
//! allow few connections per site, so the header, the inbox and a conversation share it),
//! and each part reloads its data when something it shows changed. The browser reconnects
//! by itself and says where it stopped (`Last-Event-ID`), so nothing is missed or heard
//! twice; while it is away, a small notice says so. Without JavaScript nothing here runs:
//! pages stay as they were sent.
use leptos::prelude::*;

/// The changes that came together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    /// Moves on with every batch.
    pub n: u64,
    /// The threads changed; None: anything may have (reload everything).
    pub threads: Option<Vec<i64>>,
    /// The newest change in it: data read after it (`live_since` at least this) has it.
    pub newest: i64,
}

/// What the page hears.
#[derive(Clone, Copy)]
pub struct Live {
    /// The latest batch of changes.
    pub batch: RwSignal<Batch>,
    /// Whether the page is connected (false while it reconnects).
    pub connected: RwSignal<bool>,
    /// Where the connection listens (None: not yet, or nobody to listen for); the change
    /// it started after is `since`.
    pub path: RwSignal<Option<String>>,
    pub since: RwSignal<i64>,
    /// Moves when colleagues arrive at, leave or start writing on a conversation.
    pub presence: RwSignal<u64>,
}

impl Live {
    /// The page's shared connection.
    pub fn get() -> Option<Live> {
        use_context::<Live>()
    }

    /// A counter that moves when a batch touches `thread` (None: any thread) and is newer
    /// than the data shown (read at `shown`: the page's own action already reloaded it). While
    /// the viewer is choosing in a form (a list, a box, a button has the focus) the page is
    /// not redrawn under them: the change waits until they are done. A reply being written is
    /// no reason to wait: it is kept, caret and all (`Draft`).
    pub fn ticks_for(&self, thread: Signal<Option<i64>>, shown: Signal<i64>) -> RwSignal<u64> {
        let ticks = RwSignal::new(0u64);
        let batch = self.batch;
        Effect::new(move |_| {
            let thread = thread.get_untracked();
            let shown = shown.get_untracked();
            let touched = batch.with(|b| {
                b.n > 0
                    && (b.newest == 0 || b.newest > shown)
                    && match (&b.threads, thread) {
                        (None, _) | (_, None) => true,
                        (Some(list), Some(id)) => list.contains(&id),
                    }
            });
            if touched {
                // The page may be gone by the time the viewer is done choosing.
                when_not_choosing(move || {
                    ticks.try_update(|n| *n += 1);
                });
            }
        });
        ticks
    }

    /// Data read at change `read_since`, older than the connection's start, reloads once.
    pub fn catch_up(&self, read_since: i64, ticks: RwSignal<u64>) {
        let since = self.since.get_untracked();
        if self.path.with_untracked(Option::is_some) && read_since < since {
            ticks.update(|n| *n += 1);
        }
    }

    /// Listens at `path` from change `since`, unless it already listens for the same one.
    pub fn listen_at(&self, path: String, since: i64) {
        let same = self
            .path
            .with_untracked(|p| p.as_deref() == Some(path.as_str()));
        if !same {
            self.since.set(since);
            self.path.set(Some(path));
        }
    }
}

/// Where a page listens: `scope` (`staff`, `member`, `guest`), a thread, a guest's token.
pub fn live_path(scope: &str, thread: Option<i64>, token: Option<&str>) -> String {
    let mut path = format!("/pigeon/live?scope={scope}");
    if let Some(id) = thread {
        path.push_str(&format!("&thread={id}"));
    }
    if let Some(t) = token {
        let safe: String = t
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        path.push_str(&format!("&token={safe}"));
    }
    path
}

/// Creates the page's shared connection (once, beside the session) and provides it.
pub fn provide_live() -> Live {
    let live = Live {
        batch: RwSignal::new(Batch::default()),
        connected: RwSignal::new(true),
        path: RwSignal::new(None),
        since: RwSignal::new(0),
        presence: RwSignal::new(0),
    };
    // A closed stream (the server refused it) is tried again after a pause.
    let attempt = RwSignal::new(0u32);
    Effect::new(move |_| {
        attempt.track();
        if let Some(path) = live.path.get() {
            let since = live.since.get_untracked();
            listen(&format!("{path}&since={since}"), live, attempt);
        }
    });
    provide_context(live);
    live
}

#[cfg(feature = "hydrate")]
fn listen(path: &str, live: Live, attempt: RwSignal<u32>) {
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::EventSource;

    let Ok(source) = EventSource::new(path) else {
        return;
    };
    // Changes that come within a moment make one batch.
    let gathered: Rc<RefCell<Option<Option<Vec<i64>>>>> = Rc::new(RefCell::new(None));
    let newest = Rc::new(std::cell::Cell::new(0i64));
    let changed = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let data = event
            .dyn_ref::<web_sys::MessageEvent>()
            .and_then(|m| m.data().as_string())
            .unwrap_or_default();
        // Colleagues coming and going redraw only what shows them.
        if data.contains("\"kind\":\"presence\"") {
            live.presence.update(|n| *n += 1);
            return;
        }
        let thread = thread_of(&data);
        let id = event
            .dyn_ref::<web_sys::MessageEvent>()
            .and_then(|m| m.last_event_id().parse::<i64>().ok())
            .unwrap_or(0);
        // A reload has no id: it counts as newer than anything shown.
        newest.set(newest.get().max(if id == 0 { i64::MAX } else { id }));
        let first = {
            let mut g = gathered.borrow_mut();
            let first = g.is_none();
            let threads = g.get_or_insert_with(|| Some(Vec::new()));
            match (threads.as_mut(), thread) {
                (Some(list), Some(id)) => list.push(id),
                // A reload, or a change of no thread: everything.
                _ => *threads = None,
            }
            first
        };
        if first {
            let gathered = gathered.clone();
            let newest = newest.clone();
            set_timeout(
                move || {
                    let threads = gathered.borrow_mut().take().flatten();
                    live.batch.update(|b| {
                        b.n += 1;
                        b.threads = threads;
                        b.newest = newest.replace(0);
                    });
                },
                std::time::Duration::from_millis(120),
            );
        }
    });
    let opened = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| live.connected.set(true));
    let source_for_error = source.clone();
    let failed = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        live.connected.set(false);
        if source_for_error.ready_state() == EventSource::CLOSED {
            // Refused (logged out, no longer allowed, the server busy): show what is true
            // now, and try again in a while.
            live.batch.update(|b| {
                b.n += 1;
                b.threads = None;
                b.newest = 0;
            });
            set_timeout(
                move || attempt.update(|n| *n += 1),
                std::time::Duration::from_secs(5),
            );
        }
    });
    let _ = source.add_event_listener_with_callback("change", changed.as_ref().unchecked_ref());
    let _ = source.add_event_listener_with_callback("reload", changed.as_ref().unchecked_ref());
    source.set_onopen(Some(opened.as_ref().unchecked_ref()));
    source.set_onerror(Some(failed.as_ref().unchecked_ref()));
    let kept = StoredValue::new_local(Some((source, changed, opened, failed)));
    on_cleanup(move || {
        kept.try_update_value(|k| {
            if let Some((source, ..)) = k.take() {
                source.close();
            }
        });
    });
}

/// Runs `then` once no form control but a text area has the focus and no file is chosen
/// for sending (a redraw cannot give files back), checked every half second.
fn when_not_choosing(then: impl FnOnce() + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let doc = document();
        let focused = doc.active_element().is_some_and(|el| {
            let tag = el.tag_name();
            tag == "SELECT"
                || tag == "BUTTON"
                || (tag == "INPUT" && el.get_attribute("type").as_deref() != Some("hidden"))
        });
        let files_chosen = doc
            .query_selector_all("input[type=file]")
            .ok()
            .is_some_and(|all| {
                (0..all.length()).any(|i| {
                    all.item(i)
                        .and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok())
                        .and_then(|input| input.files())
                        .is_some_and(|files| files.length() > 0)
                })
            });
        let choosing = focused || files_chosen;
        if choosing {
            set_timeout(
                move || when_not_choosing(then),
                std::time::Duration::from_millis(500),
            );
            return;
        }
    }
    then();
}

/// The thread of a change's data (`{"thread":12,"kind":"message"}`).
#[cfg(feature = "hydrate")]
fn thread_of(data: &str) -> Option<i64> {
    let rest = data.split("\"thread\":").nth(1)?;
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    digits.parse().ok()
}

#[cfg(not(feature = "hydrate"))]
fn listen(_path: &str, _live: Live, _attempt: RwSignal<u32>) {}

/// The notice shown while the page reconnects.
#[component]
pub fn LiveStatus() -> impl IntoView {
    let connected = move || Live::get().is_none_or(|l| l.connected.get());
    view! {
        <Show when=move || !connected()>
            <p class="live-status" role="status">
                "Reconnecting…"
            </p>
        </Show>
    }
}
