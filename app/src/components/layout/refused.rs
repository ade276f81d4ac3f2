//! What a page shows instead of data it could not load: a way to log in, or why not.
use leptos::prelude::*;

use crate::error::AppError;
use crate::routes::page;

/// The refusal of a page's data. A visitor is offered to log in ("Log in to `purpose`.");
/// anyone else is told why. With a `heading`, it stands in a card of its own, for pages
/// whose heading comes with their data.
#[component]
pub fn Refused(
    error: AppError,
    /// What logging in is for: "manage users".
    purpose: &'static str,
    /// The card's heading when the refusal is not about logging in.
    #[prop(optional)]
    heading: Option<&'static str>,
) -> impl IntoView {
    let (title, body) = match error {
        AppError::Unauthorized => (
            "Please log in",
            view! {
                <p>
                    <a href=page::LOGIN>"Log in"</a>
                    {format!(" to {purpose}.")}
                </p>
            }
            .into_any(),
        ),
        e => (
            heading.unwrap_or_default(),
            view! {
                <p class="form-error" role="alert">
                    {e.to_string()}
                </p>
            }
            .into_any(),
        ),
    };
    match heading {
        Some(_) => view! {
            <section class="card narrow">
                <h1>{title}</h1>
                {body}
            </section>
        }
        .into_any(),
        None => body,
    }
}

/// The refusal of an admins-only page's data.
#[component]
pub fn AdminsOnly(error: AppError) -> impl IntoView {
    match error {
        AppError::Unauthorized => view! {
            <p>
                <a href=page::LOGIN>"Log in"</a>
            </p>
        }
        .into_any(),
        e => view! {
            <section class="card narrow">
                <h2>"Admins only"</h2>
                <p>{e.to_string()}</p>
            </section>
        }
        .into_any(),
    }
}
