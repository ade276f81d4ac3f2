//! The file field of a message form, with the site's rules as its hint. Once hydrated, the
//! chosen files are listed with their sizes, and a file the server would refuse is named
//! at once.
use leptos::prelude::*;

use crate::components::layout::session::SessionContext;
use crate::model::file_size::format_size;
use crate::model::thread::UploadRules;

/// The files chosen in a form, shared with its `UploadForm` (which clears them after a
/// successful post).
#[derive(Clone, Copy)]
pub struct ChosenFiles(pub RwSignal<Vec<(String, i64)>>);

/// What is wrong with the chosen files under these rules, if anything.
pub fn problem(rules: &UploadRules, files: &[(String, i64)]) -> Option<String> {
    if files.len() as i64 > rules.max_files {
        return Some(format!(
            "Choose at most {} files for one message.",
            rules.max_files
        ));
    }
    for (name, size) in files {
        let ext = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        if !rules.extensions.contains(&ext) {
            return Some(format!(
                "\u{201c}{name}\u{201d} cannot be attached: allowed are {}.",
                rules.extensions.join(", ")
            ));
        }
        if *size > rules.max_mb * 1_000_000 {
            return Some(format!(
                "\u{201c}{name}\u{201d} is larger than {} MB, the most one file may be.",
                rules.max_mb
            ));
        }
    }
    None
}

/// The `attachments[]` input, when the site takes files.
#[component]
pub fn FileField(
    /// Distinguishes two forms of one page.
    #[prop(default = "")]
    id_prefix: &'static str,
) -> impl IntoView {
    let session = expect_context::<SessionContext>();
    let chosen = use_context::<ChosenFiles>().unwrap_or(ChosenFiles(RwSignal::new(Vec::new())));
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let rules = session.info.await.map(|i| i.uploads).unwrap_or_default();
                rules.enabled.then(|| view! { <FileInput rules chosen id_prefix /> })
            })}
        </Suspense>
    }
}

#[component]
fn FileInput(rules: UploadRules, chosen: ChosenFiles, id_prefix: &'static str) -> impl IntoView {
    let id = format!("{id_prefix}field-attachments");
    let hint_id = format!("{id}-hint");
    let accept = rules
        .extensions
        .iter()
        .map(|e| format!(".{e}"))
        .collect::<Vec<_>>()
        .join(",");
    let hint = format!(
        "Up to {} files of at most {} MB each: {}.",
        rules.max_files,
        rules.max_mb,
        rules.extensions.join(", ")
    );
    // `try_`: the form's answer empties the list, maybe after the form was drawn anew.
    let warning = move || chosen.0.try_with(|files| problem(&rules, files)).flatten();
    let warned = warning.clone();
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let picked = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| input.files())
                .map(|list| {
                    (0..list.length())
                        .filter_map(|i| list.get(i))
                        .map(|f| (f.name(), f.size() as i64))
                        .collect()
                })
                .unwrap_or_default();
            chosen.0.set(picked);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    view! {
        <div class="field">
            <label for=id.clone()>"Attach files"</label>
            <input
                id=id
                type="file"
                name="attachments[]"
                multiple=true
                accept=accept
                aria-describedby=hint_id.clone()
                on:change=on_change
            />
            <p class="hint" id=hint_id>
                {hint}
            </p>
            <Show when=move || chosen.0.try_with(|c| !c.is_empty()).unwrap_or(false)>
                <ul class="chosen-files" aria-label="Chosen files">
                    {move || {
                        chosen
                            .0
                            .try_get()
                            .unwrap_or_default()
                            .into_iter()
                            .map(|(name, size)| {
                                view! {
                                    <li>
                                        {name} " "
                                        <span class="file-size">{format_size(size)}</span>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </Show>
            <Show when=move || warned().is_some()>
                <p class="form-error" role="alert">
                    {warning.clone()}
                </p>
            </Show>
        </div>
    }
}
