//! The error of a form: from the last post without JavaScript, or the hydrated action.
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::form_echo::FormEcho;

/// Shows why the form posting to `action` failed, as an alert.
#[component]
pub fn FormError(
    /// Action path of the form.
    action: &'static str,
    /// The hydrated action's latest error.
    live: Signal<Option<AppError>>,
) -> impl IntoView {
    let echoed = use_context::<FormEcho>()
        .filter(|e| e.is_for(action))
        .and_then(|e| e.error);
    // Read with `try_`: under a `<Transition>` a form whose part of the page is being drawn
    // anew stays on screen a moment after its signals are gone, and may still hear its
    // action (a page-level signal) change.
    let message = move || {
        live.try_get()
            .flatten()
            .or_else(|| echoed.clone())
            .map(|e| e.to_string())
    };
    let shown = message.clone();
    view! {
        <Show when=move || shown().is_some()>
            <p class="form-error" role="alert">
                {message.clone()}
            </p>
        </Show>
    }
}

/// The latest error of a server action, as a signal for `FormError`.
pub fn action_error<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
{
    let value = action.value();
    Signal::derive(move || value.try_get().flatten().and_then(|r| r.err()))
}
