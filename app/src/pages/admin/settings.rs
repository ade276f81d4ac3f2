//! `/admin/pigeon/settings`: every setting of SPEC §10, for staff with `manage_settings`.
//! Saved values apply on every instance at the next request; a mistake is named next to its
//! field and everything typed stays in the form.
use leptos::prelude::*;

use crate::api::admin::{load_settings, SaveSettings};
use crate::components::form::form_error::{action_error, FormError};
use crate::components::layout::refused::Refused;
use crate::model::admin::SettingsView;
use crate::model::form_echo::FormEcho;

const SAVE: &str = crate::api::admin::SAVE_SETTINGS.path;

/// How one setting is edited.
enum Input {
    Text(&'static str),
    Number(i64, i64),
    Flag,
    Lines,
}

/// Label, hint and input of each setting, in page order.
const FIELDS: [(&str, &str, &str, Input); 20] = [
    ("site_name", "Site name", "Shown in page titles and emails.", Input::Text("text")),
    ("from_name", "Sender name", "The name emails come from.", Input::Text("text")),
    ("from_email", "Sender address", "The address emails come from.", Input::Text("email")),
    (
        "support_recipients",
        "Alert these addresses about new messages",
        "One address per line, or separated by commas. Empty: every active member of staff who can manage threads.",
        Input::Lines,
    ),
    ("allow_guest_threads", "Visitors without an account can write in", "The public contact form.", Input::Flag),
    ("allow_user_threads", "Members can start conversations", "Support and direct threads from the member area.", Input::Flag),
    ("staff_as_recipients", "Members can message staff directly", "Offer staff accounts as direct-message recipients; otherwise members reach staff through support conversations.", Input::Flag),
    ("allow_registration", "People can register an account", "Staff can always create accounts.", Input::Flag),
    ("guest_token_lifetime_days", "Guest links work for (days)", "1 to 365; each use extends a link.", Input::Number(1, 365)),
    ("rate_limit_max", "Guest posts allowed per window", "Per client address and per email address.", Input::Number(1, 1_000_000)),
    ("rate_limit_window_s", "Rate-limit window (seconds)", "1 to 86400.", Input::Number(1, 86_400)),
    ("honeypot_enabled", "Use a hidden anti-spam field", "Posts that fill it in are dropped quietly.", Input::Flag),
    ("honeypot_field", "Name of the hidden field", "Letters, digits, - or _.", Input::Text("text")),
    ("member_rate_limit_max", "Member posts allowed per 5 minutes", "Messages and new conversations from one logged-in member.", Input::Number(1, 1_000_000)),
    ("attachments_enabled", "People can attach files to messages", "Each file's type is checked from its content as well as its name.", Input::Flag),
    ("attachments_max_files", "Most files per message", "1 to 20.", Input::Number(1, 20)),
    ("attachments_max_mb", "Largest file (MB)", "1 to 100.", Input::Number(1, 100)),
    (
        "attachments_extensions",
        "Allowed file extensions",
        "Separated by commas, from: jpg, jpeg, png, gif, webp, pdf, txt, csv, doc, docx, xls, xlsx, zip.",
        Input::Text("text"),
    ),
    ("upload_quota_sender_mb", "Files one sender may attach per day (MB)", "An account, or a client address for guests. 1 to 100000.", Input::Number(1, 100_000)),
    ("upload_quota_thread_mb", "Files one conversation may receive per day (MB)", "1 to 100000.", Input::Number(1, 100_000)),
];

/// The settings page.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let save = ServerAction::<SaveSettings>::new();
    let data = Resource::new(move || save.version().get(), |_| load_settings());
    view! {
        <h1>"Settings"</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(current) => view! { <SettingsForm current save /> }.into_any(),
                    Err(error) => view! { <Refused error purpose="change settings" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SettingsForm(current: SettingsView, save: ServerAction<SaveSettings>) -> impl IntoView {
    let echo = use_context::<FormEcho>().filter(|e| e.is_for(SAVE));
    let live = action_error(save);
    let fields = FIELDS
        .iter()
        .map(|(name, label, hint, input)| {
            let name = *name;
            let id = format!("setting-{name}");
            let hint_id = format!("{id}-hint");
            let shown = match &echo {
                Some(e) => e.value(name),
                None => current.get(name),
            };
            let echoed_invalid = echo
                .as_ref()
                .and_then(|e| e.error.as_ref())
                .is_some_and(|e| e.field() == Some(name));
            let invalid = move || {
                let live_bad = live.get().is_some_and(|e| e.field() == Some(name));
                (echoed_invalid || live_bad).then_some("true")
            };
            let control = match input {
                Input::Flag => {
                    let on = shown == "true" || shown == "on";
                    view! {
                        <label class="check" for=id.clone()>
                            <input
                                type="checkbox"
                                id=id.clone()
                                name=name
                                value="true"
                                checked=on
                                aria-describedby=hint_id.clone()
                            />
                            " "
                            {*label}
                        </label>
                    }
                    .into_any()
                }
                Input::Lines => view! {
                    <label for=id.clone()>{*label}</label>
                    <textarea
                        id=id.clone()
                        name=name
                        rows="3"
                        aria-invalid=invalid
                        aria-describedby=hint_id.clone()
                    >
                        {shown.replace(',', "\n")}
                    </textarea>
                }
                .into_any(),
                Input::Number(min, max) => view! {
                    <label for=id.clone()>{*label}</label>
                    <input
                        id=id.clone()
                        name=name
                        type="number"
                        min=*min
                        max=*max
                        value=shown
                        required=true
                        aria-invalid=invalid
                        aria-describedby=hint_id.clone()
                    />
                }
                .into_any(),
                Input::Text(kind) => view! {
                    <label for=id.clone()>{*label}</label>
                    <input
                        id=id.clone()
                        name=name
                        type=*kind
                        value=shown
                        required=true
                        aria-invalid=invalid
                        aria-describedby=hint_id.clone()
                    />
                }
                .into_any(),
            };
            view! {
                <div class="field">
                    {control} <p class="hint" id=hint_id>
                        {*hint}
                    </p>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="card">
            <FormError action=SAVE live=live />
            <ActionForm action=save>
                {fields}
                <button type="submit" class="button primary" disabled=move || save.pending().get()>
                    "Save settings"
                </button>
            </ActionForm>
        </section>
    }
}
