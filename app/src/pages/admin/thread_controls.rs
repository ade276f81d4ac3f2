//! The staff conversation page's controls: the composer (reply or internal note, with
//! files), status, assignee, following, and the Trash.
use leptos::html::Textarea;
use leptos::prelude::*;

use super::thread_page::Actions;
use crate::api::staff::{AssignThread, FollowThread, SetThreadStatus, StaffReply};
use crate::components::form::file_field::FileField;
use crate::components::form::form_error::{action_error, FormError};
use crate::components::form::text_area::{Draft, TextArea};
use crate::components::form::upload_form::{report_to, UploadForm};
use crate::error::AppError;
use crate::model::form_echo::FormEcho;
use crate::model::thread::ThreadStatus;

const REPLY: &str = crate::api::staff::STAFF_REPLY.path;
const STATUS: &str = crate::api::staff::SET_STATUS.path;
const ASSIGN: &str = crate::api::staff::ASSIGN.path;
const FOLLOW: &str = crate::api::staff::FOLLOW.path;
const TRASH: &str = crate::api::staff::TRASH.path;
const RESTORE: &str = crate::api::staff::RESTORE.path;
const DELETE: &str = crate::api::staff::DELETE.path;

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
) -> impl IntoView {
    let body_ref = NodeRef::<Textarea>::new();
    // Emptied when a reply is sent: a new success, not the last one seen again when the
    // form is drawn anew (a live page redraws it).
    Effect::new(move |before: Option<usize>| {
        let version = action.version().get();
        let sent = matches!(action.value().get_untracked(), Some(Ok(())));
        if before.is_some_and(|b| b != version) && sent {
            draft.clear();
            if let Some(area) = body_ref.get_untracked() {
                area.set_value("");
            }
        }
        version
    });
    let echo = use_context::<FormEcho>().filter(|e| e.is_for(REPLY));
    let note_checked = echo
        .as_ref()
        .is_some_and(|e| !e.value("is_internal_note").is_empty());
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
    view! {
        <section class="card" aria-labelledby="composer-heading">
            <h2 id="composer-heading">"Reply or add a note"</h2>
            <FormError action=REPLY live=action_error(action) />
            <UploadForm action=REPLY on_result=report_to(action)>
                <input type="hidden" name="thread_id" value=thread_id.to_string() />
                <input type="hidden" name="seen_up_to" value=seen_up_to.to_string() />
                <TextArea
                    label="Message"
                    name="body"
                    action=REPLY
                    required=true
                    node_ref=body_ref
                    id_prefix="staff-"
                    kept=draft
                />
                <FileField id_prefix="staff-" />
                <label class="check">
                    <input
                        type="checkbox"
                        name="is_internal_note"
                        value="true"
                        checked=note_checked
                        on:change=move |ev| noting.set(event_target_checked(&ev))
                    />
                    " Internal note (staff only, never shown or emailed to the customer)"
                </label>
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
                <select id="status-select" name="status">
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
                <button type="submit" class="button">
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
                <select id="assignee-select" name="assignee_id">
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
                <button type="submit" class="button">
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
