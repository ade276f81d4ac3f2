//! A labelled multi-line field that keeps what was typed when a post without JavaScript
//! failed.
use leptos::html::Textarea;
use leptos::prelude::*;

use crate::model::form_echo::FormEcho;

/// A text being written, kept while a live page is redrawn around it: the text, and the
/// caret while the field has the focus, so that writing goes on where it was.
#[derive(Debug, Clone, Copy)]
pub struct Draft {
    text: RwSignal<String>,
    caret: RwSignal<Option<u32>>,
}

impl Draft {
    pub fn new() -> Draft {
        Draft {
            text: RwSignal::new(String::new()),
            caret: RwSignal::new(None),
        }
    }

    /// Whether nothing is written (tracked).
    pub fn is_empty(&self) -> bool {
        self.text.with(|t| t.trim().is_empty())
    }

    /// Reads the text without tracking it.
    pub fn with_untracked_text<T>(&self, f: impl FnOnce(&String) -> T) -> T {
        self.text.with_untracked(f)
    }

    /// Puts `insert` into the field at its caret (replacing the selection, or the `replace`
    /// bytes before the caret), keeps the new text, and leaves the caret after it.
    pub fn insert_at_caret(
        &self,
        area: &leptos::web_sys::HtmlTextAreaElement,
        replace: usize,
        insert: &str,
    ) {
        let value = area.value();
        let units: Vec<u16> = value.encode_utf16().collect();
        let clamp = |n: Option<u32>| (n.unwrap_or(units.len() as u32) as usize).min(units.len());
        let end = clamp(area.selection_end().ok().flatten());
        let start = clamp(area.selection_start().ok().flatten()).min(end);
        let before = String::from_utf16_lossy(&units[..start]);
        let after = String::from_utf16_lossy(&units[end..]);
        let keep = before.len().saturating_sub(replace);
        let head = before.get(..keep).unwrap_or(&before);
        let text = format!("{head}{insert}{after}");
        area.set_value(&text);
        let caret = (head.encode_utf16().count() + insert.encode_utf16().count()) as u32;
        let _ = area.set_selection_range(caret, caret);
        let _ = area.focus();
        self.text.set(text);
        self.caret.set(Some(caret));
    }

    /// Forgets the text (it was sent).
    pub fn clear(&self) {
        self.text.set(String::new());
        self.caret.set(None);
    }
}

impl Default for Draft {
    fn default() -> Draft {
        Draft::new()
    }
}

/// One labelled textarea of the form posting to `action`.
#[component]
pub fn TextArea(
    label: &'static str,
    name: &'static str,
    action: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] node_ref: Option<NodeRef<Textarea>>,
    /// Distinguishes two forms of one page.
    #[prop(default = "")]
    id_prefix: &'static str,
    /// Keeps the text as it is typed, and puts it back (with the focus and the caret) when
    /// the field is drawn again: a live page redrawn around a half-written reply.
    #[prop(optional)]
    kept: Option<Draft>,
    /// The text to start with when no failed post is being shown again.
    #[prop(optional)]
    initial: Option<String>,
) -> impl IntoView {
    let (value, invalid) = FormEcho::field_state(action, name);
    let value = if value.is_empty() {
        initial.unwrap_or_default()
    } else {
        value
    };
    let id = format!("{id_prefix}field-{name}");
    let node_ref = node_ref.unwrap_or_default();
    if let Some(kept) = kept {
        Effect::new(move |_| {
            if let Some(area) = node_ref.get() {
                let text = kept.text.get_untracked();
                if !text.is_empty() && area.value().is_empty() {
                    area.set_value(&text);
                }
                if let Some(at) = kept.caret.get_untracked() {
                    let _ = area.focus();
                    let _ = area.set_selection_range(at, at);
                }
            }
        });
    }
    // Events can come while the page is being taken down: nothing here may insist.
    let note_caret = move || {
        if let (Some(kept), Some(Some(area))) = (kept, node_ref.try_get_untracked()) {
            kept.caret.try_set(area.selection_start().ok().flatten());
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <textarea
                id=id
                name=name
                required=required
                rows="6"
                node_ref=node_ref
                aria-invalid=invalid.then_some("true")
                on:input=move |ev| {
                    if let Some(kept) = kept {
                        kept.text.try_set(event_target_value(&ev));
                    }
                    note_caret();
                }
                on:focus=move |_| note_caret()
                on:keyup=move |_| note_caret()
                on:click=move |_| note_caret()
                on:blur=move |_| {
                    if let (Some(kept), Some(Some(area))) = (kept, node_ref.try_get_untracked()) {
                        if area.is_connected() {
                            kept.caret.try_set(None);
                        }
                    }
                }
            >
                {value}
            </textarea>
        </div>
    }
}
