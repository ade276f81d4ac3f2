//! Keyboard shortcuts of the staff inbox and conversation pages (with JavaScript): `j`/`k`
//! move through the conversations, `o` or Enter opens one, `r` starts a reply, `n` a note,
//! `c` closes the conversation, `a` assigns it to you, `/` searches, `g` then `i` goes to the
//! inbox, `?` shows them all. Never while typing in a field, never with Ctrl, Alt or Cmd.
use leptos::prelude::*;

/// Every shortcut and what it does, as the help lists them.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("j / k", "Next / previous conversation in the list"),
    ("o or Enter", "Open the chosen conversation"),
    ("r", "Reply (on a conversation)"),
    ("n", "Add an internal note (on a conversation)"),
    ("c", "Close the conversation"),
    ("a", "Assign the conversation to yourself"),
    ("/", "Search"),
    ("g then i", "Go to the inbox"),
    ("?", "Show or hide this list"),
    ("Esc", "Hide this list"),
];

/// The shortcuts and their help.
#[component]
pub fn StaffShortcuts() -> impl IntoView {
    let open = RwSignal::new(false);
    // The hint shows once the shortcuts work (they need JavaScript).
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    #[cfg(feature = "hydrate")]
    install(open);
    view! {
        <Show when=move || ready.get()>
            <p class="hint shortcuts-hint">"Press ? for keyboard shortcuts."</p>
        </Show>
        <Show when=move || open.get()>
            <div class="shortcuts-help" role="dialog" aria-labelledby="shortcuts-heading">
                <h2 id="shortcuts-heading">"Keyboard shortcuts"</h2>
                <dl>
                    {SHORTCUTS
                        .iter()
                        .map(|(keys, what)| {
                            view! {
                                <dt>
                                    <kbd>{*keys}</kbd>
                                </dt>
                                <dd>{*what}</dd>
                            }
                        })
                        .collect_view()}
                </dl>
                <button type="button" class="button" on:click=move |_| open.set(false)>
                    "Close"
                </button>
            </div>
        </Show>
    }
}

#[cfg(feature = "hydrate")]
fn install(open: RwSignal<bool>) {
    use wasm_bindgen::JsCast;
    let session = expect_context::<crate::components::layout::session::SessionContext>();
    let navigate = leptos_router::hooks::use_navigate();
    let current = StoredValue::new(None::<usize>);
    let pending_g = StoredValue::new(false);
    let handle = window_event_listener(leptos::ev::keydown, move |ev: web_sys::KeyboardEvent| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.default_prevented() {
            return;
        }
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| {
                matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                    || el.has_attribute("contenteditable")
            });
        if typing {
            return;
        }
        let key = ev.key();
        if pending_g.get_value() {
            pending_g.set_value(false);
            if key == "i" {
                ev.prevent_default();
                navigate(crate::routes::page::INBOX, Default::default());
                return;
            }
        }
        let handled = match key.as_str() {
            "?" => {
                open.update(|o| *o = !*o);
                true
            }
            "Escape" if open.get_untracked() => {
                open.set(false);
                true
            }
            "j" | "k" => move_through(current, key == "j"),
            "o" => click(&row_links(), current.get_value()),
            "/" => focus("#inbox-q"),
            "g" => {
                pending_g.set_value(true);
                true
            }
            "r" => note_mode(false) && focus("textarea[name='body']"),
            "n" => note_mode(true) && focus("textarea[name='body']"),
            "c" => choose_and_send("#status-select", "closed"),
            "a" => {
                let me = session.info.get_untracked().and_then(|i| i.ok()?.viewer);
                me.is_some_and(|v| choose_and_send("#assignee-select", &v.id.to_string()))
            }
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    });
    on_cleanup(move || handle.remove());
}

#[cfg(feature = "hydrate")]
fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a page has a document")
}

/// The links of the inbox's rows, in order.
#[cfg(feature = "hydrate")]
fn row_links() -> Vec<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    let Ok(list) =
        document().query_selector_all("table.inbox tbody tr td a[href^='/admin/pigeon/threads/']")
    else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

/// Moves the chosen row down or up (focusing its link, so Enter opens it).
#[cfg(feature = "hydrate")]
fn move_through(current: StoredValue<Option<usize>>, down: bool) -> bool {
    let links = row_links();
    if links.is_empty() {
        return false;
    }
    // Start from the row whose link has the focus, if any.
    let focused = document().active_element();
    let at = links
        .iter()
        .position(|l| focused.as_ref().is_some_and(|f| f.is_same_node(Some(l))))
        .or(current.get_value());
    let next = match (at, down) {
        (None, _) => 0,
        (Some(i), true) => (i + 1).min(links.len() - 1),
        (Some(i), false) => i.saturating_sub(1),
    };
    current.set_value(Some(next));
    let _ = links[next].focus();
    true
}

#[cfg(feature = "hydrate")]
fn click(links: &[web_sys::HtmlElement], at: Option<usize>) -> bool {
    match at.and_then(|i| links.get(i)) {
        Some(link) => {
            link.click();
            true
        }
        None => false,
    }
}

#[cfg(feature = "hydrate")]
fn focus(selector: &str) -> bool {
    use wasm_bindgen::JsCast;
    let found = document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    match found {
        Some(el) => {
            let _ = el.focus();
            true
        }
        None => false,
    }
}

/// Sets the composer to a reply or an internal note.
#[cfg(feature = "hydrate")]
fn note_mode(note: bool) -> bool {
    use wasm_bindgen::JsCast;
    let selector = format!("input[name='is_internal_note'][value='{note}']");
    let Some(mode) = document()
        .query_selector(&selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return false;
    };
    if !mode.checked() {
        mode.click();
    }
    true
}

/// Chooses `value` in a select and sends its form.
#[cfg(feature = "hydrate")]
fn choose_and_send(selector: &str, value: &str) -> bool {
    use wasm_bindgen::JsCast;
    let Some(select) = document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok())
    else {
        return false;
    };
    select.set_value(value);
    if select.value() != value {
        return false;
    }
    match select.form() {
        Some(form) => form.request_submit().is_ok(),
        None => false,
    }
}
