//! The form that starts a support or a direct conversation.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::account::ResendVerification;
use crate::api::threads::{find_members, StartThread};
use crate::components::form::field::Field;
use crate::components::form::file_field::FileField;
use crate::components::form::form_error::{action_error, FormError};
use crate::components::form::text_area::TextArea;
use crate::components::form::upload_form::{report_to, UploadForm};
use crate::components::layout::session::SessionContext;
use crate::model::form_echo::FormEcho;
use crate::routes::page;

const ACTION: &str = crate::api::threads::START_THREAD.path;
const RESEND: &str = crate::api::account::RESEND_VERIFICATION.path;

/// The start form, or for a member whose address is not confirmed yet, a way to get the
/// confirmation email again.
#[component]
pub fn StartForm() -> impl IntoView {
    let session = expect_context::<SessionContext>();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let verified = session
                    .info
                    .await
                    .ok()
                    .and_then(|i| i.viewer)
                    .is_none_or(|v| v.email_verified);
                let refused_post = use_context::<FormEcho>().is_some_and(|e| e.is_for(ACTION));
                if verified {
                    // A refused post keeps its text on screen, even before the address is confirmed.
                    view! { <StartThreadForm /> }
                        .into_any()
                } else if refused_post {
                    view! {
                        <ConfirmAddressFirst />
                        <StartThreadForm />
                    }
                        .into_any()
                } else {
                    view! { <ConfirmAddressFirst /> }.into_any()
                }
            })}
        </Suspense>
    }
}

#[component]
fn ConfirmAddressFirst() -> impl IntoView {
    let resend = ServerAction::<ResendVerification>::new();
    view! {
        <section class="card" aria-labelledby="confirm-heading">
            <h2 id="confirm-heading">"Confirm your email address"</h2>
            <p>
                "Please confirm your email address first: open the link we emailed you when you registered."
            </p>
            <FormError action=RESEND live=action_error(resend) />
            <ActionForm action=resend>
                <button type="submit" class="button">
                    "Email me a new link"
                </button>
            </ActionForm>
        </section>
    }
}

/// Support (to the team) or direct (to chosen members); recipients are found by name: as
/// they are typed with JavaScript, by a plain search form without it. Recipients chosen stay
/// chosen while the search changes.
#[component]
fn StartThreadForm() -> impl IntoView {
    let start = ServerAction::<StartThread>::new();
    let query = use_query_map();
    let typed = RwSignal::new(query.read_untracked().get("q").unwrap_or_default());
    let members = Resource::new(move || typed.get(), find_members);
    let chosen = RwSignal::new(Vec::<(i64, String)>::new());
    let echo = use_context::<FormEcho>().filter(|e| e.is_for(ACTION));
    let direct_checked = echo.as_ref().is_some_and(|e| e.value("kind") == "direct");
    view! {
        <section class="card" aria-labelledby="start-heading">
            <h2 id="start-heading">"Start a conversation"</h2>
            <form
                method="get"
                action=page::MEMBER_THREADS
                class="inline-search"
                role="search"
                on:submit=move |ev| {
                    if cfg!(feature = "hydrate") {
                        ev.prevent_default();
                    }
                }
            >
                <label for="member-search">"Find members by name"</label>
                <input
                    id="member-search"
                    type="search"
                    name="q"
                    autocomplete="off"
                    value=typed.get_untracked()
                    on:input=move |ev| typed.set(event_target_value(&ev))
                />
                <button type="submit" class="button">
                    "Search"
                </button>
            </form>
            <FormError action=ACTION live=action_error(start) />
            <UploadForm action=ACTION on_result=report_to(start)>
                <fieldset class="choice">
                    <legend>"Who is it for?"</legend>
                    <label>
                        <input type="radio" name="kind" value="support" checked=!direct_checked />
                        " The support team"
                    </label>
                    <label>
                        <input type="radio" name="kind" value="direct" checked=direct_checked />
                        " Members I choose"
                    </label>
                </fieldset>
                <Suspense>
                    {move || Suspend::new(async move {
                        let list = members.await.unwrap_or_default();
                        view! { <RecipientChoices list chosen /> }
                    })}
                </Suspense>
                <Field label="Subject" name="subject" action=ACTION hint="Optional." />
                <TextArea
                    label="Message"
                    name="body"
                    action=ACTION
                    required=true
                    id_prefix="start-"
                />
                <FileField id_prefix="start-" />
                <button type="submit" class="button primary">
                    "Send"
                </button>
            </UploadForm>
        </section>
    }
}

#[component]
fn RecipientChoices(
    list: Vec<(i64, String)>,
    chosen: RwSignal<Vec<(i64, String)>>,
) -> impl IntoView {
    // Those chosen before this search first, then the search's other matches.
    let mut shown = chosen.get_untracked();
    shown.extend(
        list.into_iter()
            .filter(|(id, _)| !chosen.with_untracked(|c| c.iter().any(|(x, _)| x == id))),
    );
    if shown.is_empty() {
        return view! { <p class="hint">"No members match that search."</p> }.into_any();
    }
    view! {
        <fieldset class="recipients">
            <legend>"Recipients (for a direct conversation)"</legend>
            {shown
                .into_iter()
                .map(|(id, name)| {
                    let was_chosen = chosen.with_untracked(|c| c.iter().any(|(x, _)| *x == id));
                    let who = name.clone();
                    view! {
                        <label>
                            <input
                                type="checkbox"
                                name=format!("recipients[u{id}]")
                                value=id.to_string()
                                checked=was_chosen
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen
                                        .update(|c| {
                                            c.retain(|(x, _)| *x != id);
                                            if on {
                                                c.push((id, who.clone()));
                                            }
                                        });
                                }
                            />
                            " "
                            {name}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
    .into_any()
}
