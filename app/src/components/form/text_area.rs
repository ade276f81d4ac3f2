//! A labelled multi-line field that keeps what was typed when a post without JavaScript
//! failed.
use leptos::html::Textarea;
use leptos::prelude::*;

use crate::model::form_echo::FormEcho;

/// One labelled textarea of the form posting to `action`.
#[component]
pub fn TextArea(
    label: &'static str,
    name: &'static str,
    action: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] node_ref: Option<NodeRef<Textarea>>,
    /// Distinguishes two forms of one page.
    #[prop(default = "")]
    id_prefix: &'static str,
    /// Told the text as it is typed.
    #[prop(optional)]
    on_input: Option<Callback<String>>,
) -> impl IntoView {
    let (value, invalid) = FormEcho::field_state(action, name);
    let id = format!("{id_prefix}field-{name}");
    let node_ref = node_ref.unwrap_or_default();
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <textarea
                id=id
                name=name
                required=required
                rows="6"
                node_ref=node_ref
                aria-invalid=invalid.then_some("true")
                on:input=move |ev| {
                    if let Some(told) = on_input {
                        told.run(event_target_value(&ev));
                    }
                }
            >
                {value}
            </textarea>
        </div>
    }
}
