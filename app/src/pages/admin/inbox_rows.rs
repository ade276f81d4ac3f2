//! The inbox's rows: one line per conversation on a desktop, a card on a phone (who wrote,
//! the subject and the newest message's first line, status, assignee, when), bold while the
//! viewer has not seen its newest message; and the bar that acts on the chosen ones, which
//! with JavaScript appears once a row is chosen.
use leptos::prelude::*;

use crate::components::local_time::RelativeTime;
use crate::model::staff::{
    avatar_colour, highlight_runs, initials, InboxItem, InboxPage, InboxSource,
};
use crate::model::thread::ThreadKind;
use crate::routes::page;

#[component]
pub(super) fn BulkBar(page: InboxPage, chosen: RwSignal<usize>) -> impl IntoView {
    let in_trash = page.query.source == InboxSource::Trash;
    let ops: Vec<(&str, &str)> = if in_trash {
        vec![("restore", "Restore"), ("delete", "Delete for good")]
    } else {
        let mut ops = Vec::new();
        if page.can_manage {
            ops.extend([
                ("closed", "Close"),
                ("pending", "Mark as needing a reply"),
                ("open", "Mark open"),
                ("trash", "Move to the Trash"),
            ]);
        }
        if page.can_assign {
            ops.push(("assign", "Assign to…"));
        }
        ops
    };
    let assign = (page.can_assign && !in_trash).then(|| {
        view! {
            <div class="field">
                <label for="bulk-assignee">"Assignee (for “Assign to…”)"</label>
                <select id="bulk-assignee" name="assignee_id">
                    <option value="">"Nobody"</option>
                    {page
                        .staff
                        .iter()
                        .map(|(id, name)| {
                            view! { <option value=id.to_string()>{name.clone()}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
        }
    });
    let confirm = in_trash.then(|| {
        view! {
            <label class="check">
                <input type="checkbox" name="confirm" value="yes" />
                " Delete for good (cannot be undone)"
            </label>
        }
    });
    let count = move || match chosen.get() {
        0 => String::new(),
        1 => "1 chosen".to_string(),
        n => format!("{n} chosen"),
    };
    view! {
        <fieldset class="bulk-bar" class:none-chosen=move || chosen.get() == 0>
            <legend>"With the chosen threads"</legend>
            <p class="bulk-count" aria-live="polite">
                {count}
            </p>
            <div class="field">
                <label for="bulk-op">"Action"</label>
                <select id="bulk-op" name="op" required>
                    <option value="">"Choose an action…"</option>
                    {ops
                        .into_iter()
                        .map(|(v, l)| view! { <option value=v>{l}</option> })
                        .collect_view()}
                </select>
            </div>
            {assign}
            {confirm}
            <button type="submit" class="button">
                "Apply"
            </button>
        </fieldset>
    }
}

#[component]
pub(super) fn InboxTable(page: InboxPage, chosen: RwSignal<usize>) -> impl IntoView {
    let selectable = page.can_manage || page.can_assign;
    let words = page.words.clone();
    let all_ref = NodeRef::<leptos::html::Input>::new();
    // Chooses every row of the page, or none (with JavaScript; hidden without it).
    let choose_all = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        let _ = &ev;
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Ok(boxes) =
                document().query_selector_all("table.inbox tbody input[name='thread_ids[]']")
            {
                for i in 0..boxes.length() {
                    if let Some(b) = boxes
                        .item(i)
                        .and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok())
                    {
                        b.set_checked(on);
                    }
                }
                chosen.set(if on { boxes.length() as usize } else { 0 });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = on;
    };
    Effect::new(move |_| {
        if chosen.get() == 0 {
            if let Some(all) = all_ref.get_untracked() {
                all.set_checked(false);
            }
        }
    });
    view! {
        <table class="table inbox">
            <caption class="visually-hidden">"Threads"</caption>
            <thead>
                <tr>
                    {selectable
                        .then(|| {
                            view! {
                                <th scope="col" class="choose">
                                    <input
                                        type="checkbox"
                                        id="choose-all"
                                        class="js-only"
                                        node_ref=all_ref
                                        on:change=choose_all
                                    />
                                    <label for="choose-all" class="visually-hidden">
                                        "Choose every thread on this page"
                                    </label>
                                </th>
                            }
                        })} <th scope="col">"Customer"</th> <th scope="col">"Conversation"</th>
                    <th scope="col">"Status"</th> <th scope="col">"Assignee"</th>
                    <th scope="col">"Updated"</th>
                </tr>
            </thead>
            <tbody>
                {page
                    .items
                    .into_iter()
                    .map(|item| view! { <InboxRow item selectable chosen words=words.clone() /> })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// Text with the search's words marked.
fn marked(text: &str, words: &[String]) -> AnyView {
    if words.is_empty() {
        return text.to_string().into_any();
    }
    highlight_runs(text, words)
        .into_iter()
        .map(|(run, hit)| {
            if hit {
                view! { <mark>{run}</mark> }.into_any()
            } else {
                run.into_any()
            }
        })
        .collect_view()
        .into_any()
}

#[component]
fn InboxRow(
    item: InboxItem,
    selectable: bool,
    chosen: RwSignal<usize>,
    words: Vec<String>,
) -> impl IntoView {
    let check_id = format!("choose-{}", item.id);
    let subject = item.subject.clone();
    let who = item
        .started_by_email
        .clone()
        .unwrap_or_else(|| item.started_by_name.clone());
    let colour = avatar_colour(&who);
    let customer = item.started_by_name.clone();
    let email = item.started_by_email.clone();
    let email_title = email.clone();
    let preview = (!item.preview.is_empty()).then(|| {
        view! {
            <span class="preview">
                <span class="preview-author">{item.last_author_name.clone()}": "</span>
                {marked(&item.preview, &words)}
            </span>
        }
    });
    let status = item.status;
    let direct = (item.kind == ThreadKind::Direct)
        .then(|| view! { <span class="chip chip-kind">"Direct"</span> });
    let assignee = match item.assignee_name.clone() {
        Some(name) => view! { <span class="chip chip-assignee">{name}</span> }.into_any(),
        None => view! { <span class="chip chip-none">"Unassigned"</span> }.into_any(),
    };
    view! {
        <tr class:unread=item
            .unread>
            {selectable
                .then(|| {
                    view! {
                        <td class="choose">
                            <input
                                type="checkbox"
                                id=check_id.clone()
                                name="thread_ids[]"
                                value=item.id.to_string()
                                on:change=move |ev| {
                                    if event_target_checked(&ev) {
                                        chosen.update(|n| *n += 1);
                                    } else {
                                        chosen.update(|n| *n = n.saturating_sub(1));
                                    }
                                }
                            />
                            <label for=check_id class="visually-hidden">
                                {format!("Choose “{subject}”")}
                            </label>
                        </td>
                    }
                })} <td class="customer">
                <span class=format!("avatar avatar-{colour}") aria-hidden="true">
                    {initials(&customer)}
                </span>
                <span class="customer-name" title=email_title>
                    {marked(&customer, &words)}
                    {email
                        .map(|e| {
                            view! { <span class="visually-hidden">{format!(" <{e}>")}</span> }
                        })}
                </span>
            </td>
            <td class="conversation">
                {item.unread.then(|| view! { <span class="visually-hidden">"Unread: "</span> })}
                <a class="subject" href=format!("{}#latest", page::staff_thread(item.id))>
                    {marked(&item.subject, &words)}
                </a> {direct} {preview}
                {(!item.present.is_empty())
                    .then(|| {
                        let labels: Vec<String> = item.present.iter().map(|p| p.label()).collect();
                        view! { <span class="presence">{labels.join(" · ")}</span> }
                    })}
            </td> <td class="state">
                <span class=format!(
                    "chip status status-{}",
                    status.as_str(),
                )>{status.label()}</span>
            </td> <td class="assignee">{assignee}</td> <td class="when">
                <RelativeTime ms=item.last_message_at />
            </td>
        </tr>
    }
}
