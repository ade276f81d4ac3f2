//! `/pigeon/threads/<id>`: a conversation for its participants.
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::threads::{load_thread, Leave, Mute, Reply};
use crate::components::form::text_area::Draft;
use crate::components::form::upload_form::report_to;
use crate::components::layout::refused::Refused;
use crate::components::layout::session::SessionContext;
use crate::components::live::{Live, LiveStatus};
use crate::components::thread::message_list::MessageList;
use crate::components::thread::reply_form::ReplyForm;
use crate::error::AppError;
use crate::model::thread::ThreadView;
use crate::pages::not_found::NotFound;
use crate::routes::page;

/// The conversation, read receipts, reply form, mute and leave.
#[component]
pub fn ThreadPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let reply = ServerAction::<Reply>::new();
    let reply_sent = report_to(reply);
    let mute = ServerAction::<Mute>::new();
    // The change the data on screen was read at.
    let shown = RwSignal::new(0i64);
    let leave = ServerAction::<Leave>::new();
    let ticks = Live::get()
        .map(|l| l.ticks_for(Signal::derive(move || Some(id())), shown.into()))
        .unwrap_or_else(|| RwSignal::new(0));
    let draft = Draft::new();
    let thread = Resource::new(
        move || {
            (
                id(),
                reply.version().get(),
                mute.version().get(),
                ticks.get(),
            )
        },
        |(id, ..)| load_thread(id),
    );
    let session = expect_context::<SessionContext>();
    // Loading from the app marks the thread read: refresh the header's unread count.
    Effect::new(move |_| {
        if let Some(Ok(view)) = thread.get() {
            if view.summary.unread {
                session.refresh.update(|n| *n += 1);
            }
        }
    });
    view! {
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
                            <Conversation view reply reply_sent mute leave draft />
                        }
                            .into_any()
                    }
                    Err(error @ AppError::Unauthorized) => {
                        view! { <Refused error purpose="read this conversation" /> }.into_any()
                    }
                    Err(_) => view! { <NotFound /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Conversation(
    view: ThreadView,
    reply: ServerAction<Reply>,
    reply_sent: Callback<Result<(), AppError>>,
    mute: ServerAction<Mute>,
    leave: ServerAction<Leave>,
    draft: Draft,
) -> impl IntoView {
    let id = view.summary.id;
    let status = view.summary.status;
    // On their own support conversation a member reads the customer's words.
    let status_label = if view.summary.kind == crate::model::thread::ThreadKind::Support {
        status.customer_label()
    } else {
        status.label()
    };
    let (mute_label, mute_value) = if view.muted {
        ("Turn email notifications on", "false")
    } else {
        ("Mute email notifications", "true")
    };
    view! {
        <p class="back">
            <a href=page::MEMBER_THREADS>"← All conversations"</a>
        </p>
        <h1>{view.summary.subject}</h1>
        <p class="thread-meta">
            <span class=format!("status status-{}", status.as_str())>{status_label}</span>
            " · With "
            {view.participants.join(", ")}
        </p>
        <MessageList messages=view.messages />
        <ReplyForm thread_id=id action=reply reported=reply_sent draft />
        <div class="thread-actions">
            <ActionForm action=mute attr:class="inline-form">
                <input type="hidden" name="thread_id" value=id.to_string() />
                <input type="hidden" name="muted" value=mute_value />
                <button type="submit" class="button">
                    {mute_label}
                </button>
            </ActionForm>
            <ActionForm action=leave attr:class="inline-form">
                <input type="hidden" name="thread_id" value=id.to_string() />
                <button type="submit" class="button">
                    "Leave conversation"
                </button>
            </ActionForm>
        </div>
    }
}
