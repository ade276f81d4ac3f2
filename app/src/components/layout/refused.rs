//! What an admins-only page shows instead of its data: a way to log in, or why not.
use leptos::prelude::*;

use crate::error::AppError;
use crate::routes::page;

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
