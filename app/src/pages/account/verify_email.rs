//! `/verify/<token>`: confirms the address a member registered with.
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::account::confirm_email;
use crate::routes::page;

/// Confirms the address, or explains how to get a new link.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let confirmed = Resource::new(token, confirm_email);
    view! {
        <section class="card narrow">
            <Suspense>
                {move || Suspend::new(async move {
                    if confirmed.await.unwrap_or(false) {
                        view! {
                            <h1>"Address confirmed"</h1>
                            <p role="status">
                                "Thank you: your email address is confirmed. You can now start conversations."
                            </p>
                            <p>
                                <a class="button primary" href=page::MEMBER_THREADS>
                                    "Go to my messages"
                                </a>
                            </p>
                        }
                            .into_any()
                    } else {
                        view! {
                            <h1>"This link no longer works"</h1>
                            <p>
                                "Confirmation links work for 7 days and only once. If your address is not confirmed yet, log in and ask for a new link from your messages page."
                            </p>
                            <p>
                                <a class="button primary" href=page::MEMBER_THREADS>
                                    "Go to my messages"
                                </a>
                            </p>
                        }
                            .into_any()
                    }
                })}
            </Suspense>
        </section>
    }
}
