//! The staff conversation page's controls: status, assignee, following, and the Trash.
use leptos::prelude::*;

use super::thread_page::Actions;
use crate::api::staff::{AssignThread, FollowThread, SetThreadStatus};
use crate::components::form::form_error::{action_error, FormError};
use crate::model::thread::ThreadStatus;

const STATUS: &str = crate::api::staff::SET_STATUS.path;
const ASSIGN: &str = crate::api::staff::ASSIGN.path;
const FOLLOW: &str = crate::api::staff::FOLLOW.path;
const TRASH: &str = crate::api::staff::TRASH.path;
const RESTORE: &str = crate::api::staff::RESTORE.path;
const DELETE: &str = crate::api::staff::DELETE.path;

/// With JavaScript a choice applies at once (its form is sent); without, by its button.
fn send_on_change(ev: leptos::ev::Event) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .and_then(|s| s.form())
        {
            let _ = form.request_submit();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = ev;
}

#[component]
pub(super) fn StatusForm(
    thread_id: i64,
    current: ThreadStatus,
    action: ServerAction<SetThreadStatus>,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="status-heading">
            <h2 id="status-heading">"Status"</h2>
            <FormError action=STATUS live=action_error(action) />
            <ActionForm action=action>
                <input type="hidden" name="thread_id" value=thread_id.to_string() />
                <label for="status-select" class="visually-hidden">
                    "Status"
                </label>
                <select id="status-select" name="status" on:change=send_on_change>
                    {[ThreadStatus::Open, ThreadStatus::Pending, ThreadStatus::Closed]
                        .into_iter()
                        .map(|s| {
                            view! {
                                <option value=s.as_str() selected=s == current>
                                    {s.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                " "
                <button type="submit" class="button js-hide">
                    "Change status"
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
pub(super) fn AssignForm(
    thread_id: i64,
    current: Option<i64>,
    staff: Vec<(i64, String)>,
    action: ServerAction<AssignThread>,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="assign-heading">
            <h2 id="assign-heading">"Assignee"</h2>
            <FormError action=ASSIGN live=action_error(action) />
            <ActionForm action=action>
                <input type="hidden" name="thread_id" value=thread_id.to_string() />
                <label for="assignee-select" class="visually-hidden">
                    "Assignee"
                </label>
                <select id="assignee-select" name="assignee_id" on:change=send_on_change>
                    <option value="" selected=current.is_none()>
                        "Nobody"
                    </option>
                    {staff
                        .into_iter()
                        .map(|(id, name)| {
                            view! {
                                <option value=id.to_string() selected=current == Some(id)>
                                    {name}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                " "
                <button type="submit" class="button js-hide">
                    "Assign"
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
pub(super) fn FollowForm(
    thread_id: i64,
    following: bool,
    action: ServerAction<FollowThread>,
) -> impl IntoView {
    let (label, hint) = if following {
        ("Stop following", "You are emailed about new messages here.")
    } else {
        ("Follow", "Follow to be emailed about new messages here.")
    };
    view! {
        <section class="card" aria-labelledby="follow-heading">
            <h2 id="follow-heading">"Notifications"</h2>
            <p class="hint">{hint}</p>
            <FormError action=FOLLOW live=action_error(action) />
            <ActionForm action=action attr:class="inline-form">
                <input type="hidden" name="thread_id" value=thread_id.to_string() />
                <input type="hidden" name="follow" value=(!following).to_string() />
                <button type="submit" class="button">
                    {label}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
pub(super) fn TrashForms(thread_id: i64, trashed: bool, actions: Actions) -> impl IntoView {
    let id = thread_id.to_string();
    let (id2, id3) = (id.clone(), id.clone());
    let forms = if trashed {
        view! {
            <FormError action=RESTORE live=action_error(actions.restore) />
            <ActionForm action=actions.restore attr:class="inline-form">
                <input type="hidden" name="thread_id" value=id2 />
                <button type="submit" class="button">
                    "Restore"
                </button>
            </ActionForm>
            <FormError action=DELETE live=action_error(actions.delete) />
            <ActionForm action=actions.delete>
                <input type="hidden" name="thread_id" value=id3 />
                <label class="check">
                    <input type="checkbox" name="confirm" value="yes" />
                    " Delete for good (cannot be undone)"
                </label>
                <button type="submit" class="button danger">
                    "Delete thread"
                </button>
            </ActionForm>
        }
        .into_any()
    } else {
        view! {
            <FormError action=TRASH live=action_error(actions.trash) />
            <ActionForm action=actions.trash attr:class="inline-form">
                <input type="hidden" name="thread_id" value=id />
                <button type="submit" class="button">
                    "Move to the Trash"
                </button>
            </ActionForm>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="trash-heading">
            <h2 id="trash-heading">"Trash"</h2>
            {forms}
        </section>
    }
}
