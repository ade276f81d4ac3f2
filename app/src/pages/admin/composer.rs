//! The staff composer: a reply to the customer or an internal note (two modes, the note
//! visibly different), files, the status afterwards, saved replies (a searchable picker with
//! JavaScript; without it, a list and an "Insert" button that reloads the page with the text
//! added), and in a note, `@` suggests the colleagues it can mention.
use leptos::html::Textarea;
use leptos::prelude::*;

use crate::api::staff::StaffReply;
use crate::components::form::file_field::FileField;
use crate::components::form::form_error::{action_error, FormError};
use crate::components::form::text_area::{Draft, TextArea};
use crate::components::form::upload_form::{empty_when_sent, report_to, UploadForm};
use crate::error::AppError;
use crate::model::form_echo::FormEcho;
use crate::model::saved_reply::SavedReply;
use crate::routes::page;

const REPLY: &str = crate::api::staff::STAFF_REPLY.path;

/// What the page's address asks the composer to start with (the no-JavaScript "Insert").
#[derive(Debug, Clone, Default)]
pub(super) struct Start {
    pub text: String,
    pub note: bool,
}

impl Start {
    /// The text of the address's `body` with the saved reply `saved_reply` added.
    pub fn from_query(
        body: Option<String>,
        saved: Option<String>,
        note: Option<String>,
        replies: &[SavedReply],
    ) -> Start {
        let mut text = body.unwrap_or_default().trim_end().to_string();
        let chosen = saved
            .and_then(|s| s.parse::<i64>().ok())
            .and_then(|id| replies.iter().find(|r| r.id == id));
        if let Some(r) = chosen {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(&r.body);
        }
        Start {
            text,
            note: note.as_deref() == Some("true"),
        }
    }
}

/// The reply and note form. `seen_up_to` is the newest visible message shown above it:
/// when someone else wrote since, the server sends nothing and says so (409), the page
/// shows what is new, and the kept text can be sent anyway.
#[component]
pub(super) fn Composer(
    thread_id: i64,
    seen_up_to: i64,
    action: ServerAction<StaffReply>,
    draft: Draft,
    /// Whether the text is to be an internal note (for colleagues' "writing a note…").
    noting: RwSignal<bool>,
    saved_replies: Vec<SavedReply>,
    mentionable: Vec<String>,
    start: Start,
) -> impl IntoView {
    let body_ref = NodeRef::<Textarea>::new();
    empty_when_sent(action, draft, body_ref);
    let echo = use_context::<FormEcho>().filter(|e| e.is_for(REPLY));
    let note_checked = match echo.as_ref() {
        Some(e) => matches!(
            e.value("is_internal_note").as_str(),
            "true" | "on" | "1" | "yes"
        ),
        None => start.note || noting.get_untracked(),
    };
    if note_checked {
        noting.set(true);
    }
    let newer_in_echo = echo
        .as_ref()
        .is_some_and(|e| matches!(e.error, Some(AppError::NewerMessages { .. })));
    let newer = move || {
        newer_in_echo
            || matches!(
                action.value().get(),
                Some(Err(AppError::NewerMessages { .. }))
            )
    };
    let initial = (!start.text.is_empty()).then_some(start.text);
    let typed = RwSignal::new(None::<String>);
    let body_label = move || {
        if noting.get() {
            "Note for colleagues (never shown to the customer)"
        } else {
            "Reply to the customer"
        }
    };
    view! {
        <section
            class="card composer"
            class:noting=move || noting.get()
            id="composer"
            aria-labelledby="composer-heading"
        >
            <h2 id="composer-heading">"Reply or add a note"</h2>
            <FormError action=REPLY live=action_error(action) />
            <UploadForm action=REPLY on_result=report_to(action)>
                <input type="hidden" name="thread_id" value=thread_id.to_string() />
                <input type="hidden" name="seen_up_to" value=seen_up_to.to_string() />
                <fieldset class="composer-modes">
                    <legend class="visually-hidden">"Write"</legend>
                    <label>
                        <input
                            type="radio"
                            name="is_internal_note"
                            value="false"
                            checked=!note_checked
                            on:change=move |_| noting.set(false)
                        />
                        " Reply to the customer"
                    </label>
                    <label>
                        <input
                            type="radio"
                            name="is_internal_note"
                            value="true"
                            checked=note_checked
                            on:change=move |_| noting.set(true)
                        />
                        " Internal note"
                    </label>
                </fieldset>
                <p class="hint note-hint">
                    "Staff only: never shown or emailed to the customer. Type @ to mention a colleague."
                </p>
                <div
                    class="body-field"
                    on:input=move |_| typed.set(typed_mention(body_ref))
                    on:keyup=move |_| typed.set(typed_mention(body_ref))
                    on:click=move |_| typed.set(typed_mention(body_ref))
                >
                    <TextArea
                        label="Message"
                        name="body"
                        action=REPLY
                        required=true
                        node_ref=body_ref
                        id_prefix="staff-"
                        kept=draft
                        initial=initial.unwrap_or_default()
                    />
                    <Mentions names=mentionable body_ref draft noting typed />
                </div>
                <p class="hint body-label" aria-live="polite">
                    {body_label}
                </p>
                {(!saved_replies.is_empty())
                    .then(|| {
                        view! {
                            <SavedReplyPicker thread_id replies=saved_replies body_ref draft />
                        }
                    })}
                <FileField id_prefix="staff-" />
                <div class="field">
                    <label for="status-after">"Status after sending"</label>
                    <select id="status-after" name="status_after">
                        <option value="">"As the rules decide"</option>
                        <option value="open">"Open"</option>
                        <option value="pending">"Needs reply"</option>
                        <option value="closed">"Closed"</option>
                    </select>
                </div>
                <button type="submit" class="button primary">
                    {move || if newer() { "Send anyway" } else { "Send" }}
                </button>
            </UploadForm>
        </section>
    }
}

/// Saved replies: with JavaScript a search field and the matching titles, each inserting
/// its text at the caret; without it, a list and a button that reloads the page with the
/// chosen text added to what was written.
#[component]
fn SavedReplyPicker(
    thread_id: i64,
    replies: Vec<SavedReply>,
    body_ref: NodeRef<Textarea>,
    draft: Draft,
) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let find = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let replies = StoredValue::new(replies);
    let matching = move || {
        let q = find.get().trim().to_lowercase();
        replies.with_value(|all| {
            all.iter()
                .filter(|r| q.is_empty() || r.title.to_lowercase().contains(&q))
                .take(8)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let insert = move |body: String| {
        if let Some(area) = body_ref.get_untracked() {
            draft.insert_at_caret(&area, 0, &body);
        }
        open.set(false);
        find.set(String::new());
    };
    move || {
        if hydrated.get() {
            view! {
                <div class="field saved-picker">
                    <label for="saved-find">"Insert a saved reply"</label>
                    <input
                        id="saved-find"
                        type="search"
                        autocomplete="off"
                        placeholder="Find by title"
                        prop:value=move || find.get()
                        on:input=move |ev| {
                            find.set(event_target_value(&ev));
                            open.set(true);
                        }
                        on:focus=move |_| open.set(true)
                        on:keydown=move |ev| {
                            if ev.key() == "Escape" {
                                open.set(false);
                            } else if ev.key() == "Enter" {
                                ev.prevent_default();
                                if let Some(first) = matching().into_iter().next() {
                                    insert(first.body);
                                }
                            }
                        }
                    />
                    <Show when=move || open.get()>
                        <ul class="picker-list" aria-label="Saved replies">
                            {move || {
                                let found = matching();
                                if found.is_empty() {
                                    return view! {
                                        <li class="hint">"No saved reply has that title."</li>
                                    }
                                        .into_any();
                                }
                                found
                                    .into_iter()
                                    .map(|r| {
                                        let body = r.body.clone();
                                        view! {
                                            <li>
                                                <button
                                                    type="button"
                                                    class="link-button"
                                                    on:click=move |_| insert(body.clone())
                                                >
                                                    {r.title}
                                                </button>
                                            </li>
                                        }
                                    })
                                    .collect_view()
                                    .into_any()
                            }}
                        </ul>
                    </Show>
                </div>
            }
            .into_any()
        } else {
            view! {
                <div class="field saved-picker">
                    <label for="saved-reply">"Insert a saved reply"</label>
                    <div class="inline-search">
                        <select id="saved-reply" name="saved_reply">
                            {replies
                                .with_value(|all| {
                                    all.iter()
                                        .map(|r| {
                                            view! {
                                                <option value=r.id.to_string()>{r.title.clone()}</option>
                                            }
                                        })
                                        .collect_view()
                                })}
                        </select>
                        <button
                            type="submit"
                            class="button"
                            formmethod="get"
                            formaction=page::staff_thread(thread_id)
                            formnovalidate=true
                        >
                            "Insert"
                        </button>
                    </div>
                </div>
            }
                .into_any()
        }
    }
}

/// In a note, a word beginning with `@` before the caret offers the colleagues whose names
/// start with it; choosing one writes their whole name.
#[component]
fn Mentions(
    names: Vec<String>,
    body_ref: NodeRef<Textarea>,
    draft: Draft,
    noting: RwSignal<bool>,
    /// The text typed after the `@` before the caret (see `typed_mention`).
    typed: RwSignal<Option<String>>,
) -> impl IntoView {
    let names = StoredValue::new(names);
    let matches = move || {
        let t = typed.get()?.to_lowercase();
        let found: Vec<String> = names.with_value(|all| {
            all.iter()
                .filter(|n| n.to_lowercase().starts_with(&t))
                .take(6)
                .cloned()
                .collect()
        });
        (!found.is_empty() && noting.get()).then_some(found)
    };
    let choose = move |name: String| {
        let typed_len = typed.get_untracked().map_or(0, |t| t.len());
        if let Some(area) = body_ref.get_untracked() {
            draft.insert_at_caret(&area, typed_len, &format!("{name} "));
        }
        typed.set(None);
    };
    move || {
        matches().map(|found| {
            view! {
                <ul class="picker-list mentions" aria-label="Mention a colleague">
                    {found
                        .into_iter()
                        .map(|name| {
                            let n = name.clone();
                            view! {
                                <li>
                                    <button
                                        type="button"
                                        class="link-button"
                                        on:click=move |_| choose(n.clone())
                                    >
                                        {format!("@{name}")}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
        })
    }
}

/// The mention being typed in the field, if any (see `mention_before`).
fn typed_mention(body_ref: NodeRef<Textarea>) -> Option<String> {
    let area = body_ref.get_untracked()?;
    let value = area.value();
    let units: Vec<u16> = value.encode_utf16().collect();
    let caret = area
        .selection_start()
        .ok()
        .flatten()
        .map_or(units.len(), |c| (c as usize).min(units.len()));
    mention_before(&String::from_utf16_lossy(&units[..caret]))
}

/// The name being typed after an `@` at the end of `before` (the text before the caret):
/// at most 40 characters of letters, digits, spaces, dots and hyphens, after a space or the
/// start of the text.
pub(super) fn mention_before(before: &str) -> Option<String> {
    let at = before.rfind('@')?;
    let ahead = before[..at].chars().next_back();
    if ahead.is_some_and(|c| !c.is_whitespace() && c != '(') {
        return None;
    }
    let typed = &before[at + 1..];
    let ok = typed.chars().count() <= 40
        && typed
            .chars()
            .all(|c| c.is_alphanumeric() || c == ' ' || c == '.' || c == '-' || c == '\'')
        && !typed.contains("  ");
    ok.then(|| typed.to_string())
}

#[cfg(test)]
mod tests {
    use super::mention_before;

    #[test]
    fn the_typed_mention_is_found_before_the_caret() {
        assert_eq!(mention_before("Hi @An").as_deref(), Some("An"));
        assert_eq!(mention_before("@").as_deref(), Some(""));
        assert_eq!(mention_before("Ask @Ann Lee").as_deref(), Some("Ann Lee"));
        assert_eq!(mention_before("mail ann@x"), None);
        assert_eq!(mention_before("@Ann, then"), None);
        assert_eq!(mention_before("no mention"), None);
    }
}
