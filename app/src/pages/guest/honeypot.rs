//! The hidden field that people never see and robots fill in.
use leptos::prelude::*;

/// The honeypot input, when the site has it on.
#[component]
pub fn Honeypot(field: Option<String>) -> impl IntoView {
    field.map(|name| {
        view! {
            <div class="hp" aria-hidden="true">
                <label for="pigeon-hp">"Leave this field empty"</label>
                <input
                    id="pigeon-hp"
                    type="text"
                    name=name
                    tabindex="-1"
                    autocomplete="off"
                    value=""
                />
            </div>
        }
    })
}
