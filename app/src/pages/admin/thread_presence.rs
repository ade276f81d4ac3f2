//! Presence on the staff conversation page: saying that the viewer is here (and whether they
//! are writing), and showing who else is.
use leptos::prelude::*;

use super::thread_page::Actions;
use crate::components::live::Live;

/// Tells colleagues, every few seconds while the page is open, that the viewer is here and
/// whether they are writing a reply or a note; at once when that changes, and when they go.
pub(super) fn say_present(id: impl Fn() -> i64 + Copy + Send + Sync + 'static, actions: Actions) {
    use crate::api::presence::presence;
    let state = move || match (actions.draft.is_empty(), actions.noting.get()) {
        (true, _) => "viewing",
        (false, false) => "replying",
        (false, true) => "noting",
    };
    let tell = move |thread: i64, what: &'static str| {
        if thread > 0 {
            leptos::task::spawn_local(async move {
                let _ = presence(thread, what.to_string()).await;
            });
        }
    };
    // Effects run in the browser only: a page sent without JavaScript says nothing. Told
    // when the state changes (not on every key), and every few seconds besides. The thread
    // is read while the page is there, never in the clean-up (the route may be gone then).
    let current = Memo::new(move |_| state());
    Effect::new(move |_| tell(id(), current.get()));
    Effect::new(move |_| {
        let thread = id();
        let beat = move || tell(thread, state_untracked(actions));
        if let Ok(handle) = set_interval_with_handle(beat, std::time::Duration::from_secs(3)) {
            on_cleanup(move || {
                handle.clear();
                tell(thread, "left");
            });
        }
    });
}

fn state_untracked(actions: Actions) -> &'static str {
    let empty = actions.draft.with_untracked_text(|t| t.trim().is_empty());
    match (empty, actions.noting.get_untracked()) {
        (true, _) => "viewing",
        (false, false) => "replying",
        (false, true) => "noting",
    }
}

/// Colleagues on the conversation ("Sam is replying…"), read again whenever one comes,
/// goes or starts or stops writing; the conversation above is not redrawn for it.
#[component]
pub(super) fn Colleagues(thread_id: i64) -> impl IntoView {
    use crate::api::presence::thread_presence;
    let moved = Live::get()
        .map(|l| l.presence)
        .unwrap_or_else(|| RwSignal::new(0));
    let present = Resource::new(move || moved.get(), move |_| thread_presence(thread_id));
    view! {
        <Transition>
            {move || Suspend::new(async move {
                let labels: Vec<String> = present
                    .await
                    .unwrap_or_default()
                    .iter()
                    .map(|p| p.label())
                    .collect();
                (!labels.is_empty())
                    .then(|| {
                        view! {
                            <p class="presence" role="status">
                                {labels.join(" · ")}
                            </p>
                        }
                    })
            })}
        </Transition>
    }
}
