//! The inbox's rows: the table, one row per conversation, and the bar that acts on the
//! chosen ones.
use leptos::prelude::*;

use crate::components::local_time::LocalTime;
use crate::model::staff::{InboxItem, InboxPage, InboxSource};
use crate::model::thread::ThreadKind;
use crate::routes::page;

#[component]
pub(super) fn BulkBar(page: InboxPage) -> impl IntoView {
    let in_trash = page.query.source == InboxSource::Trash;
    let ops: Vec<(&str, &str)> = if in_trash {
        vec![("restore", "Restore"), ("delete", "Delete for good")]
    } else {
        let mut ops = Vec::new();
        if page.can_manage {
            ops.extend([
                ("open", "Mark open"),
                ("pending", "Mark as needing a reply"),
                ("closed", "Close"),
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
    view! {
        <fieldset class="bulk-bar">
            <legend>"With the chosen threads"</legend>
            <div class="field">
                <label for="bulk-op">"Action"</label>
                <select id="bulk-op" name="op">
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
    view! {
        <table class="table inbox">
            <caption class="visually-hidden">"Threads"</caption>
            <thead>
                <tr>
                    {selectable
                        .then(|| {
                            view! {
                                <th scope="col">
                                    <span class="visually-hidden">"Choose"</span>
                                </th>
                            }
                        })} <th scope="col">"Subject"</th> <th scope="col">"Status"</th>
                    <th scope="col">"Kind"</th> <th scope="col">"Started by"</th>
                    <th scope="col">"Assignee"</th> <th scope="col">"Last activity"</th>
                    <th scope="col">"Created"</th>
                </tr>
            </thead>
            <tbody>
                {page
                    .items
                    .into_iter()
                    .map(|item| view! { <InboxRow item selectable chosen /> })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn InboxRow(item: InboxItem, selectable: bool, chosen: RwSignal<usize>) -> impl IntoView {
    let kind = match item.kind {
        ThreadKind::Support => "Support",
        ThreadKind::Direct => "Direct",
    };
    let check_id = format!("choose-{}", item.id);
    let subject = item.subject.clone();
    let started_by = match &item.started_by_email {
        Some(email) => format!("{} <{email}>", item.started_by_name),
        None => item.started_by_name.clone(),
    };
    view! {
        <tr>
            {selectable
                .then(|| {
                    view! {
                        <td>
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
                })} <td>
                <a href=page::staff_thread(item.id)>{item.subject.clone()}</a>
                {(!item.present.is_empty())
                    .then(|| {
                        let labels: Vec<String> = item.present.iter().map(|p| p.label()).collect();
                        view! { <span class="presence">{labels.join(" · ")}</span> }
                    })}
            </td> <td>
                <span class=format!(
                    "status status-{}",
                    item.status.as_str(),
                )>{item.status.label()}</span>
            </td> <td>{kind}</td> <td>{started_by}</td>
            <td>{item.assignee_name.unwrap_or_else(|| "—".to_string())}</td> <td>
                <LocalTime ms=item.last_message_at />
                <br />
                <span class="hint">{item.last_author_name}</span>
            </td> <td>
                <LocalTime ms=item.created_at />
            </td>
        </tr>
    }
}
