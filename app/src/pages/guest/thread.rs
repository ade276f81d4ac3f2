//! `/pigeon/t/<token>`: a guest's conversation through the emailed private link.
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::honeypot::Honeypot;
use super::request_link::RequestLinkForm;
use crate::api::guest::{contact_info, guest_seen, load_guest_thread};
use crate::components::form::file_field::FileField;
use crate::components::form::form_error::FormError;
use crate::components::form::text_area::{Draft, TextArea};
use crate::components::form::upload_form::UploadForm;
use crate::components::live::{live_path, Live, LiveStatus};
use crate::components::thread::message_list::MessageList;
use crate::error::AppError;
use crate::model::form_echo::FormEcho;
use crate::model::guest::GuestThreadView;

const ACTION: &str = crate::routes::GUEST_REPLY.path;

/// The conversation and a reply form, or, for a dead link, a way to get a new one (with any
/// reply that could not be sent kept on screen).
#[component]
pub fn GuestThreadPage() -> impl IntoView {
    let params = use_params_map();
    // The change the data on screen was read at.
    let shown = RwSignal::new(0i64);
    let token = move || params.read().get("token").unwrap_or_default();
    let ticks = Live::get()
        .map(|l| l.ticks_for(Signal::derive(|| None), shown.into()))
        .unwrap_or_else(|| RwSignal::new(0));
    let draft = Draft::new();
    // Made here, not in the conversation: a reply's answer still reaches a page redrawn
    // while it was being sent.
    let error = RwSignal::new(None::<AppError>);
    let reported = Callback::new(move |r: Result<(), AppError>| error.set(r.err()));
    let thread = Resource::new(
        move || (token(), ticks.get()),
        |(token, _)| load_guest_thread(token),
    );
    view! {
        <Transition>
            {move || Suspend::new(async move {
                match thread.await {
                    Ok(Some(view)) => {
                        shown.set(view.live_since);
                        if let Some(live) = Live::get() {
                            let own = live
                                .path
                                .with_untracked(|p| {
                                    p.as_deref().is_none_or(|p| p.contains("scope=guest"))
                                });
                            if own {
                                let path = live_path("guest", None, Some(&token()));
                                live.listen_at(path, view.live_since);
                            }
                        }
                        // A guest has no session to listen with: the link is the key.
                        view! {
                            <LiveStatus />
                            <GuestConversation view token=token() draft error reported />
                        }
                            .into_any()
                    }
                    Ok(None) => view! { <DeadLink /> }.into_any(),
                    Err(e) => {
                        view! {
                            <p class="form-error" role="alert">
                                {e.to_string()}
                            </p>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn GuestConversation(
    view: GuestThreadView,
    token: String,
    draft: Draft,
    error: RwSignal<Option<AppError>>,
    reported: Callback<Result<(), AppError>>,
) -> impl IntoView {
    let info = Resource::new(|| (), |_| contact_info());
    let status = view.status;
    // Only a browser that shows the page says it was seen (effects run after hydration).
    let seen_token = token.clone();
    Effect::new(move |_| {
        let token = seen_token.clone();
        leptos::task::spawn_local(async move {
            let _ = guest_seen(token).await;
        });
    });
    view! {
        <h1>{view.subject}</h1>
        <p class="thread-meta">
            <span class=format!(
                "status status-{}",
                status.as_str(),
            )>{status.customer_label()}</span>
            " · Your conversation with "
            {view.site_name}
        </p>
        <MessageList messages=view.messages token=token.clone() />
        <section class="card" aria-labelledby="reply-heading">
            <h2 id="reply-heading">"Reply"</h2>
            <FormError action=ACTION live=error.into() />
            <UploadForm action=ACTION on_result=reported reload=true>
                <input type="hidden" name="token" value=token />
                <TextArea label="Your message" name="body" action=ACTION required=true kept=draft />
                <FileField />
                <Suspense>
                    {move || Suspend::new(async move {
                        view! { <Honeypot field=info.await.ok().and_then(|i| i.honeypot_field) /> }
                    })}
                </Suspense>
                <button type="submit" class="button primary">
                    "Send reply"
                </button>
            </UploadForm>
        </section>
        <p class="aside">
            "This page's address is your private key to the conversation: do not share it."
        </p>
    }
}

#[component]
fn DeadLink() -> impl IntoView {
    let unsent = use_context::<FormEcho>()
        .filter(|e| e.is_for(ACTION))
        .map(|e| e.value("body"))
        .filter(|b| !b.trim().is_empty());
    view! {
        <section class="card narrow">
            <h1>"This link no longer works"</h1>
            <p>
                "Private links expire after a while without use, and staff can end them. Your conversation is still there: ask for a fresh link below."
            </p>
            {unsent
                .map(|text| {
                    view! {
                        <div class="field">
                            <label for="unsent">
                                "Your reply was not sent. Copy it before you leave this page:"
                            </label>
                            <textarea id="unsent" readonly rows="6">
                                {text}
                            </textarea>
                        </div>
                    }
                })}
            <RequestLinkForm />
        </section>
    }
}
