//! Staff pages' data.
// Form actions take one argument per form field.
#![allow(clippy::too_many_arguments)]
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::session::DashboardInfo;
use crate::routes::page;
use crate::routes::{path_of, Action, ShownOn::Page};

/// The staff dashboard: staff only.
#[server(prefix = "/api/pigeon", endpoint = "admin/dashboard")]
pub async fn dashboard() -> Result<DashboardInfo, AppError> {
    use crate::backend::{auth::permissions, web::page_status};
    use crate::model::viewer::Permission;
    let viewer = permissions::require_staff()
        .await
        .map_err(page_status::reflect)?;
    let permissions = Permission::ALL
        .into_iter()
        .filter(|p| viewer.can(*p))
        .map(|p| p.as_str().to_string())
        .collect();
    let awaiting = if viewer.can(Permission::Access) {
        use crate::backend::{service::staff_threads, state::AppState};
        let state = AppState::from_context()?;
        Some(staff_threads::awaiting(&state.db, &viewer, 8).await?)
    } else {
        None
    };
    Ok(DashboardInfo {
        viewer,
        permissions,
        awaiting,
    })
}

/// The mail queue: admins only.
#[server(prefix = "/api/pigeon", endpoint = "admin/outbox")]
pub async fn outbox_overview() -> Result<crate::model::outbox::OutboxOverview, AppError> {
    use crate::backend::{auth::permissions, service::outbox, state::AppState, web::page_status};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login()
        .await
        .map_err(page_status::reflect)?;
    if !viewer.is_admin {
        return Err(page_status::reflect(AppError::Forbidden));
    }
    outbox::overview(&state.db).await
}

/// Puts one failed email (or all, without an id) back in the queue: admins only.
#[server(prefix = "/actions/pigeon", endpoint = "admin/outbox/retry")]
pub async fn retry_outbox(id: Option<i64>) -> Result<(), AppError> {
    use crate::backend::{auth::permissions, service::outbox, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    if !viewer.is_admin {
        return Err(AppError::Forbidden);
    }
    outbox::retry(&state.db, id).await?;
    leptos_axum::redirect(page::OUTBOX);
    Ok(())
}
crate::declare_action!(
    /// The form action of `retry_outbox`.
    RETRY_OUTBOX = Action::site(path_of::<RetryOutbox>(), Page(page::OUTBOX))
);

/// The current settings: `manage_settings` only.
#[server(prefix = "/api/pigeon", endpoint = "admin/settings")]
pub async fn load_settings() -> Result<crate::model::admin::SettingsView, AppError> {
    use crate::backend::web::page_status;
    use crate::backend::{auth::permissions, settings, state::AppState};
    use crate::model::admin::SettingsView;
    use crate::model::viewer::Permission;
    let state = AppState::from_context()?;
    permissions::require(Permission::ManageSettings)
        .await
        .map_err(page_status::reflect)?;
    let current = settings::load(&state.db).await?;
    Ok(SettingsView {
        values: current
            .entries()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    })
}

/// Saves every setting at once (an unchecked box is "false"); nothing is saved unless all
/// are valid.
#[server(prefix = "/actions/pigeon", endpoint = "admin/settings")]
pub async fn save_settings(
    site_name: String,
    from_name: String,
    from_email: String,
    support_recipients: Option<String>,
    allow_guest_threads: Option<String>,
    allow_user_threads: Option<String>,
    staff_as_recipients: Option<String>,
    allow_registration: Option<String>,
    guest_token_lifetime_days: String,
    rate_limit_max: String,
    rate_limit_window_s: String,
    honeypot_enabled: Option<String>,
    honeypot_field: String,
    member_rate_limit_max: Option<String>,
    attachments_enabled: Option<String>,
    attachments_max_files: Option<String>,
    attachments_max_mb: Option<String>,
    attachments_extensions: Option<String>,
    upload_quota_sender_mb: Option<String>,
    upload_quota_thread_mb: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::{auth::permissions, settings, state::AppState};
    use crate::model::viewer::Permission;
    let state = AppState::from_context()?;
    permissions::require(Permission::ManageSettings).await?;
    let flag = |field: &str, v: Option<String>| {
        super::ticked(field, v.as_deref()).map(|on| on.to_string())
    };
    // Fields a form left out keep their current value.
    let current = settings::load(&state.db).await?;
    let or_current = |v: Option<String>, key: &str| {
        v.unwrap_or_else(|| {
            current
                .entries()
                .into_iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v)
                .unwrap_or_default()
        })
    };
    let pairs = [
        ("site_name", site_name),
        ("from_name", from_name),
        ("from_email", from_email),
        ("support_recipients", support_recipients.unwrap_or_default()),
        (
            "allow_guest_threads",
            flag("allow_guest_threads", allow_guest_threads)?,
        ),
        (
            "allow_user_threads",
            flag("allow_user_threads", allow_user_threads)?,
        ),
        (
            "staff_as_recipients",
            flag("staff_as_recipients", staff_as_recipients)?,
        ),
        (
            "allow_registration",
            flag("allow_registration", allow_registration)?,
        ),
        ("guest_token_lifetime_days", guest_token_lifetime_days),
        ("rate_limit_max", rate_limit_max),
        ("rate_limit_window_s", rate_limit_window_s),
        (
            "honeypot_enabled",
            flag("honeypot_enabled", honeypot_enabled)?,
        ),
        ("honeypot_field", honeypot_field),
        (
            "member_rate_limit_max",
            or_current(member_rate_limit_max, "member_rate_limit_max"),
        ),
        (
            "attachments_enabled",
            flag("attachments_enabled", attachments_enabled)?,
        ),
        (
            "attachments_max_files",
            or_current(attachments_max_files, "attachments_max_files"),
        ),
        (
            "attachments_max_mb",
            or_current(attachments_max_mb, "attachments_max_mb"),
        ),
        (
            "attachments_extensions",
            or_current(attachments_extensions, "attachments_extensions"),
        ),
        (
            "upload_quota_sender_mb",
            or_current(upload_quota_sender_mb, "upload_quota_sender_mb"),
        ),
        (
            "upload_quota_thread_mb",
            or_current(upload_quota_thread_mb, "upload_quota_thread_mb"),
        ),
    ];
    settings::save_all(&state.db, &pairs).await?;
    leptos_axum::redirect("/admin/pigeon/settings?notice=settings-saved");
    Ok(())
}
crate::declare_action!(
    /// The form action of `save_settings`.
    SAVE_SETTINGS = Action::site(path_of::<SaveSettings>(), Page(page::SETTINGS))
);

/// Incoming mail and what became of it (optionally one state): admins only.
#[server(prefix = "/api/pigeon", endpoint = "admin/inbound")]
pub async fn inbound_overview(
    only: Option<String>,
) -> Result<crate::model::inbound::InboundOverview, AppError> {
    use crate::backend::{auth::permissions, service::inbound, state::AppState, web::page_status};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login()
        .await
        .map_err(page_status::reflect)?;
    inbound::overview(&state, &viewer, only.as_deref())
        .await
        .map_err(page_status::reflect)
}

/// An admin's decision about a held message: `attach` (to `thread_id`), `start`,
/// `discard` or `retry`.
#[server(prefix = "/actions/pigeon", endpoint = "admin/inbound/decide")]
pub async fn decide_inbound(
    id: i64,
    choice: String,
    thread_id: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::service::inbound::{self, Decision};
    use crate::backend::{auth::permissions, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    let decision = match choice.as_str() {
        "attach" => {
            let thread = thread_id
                .as_deref()
                .map(|t| t.trim().trim_start_matches('#'))
                .and_then(|t| t.parse::<i64>().ok())
                .filter(|t| *t > 0)
                .ok_or_else(|| {
                    AppError::invalid("thread_id", "Enter the number of the conversation.")
                })?;
            Decision::Attach(thread)
        }
        "start" => Decision::Start,
        "discard" => Decision::Discard,
        "retry" => Decision::Retry,
        _ => {
            return Err(AppError::invalid(
                "choice",
                "Choose attach, start, discard or retry.",
            ))
        }
    };
    inbound::decide(&state, &viewer, id, decision).await?;
    leptos_axum::redirect(&format!("{}?notice=inbound-done", page::INBOUND));
    Ok(())
}
crate::declare_action!(
    /// The form action of `decide_inbound`.
    DECIDE_INBOUND = Action::site(path_of::<DecideInbound>(), Page(page::INBOUND))
);
