//! `/admin/pigeon/threads/<id>`: a conversation for staff, with internal notes and system
//! events, participants and their read state, the composer, status and assignment.
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::composer::{Composer, Start};
use super::thread_controls::{AssignForm, FollowForm, StatusForm, TrashForms};
use super::thread_presence::{say_present, Colleagues};
use crate::api::staff::{
    load_staff_thread, AssignThread, DeleteThread, FollowThread, RestoreThread, RevokeGuestLinks,
    SetThreadStatus, StaffReply, TrashThread,
};
use crate::components::form::form_error::{action_error, FormError};
use crate::components::form::text_area::Draft;
use crate::components::form::upload_form::report_to;
use crate::components::live::{Live, LiveStatus};
use crate::components::thread::message_list::MessageList;
use crate::error::AppError;
use crate::model::staff::StaffThreadView;
use crate::model::thread::{MessageKind, ThreadKind};
use crate::pages::not_found::NotFound;
use crate::routes::page;

const REVOKE: &str = crate::api::staff::REVOKE_LINKS.path;

/// The actions of the page; every one reloads the conversation.
#[derive(Clone, Copy)]
pub(super) struct Actions {
    pub reply: ServerAction<StaffReply>,
    /// How a reply sent in the background reports to `reply`: made here, beside the action,
    /// so that a composer redrawn while sending still reports.
    pub reply_sent: Callback<Result<(), AppError>>,
    pub status: ServerAction<SetThreadStatus>,
    pub assign: ServerAction<AssignThread>,
    pub revoke: ServerAction<RevokeGuestLinks>,
    pub follow: ServerAction<FollowThread>,
    pub trash: ServerAction<TrashThread>,
    pub restore: ServerAction<RestoreThread>,
    pub delete: ServerAction<DeleteThread>,
    /// The reply being written: kept while the conversation above it is shown again.
    pub draft: Draft,
    pub noting: RwSignal<bool>,
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
    let reply = ServerAction::new();
    let actions = Actions {
        reply,
        reply_sent: report_to(reply),
        status: ServerAction::new(),
        assign: ServerAction::new(),
        revoke: ServerAction::new(),
        follow: ServerAction::new(),
        trash: ServerAction::new(),
        restore: ServerAction::new(),
        delete: ServerAction::new(),
        draft: Draft::new(),
        noting: RwSignal::new(false),
    };
    // A permanent delete leaves nothing to show: go to the Trash.
    Effect::new(move |_| {
        if matches!(actions.delete.value().get(), Some(Ok(()))) {
            let navigate = leptos_router::hooks::use_navigate();
            navigate("/admin/pigeon/trash?notice=deleted", Default::default());
        }
    });
    // The change the data on screen was read at.
    let shown = RwSignal::new(0i64);
    let ticks = Live::get()
        .map(|l| l.ticks_for(Signal::derive(move || Some(id())), shown.into()))
        .unwrap_or_else(|| RwSignal::new(0));
    let undone = expect_context::<crate::components::layout::session::SessionContext>().undo;
    let thread = Resource::new(
        move || {
            (
                id(),
                ticks.get(),
                actions.reply.version().get(),
                actions.status.version().get(),
                actions.assign.version().get(),
                actions.follow.version().get(),
                actions.trash.version().get(),
                actions.restore.version().get(),
                undone.version().get(),
            )
        },
        |(id, ..)| load_staff_thread(id),
    );
    say_present(id, actions);
    // A link ending in `#latest` opens at the newest message: the browser does it on a full
    // page load; after a move inside the app, the page does it once its data is shown.
    let scrolled = StoredValue::new(false);
    view! {
        <crate::components::shortcuts::StaffShortcuts />
        <Transition>
            {move || Suspend::new(async move {
                match thread.await {
                    Ok(view) => {
                        shown.set(view.live_since);
                        if let Some(live) = Live::get() {
                            live.catch_up(view.live_since, ticks);
                        }
                        view! {
                            <LiveStatus />
                            <StaffConversation view actions scrolled />
                        }
                            .into_any()
                    }
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
        </Transition>
    }
}

#[component]
fn StaffConversation(
    view: StaffThreadView,
    actions: Actions,
    scrolled: StoredValue<bool>,
) -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let location = leptos_router::hooks::use_location();
    Effect::new(move |_| {
        if scrolled.get_value() {
            return;
        }
        scrolled.set_value(true);
        if location.hash.get_untracked() == "#latest" {
            request_animation_frame(|| {
                if let Some(el) = document().get_element_by_id("latest") {
                    el.scroll_into_view();
                }
            });
        }
    });
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
        <Colleagues thread_id=id />
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
            <div class="staff-thread-controls">
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
            </div>
            <div class="staff-thread-main">
                <MessageList messages=view.messages.clone() />
                {view
                    .can_manage
                    .then(|| {
                        let seen_up_to = view
                            .messages
                            .iter()
                            .filter(|m| m.kind == MessageKind::Message)
                            .map(|m| m.id)
                            .max()
                            .unwrap_or(0);
                        let q = query.read_untracked();
                        let start = Start::from_query(
                            q.get("body"),
                            q.get("saved_reply"),
                            q.get("is_internal_note"),
                            &view.saved_replies,
                        );
                        view! {
                            <Composer
                                thread_id=id
                                seen_up_to
                                action=actions.reply
                                reported=actions.reply_sent
                                draft=actions.draft
                                noting=actions.noting
                                saved_replies=view.saved_replies.clone()
                                mentionable=view.mentionable.clone()
                                start
                            />
                        }
                    })}
            </div>
            <aside class="staff-thread-side" aria-label="Conversation details">
                <FollowForm thread_id=id following=view.following action=actions.follow />
                <MarkUnreadForm thread_id=id />
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
                {view
                    .can_manage
                    .then(|| view! { <TrashForms thread_id=id trashed=view.trashed actions /> })}
            </aside>
        </div>
    }
}

/// "Mark unread": the conversation turns bold in the viewer's inbox again.
#[component]
fn MarkUnreadForm(thread_id: i64) -> impl IntoView {
    let action = ServerAction::<crate::api::staff::MarkUnread>::new();
    view! {
        <ActionForm action attr:class="inline-form mark-unread">
            <input type="hidden" name="thread_id" value=thread_id.to_string() />
            <button type="submit" class="link-button">
                "Mark unread"
            </button>
        </ActionForm>
    }
}
