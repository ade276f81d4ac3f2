//! `/admin/pigeon/threads/<id>`: a conversation for staff, with internal notes and system
//! events, participants and their read state, the composer, status and assignment.
use leptos::html::Textarea;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::staff::{
    load_staff_thread, AssignThread, DeleteThread, FollowThread, RestoreThread, RevokeGuestLinks,
    SetThreadStatus, StaffReply, TrashThread,
};
use crate::components::form::file_field::FileField;
use crate::components::form::form_error::{action_error, FormError};
use crate::components::form::text_area::TextArea;
use crate::components::form::upload_form::{report_to, UploadForm};
use crate::components::thread::message_list::MessageList;
use crate::error::AppError;
use crate::model::form_echo::FormEcho;
use crate::model::staff::StaffThreadView;
use crate::model::thread::{ThreadKind, ThreadStatus};
use crate::pages::not_found::NotFound;
use crate::routes::page;

const REPLY: &str = crate::routes::STAFF_REPLY.path;
const STATUS: &str = crate::routes::SET_STATUS.path;
const ASSIGN: &str = crate::routes::ASSIGN.path;
const REVOKE: &str = crate::routes::REVOKE_LINKS.path;
const FOLLOW: &str = crate::routes::FOLLOW.path;
const TRASH: &str = crate::routes::TRASH.path;
const RESTORE: &str = crate::routes::RESTORE.path;
const DELETE: &str = crate::routes::DELETE.path;

/// The actions of the page; every one reloads the conversation.
#[derive(Clone, Copy)]
struct Actions {
    reply: ServerAction<StaffReply>,
    status: ServerAction<SetThreadStatus>,
    assign: ServerAction<AssignThread>,
    revoke: ServerAction<RevokeGuestLinks>,
    follow: ServerAction<FollowThread>,
    trash: ServerAction<TrashThread>,
    restore: ServerAction<RestoreThread>,
    delete: ServerAction<DeleteThread>,
}

/// The staff conversation page.
#[component]
pub fn StaffThreadPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let actions = Actions {
        reply: ServerAction::new(),
        status: ServerAction::new(),
        assign: ServerAction::new(),
        revoke: ServerAction::new(),
        follow: ServerAction::new(),
        trash: ServerAction::new(),
        restore: ServerAction::new(),
        delete: ServerAction::new(),
    };
    // A permanent delete leaves nothing to show: go to the Trash.
    Effect::new(move |_| {
        if matches!(actions.delete.value().get(), Some(Ok(()))) {
            let navigate = leptos_router::hooks::use_navigate();
            navigate("/admin/pigeon/trash?notice=deleted", Default::default());
        }
    });
    let thread = Resource::new(
        move || {
            (
                id(),
                actions.reply.version().get(),
                actions.status.version().get(),
                actions.assign.version().get(),
                actions.follow.version().get(),
                actions.trash.version().get(),
                actions.restore.version().get(),
            )
        },
        |(id, ..)| load_staff_thread(id),
    );
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match thread.await {
                    Ok(view) => view! { <StaffConversation view actions /> }.into_any(),
                    Err(AppError::Forbidden) => {
                        view! {
                            <p class="form-error" role="alert">
                                {AppError::Forbidden.to_string()}
                            </p>
                        }
                            .into_any()
                    }
                    Err(_) => view! { <NotFound /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StaffConversation(view: StaffThreadView, actions: Actions) -> impl IntoView {
    let id = view.summary.id;
    let status = view.summary.status;
    let kind = match view.summary.kind {
        ThreadKind::Support => "Support",
        ThreadKind::Direct => "Direct",
    };
    let has_guest = view.participants.iter().any(|p| p.is_guest);
    let assignee = view
        .assignee_name
        .clone()
        .unwrap_or_else(|| "Nobody".to_string());
    view! {
        <p class="back">
            <a href=page::INBOX>"← Inbox"</a>
        </p>
        <h1>{view.summary.subject.clone()}</h1>
        {view
            .trashed
            .then(|| {
                view! {
                    <p class="trash-banner" role="note">
                        "This thread is in the Trash."
                    </p>
                }
            })}
        <p class="thread-meta">
            <span class=format!("status status-{}", status.as_str())>{status.label()}</span>
            " · "
            {kind}
            " · Started by "
            {view.summary.started_by_name.clone()}
            " · Assigned to "
            {assignee}
        </p>
        <div class="staff-thread">
            <div class="staff-thread-main">
                <MessageList messages=view.messages.clone() />
                {view.can_manage.then(|| view! { <Composer thread_id=id action=actions.reply /> })}
            </div>
            <aside class="staff-thread-side" aria-label="Conversation details">
                <FollowForm thread_id=id following=view.following action=actions.follow />
                {view
                    .can_manage
                    .then(|| view! { <TrashForms thread_id=id trashed=view.trashed actions /> })}
                {view
                    .can_manage
                    .then(|| {
                        view! { <StatusForm thread_id=id current=status action=actions.status /> }
                    })}
                {view
                    .can_assign
                    .then(|| {
                        view! {
                            <AssignForm
                                thread_id=id
                                current=view.assignee_id
                                staff=view.staff.clone()
                                action=actions.assign
                            />
                        }
                    })}
                <section class="card" aria-labelledby="people-heading">
                    <h2 id="people-heading">"Participants"</h2>
                    <ul class="people">
                        {view
                            .participants
                            .iter()
                            .map(|p| {
                                let state = if p.caught_up {
                                    "Seen the latest"
                                } else {
                                    "Not seen the latest"
                                };
                                view! {
                                    <li>
                                        <strong>{p.name.clone()}</strong>
                                        {p.is_guest.then_some(" (guest)")}
                                        <br />
                                        <span class="hint">{p.email.clone()}</span>
                                        <br />
                                        <span class="hint">
                                            {state}{p.muted.then_some(" · muted")}
                                        </span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    {(has_guest && view.can_manage)
                        .then(|| {
                            view! {
                                <FormError action=REVOKE live=action_error(actions.revoke) />
                                <ActionForm action=actions.revoke attr:class="inline-form">
                                    <input type="hidden" name="thread_id" value=id.to_string() />
                                    <button type="submit" class="button">
                                        "Revoke guest links"
                                    </button>
                                </ActionForm>
                            }
                        })}
                </section>
            </aside>
        </div>
    }
}

#[component]
fn Composer(thread_id: i64, action: ServerAction<StaffReply>) -> impl IntoView {
    let body_ref = NodeRef::<Textarea>::new();
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(()))) {
            if let Some(area) = body_ref.get() {
                area.set_value("");
            }
        }
    });
    let echo = use_context::<FormEcho>().filter(|e| e.is_for(REPLY));
    let note_checked = echo
        .as_ref()
        .is_some_and(|e| !e.value("is_internal_note").is_empty());
    view! {
        <section class="card" aria-labelledby="composer-heading">
            <h2 id="composer-heading">"Reply or add a note"</h2>
            <FormError action=REPLY live=action_error(action) />
            <UploadForm action=REPLY on_result=report_to(action)>
                <input type="hidden" name="thread_id" value=thread_id.to_string() />
                <TextArea
                    label="Message"
                    name="body"
                    action=REPLY
                    required=true
                    node_ref=body_ref
                    id_prefix="staff-"
                />
                <FileField id_prefix="staff-" />
                <label class="check">
                    <input
                        type="checkbox"
                        name="is_internal_note"
                        value="true"
                        checked=note_checked
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
                    "Send"
                </button>
            </UploadForm>
        </section>
    }
}

#[component]
fn StatusForm(
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
fn AssignForm(
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
fn FollowForm(
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
fn TrashForms(thread_id: i64, trashed: bool, actions: Actions) -> impl IntoView {
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
