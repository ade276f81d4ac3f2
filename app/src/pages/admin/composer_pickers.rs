//! The composer's two pickers: saved replies (searchable with JavaScript, a list and an
//! "Insert" button without it) and, in a note, the colleagues an `@` can mention.
use leptos::html::Textarea;
use leptos::prelude::*;

use crate::components::form::text_area::Draft;
use crate::model::saved_reply::SavedReply;
use crate::routes::page;

/// Saved replies: with JavaScript a search field and the matching titles, each inserting
/// its text at the caret; without it, a list and a button that reloads the page with the
/// chosen text added to what was written.
#[component]
pub(super) fn SavedReplyPicker(
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
pub(super) fn Mentions(
    names: Vec<String>,
    body_ref: NodeRef<Textarea>,
    draft: Draft,
    noting: RwSignal<bool>,
    /// The text typed after the `@` before the caret (see `typed_mention`).
    typed: RwSignal<Option<String>>,
) -> impl IntoView {
    let names = StoredValue::new(names);
    let matches = move || {
        // `try_`: the composer may be drawn anew while this list is still on screen.
        let t = typed.try_get().flatten()?.to_lowercase();
        let found: Vec<String> = names.try_with_value(|all| {
            all.iter()
                .filter(|n| n.to_lowercase().starts_with(&t))
                .take(6)
                .cloned()
                .collect()
        })?;
        (!found.is_empty() && noting.try_get()?).then_some(found)
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
pub(super) fn typed_mention(body_ref: NodeRef<Textarea>) -> Option<String> {
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
