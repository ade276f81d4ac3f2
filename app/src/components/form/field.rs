//! A labelled input that keeps what was typed when a post without JavaScript failed.
use leptos::prelude::*;

use crate::model::form_echo::FormEcho;

/// One labelled input of the form posting to `action`.
#[component]
pub fn Field(
    /// Visible label.
    label: &'static str,
    /// Field name sent with the form.
    name: &'static str,
    /// Action path of the form, to find this form's echoed values.
    action: &'static str,
    /// Input type.
    #[prop(default = "text")]
    kind: &'static str,
    /// Autocomplete hint.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// Whether the field must be filled in.
    #[prop(optional)]
    required: bool,
    /// Hint under the field.
    #[prop(optional)]
    hint: Option<&'static str>,
) -> impl IntoView {
    let (value, invalid) = FormEcho::field_state(action, name);
    let id = format!("field-{name}");
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                required=required
                aria-invalid=invalid.then_some("true")
                aria-describedby=hint.map(|_| hint_id.clone())
            />
            {hint
                .map(|h| {
                    view! {
                        <p class="hint" id=hint_id.clone()>
                            {h}
                        </p>
                    }
                })}
        </div>
    }
}
