//! A form that can carry files: a plain `multipart/form-data` post without JavaScript; once
//! hydrated, sent in the background with a progress bar, the answer handed to the page.
use leptos::prelude::*;

use super::file_field::ChosenFiles;
use crate::error::AppError;

/// The form. `on_result` hears how each post ended; on success the page named by the
/// answer's `Location` is shown (with a full page load when `reload`).
#[component]
pub fn UploadForm(
    /// Action path.
    action: &'static str,
    #[prop(into)] on_result: Callback<Result<(), AppError>>,
    /// Load the next page in full (for pages that load their data once).
    #[prop(optional)]
    reload: bool,
    children: Children,
) -> impl IntoView {
    let chosen = ChosenFiles(RwSignal::new(Vec::new()));
    // A one-time key per message: a double click or a resent form posts once. A new key
    // after each message sent in the background.
    let key = RwSignal::new(submission_key());
    provide_context(chosen);
    let sending = RwSignal::new(false);
    let progress = RwSignal::new(0u32);
    let navigate = leptos_router::hooks::use_navigate();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            ev.prevent_default();
            if sending.get_untracked() {
                return;
            }
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            sending.set(true);
            progress.set(0);
            let navigate = navigate.clone();
            let sent_form = form.clone();
            send(&form, action, progress, move |outcome| {
                // A live page may have redrawn this form while it was sending: the answer
                // still reaches the page (`on_result`, made beside the page's action, not in
                // the form), whatever became of the form; nobody, if the page is gone.
                sending.try_set(false);
                match outcome {
                    Ok(location) => {
                        key.try_set(submission_key());
                        sent_form.reset();
                        chosen.0.try_set(Vec::new());
                        on_result.try_run(Ok(()));
                        match location {
                            Some(to) if reload => {
                                let _ = window().location().assign(&to);
                            }
                            Some(to) => navigate(&to, Default::default()),
                            None => {}
                        }
                    }
                    Err(e) => {
                        on_result.try_run(Err(e));
                    }
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, &navigate, reload, on_result, key);
    };
    // Read with `try_` here: the answer to a post sent in the background updates these after
    // the form may have been drawn anew (a live page under a `<Transition>` keeps the old form
    // on screen a moment after its signals are gone).
    view! {
        <form
            method="post"
            action=action
            enctype="multipart/form-data"
            on:submit=on_submit
            aria-busy=move || sending.try_get().unwrap_or(false).then_some("true")
        >
            <input
                type="hidden"
                name="submission_key"
                value=move || key.try_get().unwrap_or_default()
            />
            {children()}
            <Show when=move || sending.try_get().unwrap_or(false)>
                <div class="upload-progress" role="status">
                    <progress
                        max="100"
                        value=move || progress.try_get().unwrap_or(0).to_string()
                        aria-label="Sending"
                    ></progress>
                    " "
                    {move || format!("Sending… {}%", progress.try_get().unwrap_or(0))}
                </div>
            </Show>
        </form>
    }
}

/// Reports a background post's outcome to a server action, as if the action had run it:
/// its value is set and, on success (or a refusal for newer messages), its version moves on
/// (so the page reloads its data). Make it in the component that makes the action: a
/// callback made inside a part of the page that is redrawn would be gone when the answer
/// comes.
pub fn report_to<S>(action: ServerAction<S>) -> Callback<Result<(), AppError>>
where
    S: leptos::server_fn::ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
{
    Callback::new(move |result: Result<(), AppError>| {
        // A reply refused for newer messages reloads the page's data too, to show them.
        let reload = matches!(result, Ok(()) | Err(AppError::NewerMessages { .. }));
        action.value().set(Some(result));
        if reload {
            action.version().update(|v| *v += 1);
        }
    })
}

/// Posts the form's data with `Accept: application/json`; `done` gets the answer's
/// `Location` or its error.
#[cfg(feature = "hydrate")]
fn send(
    form: &web_sys::HtmlFormElement,
    action: &str,
    progress: RwSignal<u32>,
    done: impl FnOnce(Result<Option<String>, AppError>) + 'static,
) {
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    const UNSENT: &str = "The message did not reach the server. Check your connection and \
                          the size of the files, then try again.";
    let done = Rc::new(RefCell::new(Some(done)));
    let report = {
        let done = done.clone();
        move |outcome| {
            if let Some(done) = done.borrow_mut().take() {
                done(outcome);
            }
        }
    };
    let (Ok(data), Ok(xhr)) = (
        web_sys::FormData::new_with_form(form),
        web_sys::XmlHttpRequest::new(),
    ) else {
        report(Err(AppError::invalid("", UNSENT)));
        return;
    };
    if xhr.open("POST", action).is_err() {
        report(Err(AppError::invalid("", UNSENT)));
        return;
    }
    let _ = xhr.set_request_header("Accept", "application/json");
    if let Ok(upload) = xhr.upload() {
        let on_progress =
            Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                if e.length_computable() && e.total() > 0.0 {
                    progress.try_set((e.loaded() / e.total() * 100.0).round() as u32);
                }
            });
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        on_progress.forget();
    }
    let finish = Rc::new({
        let xhr = xhr.clone();
        let report = report.clone();
        move |reached: bool| {
            let status = xhr.status().unwrap_or(0);
            if !reached || status == 0 {
                report(Err(AppError::invalid("", UNSENT)));
            } else if (200..300).contains(&status) {
                report(Ok(xhr.get_response_header("Location").ok().flatten()));
            } else {
                let body = xhr.response_text().ok().flatten().unwrap_or_default();
                report(Err(
                    serde_json::from_str::<AppError>(&body).unwrap_or(AppError::Internal)
                ));
            }
        }
    });
    let loaded = finish.clone();
    let on_load = Closure::once_into_js(move || loaded(true));
    let on_error = Closure::once_into_js(move || finish(false));
    xhr.set_onload(Some(on_load.unchecked_ref()));
    xhr.set_onerror(Some(on_error.unchecked_ref()));
    if xhr.send_with_opt_form_data(Some(&data)).is_err() {
        report(Err(AppError::invalid("", UNSENT)));
    }
}

/// A fresh random submission key: 128 bits as 32 hex digits.
fn submission_key() -> String {
    #[cfg(feature = "ssr")]
    let bits: u128 = rand::random();
    #[cfg(not(feature = "ssr"))]
    let bits: u128 = {
        let mut bytes = [0u8; 16];
        #[cfg(feature = "hydrate")]
        if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
            let _ = crypto.get_random_values_with_u8_array(&mut bytes);
        }
        u128::from_le_bytes(bytes)
    };
    format!("{bits:032x}")
}

/// Empties a message field and its kept draft when `action` succeeds anew: a new success,
/// not the last one seen again when the form is drawn anew (a live page redraws it).
pub fn empty_when_sent<S>(
    action: ServerAction<S>,
    draft: super::text_area::Draft,
    field: NodeRef<leptos::html::Textarea>,
) where
    S: leptos::server_fn::ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
{
    Effect::new(move |before: Option<usize>| {
        let version = action.version().get();
        let sent = matches!(action.value().get_untracked(), Some(Ok(())));
        if before.is_some_and(|b| b != version) && sent {
            draft.clear();
            if let Some(area) = field.get_untracked() {
                area.set_value("");
            }
        }
        version
    });
}
