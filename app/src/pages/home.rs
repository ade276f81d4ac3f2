//! The home page.
use leptos::prelude::*;

use crate::components::layout::session::SessionContext;
use crate::routes::page;

/// Links to what a visitor can do here.
#[component]
pub fn HomePage() -> impl IntoView {
    let session = expect_context::<SessionContext>();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let info = session.info.await.unwrap_or_default();
                let greeting = match &info.viewer {
                    Some(v) => format!("Hello, {}.", v.name),
                    None => "Questions? We answer.".to_string(),
                };
                view! {
                    <section class="hero">
                        <h1>{info.site_name.clone()}</h1>
                        <p class="lead">{greeting}</p>
                    </section>
                    <ul class="link-cards">
                        <li>
                            <a href=page::CONTACT>"Contact us"</a>
                            <span>" without an account: we answer by email"</span>
                        </li>
                        {info
                            .viewer
                            .is_none()
                            .then(|| {
                                view! {
                                    <li>
                                        <a href=page::LOGIN>"Log in"</a>
                                        <span>" to see your conversations"</span>
                                    </li>
                                }
                            })}
                        {(info.viewer.is_none() && info.registration_open)
                            .then(|| {
                                view! {
                                    <li>
                                        <a href=page::REGISTER>"Create an account"</a>
                                        <span>" to message the team and other members"</span>
                                    </li>
                                }
                            })}
                        {info
                            .viewer
                            .as_ref()
                            .filter(|v| v.is_staff())
                            .map(|_| {
                                view! {
                                    <li>
                                        <a href=page::DASHBOARD>"Open the staff dashboard"</a>
                                    </li>
                                }
                            })}
                    </ul>
                }
            })}
        </Suspense>
    }
}
