//! The users page: accounts, their rights, and disabling them. Admins only.
// Form actions take one argument per form field.
#![allow(clippy::too_many_arguments)]
use leptos::prelude::*;

use crate::error::AppError;
use crate::routes::page;
use crate::routes::{path_of, Action, ShownOn::Page};

/// One page of accounts: admins only.
#[server(prefix = "/api/pigeon", endpoint = "admin/users")]
pub async fn load_users(
    q: Option<String>,
    cursor: Option<String>,
) -> Result<crate::model::admin::UsersPage, AppError> {
    use crate::backend::web::page_status;
    use crate::backend::{auth::permissions, service::accounts, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login()
        .await
        .map_err(page_status::reflect)?;
    accounts::list_users(
        &state.db,
        &viewer,
        q.as_deref().unwrap_or(""),
        cursor.as_deref().unwrap_or(""),
    )
    .await
    .map_err(page_status::reflect)
}

/// Reads the permission boxes of a users-page form.
#[cfg(feature = "ssr")]
fn checked_permissions(
    access: Option<String>,
    manage_threads: Option<String>,
    assign_threads: Option<String>,
    manage_settings: Option<String>,
) -> Result<crate::model::viewer::Permissions, AppError> {
    let on = |field: &str, v: Option<String>| super::ticked(field, v.as_deref());
    Ok(crate::model::viewer::Permissions {
        access: on("access", access)?,
        manage_threads: on("manage_threads", manage_threads)?,
        assign_threads: on("assign_threads", assign_threads)?,
        manage_settings: on("manage_settings", manage_settings)?,
    })
}

/// Creates an account (verified from the start) with the chosen rights: admins only.
#[server(prefix = "/actions/pigeon", endpoint = "admin/users/create")]
pub async fn create_account(
    name: String,
    email: String,
    password: String,
    is_admin: Option<String>,
    access: Option<String>,
    manage_threads: Option<String>,
    assign_threads: Option<String>,
    manage_settings: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::{auth::permissions, service::accounts, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    if !viewer.is_admin {
        return Err(AppError::Forbidden);
    }
    let account = accounts::StaffAccount {
        email,
        name,
        password,
        is_admin: super::ticked("is_admin", is_admin.as_deref())?,
        permissions: checked_permissions(access, manage_threads, assign_threads, manage_settings)?,
    };
    accounts::create_user(&state.db, &account).await?;
    leptos_axum::redirect("/admin/users?notice=user-created");
    Ok(())
}
crate::declare_action!(
    /// The form action of `create_account`.
    CREATE_ACCOUNT = Action::site(path_of::<CreateAccount>(), Page(page::USERS))
);

/// Replaces an account's admin flag and permissions: admins only.
#[server(prefix = "/actions/pigeon", endpoint = "admin/users/access")]
pub async fn update_user_access(
    user_id: i64,
    is_admin: Option<String>,
    access: Option<String>,
    manage_threads: Option<String>,
    assign_threads: Option<String>,
    manage_settings: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::{auth::permissions, service::accounts, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    let perms = checked_permissions(access, manage_threads, assign_threads, manage_settings)?;
    let admin = super::ticked("is_admin", is_admin.as_deref())?;
    accounts::update_access(&state.db, &viewer, user_id, admin, perms).await?;
    leptos_axum::redirect("/admin/users?notice=user-updated");
    Ok(())
}
crate::declare_action!(
    /// The form action of `update_user_access`.
    USER_ACCESS = Action::site(path_of::<UpdateUserAccess>(), Page(page::USERS))
);

/// Disables an account (`disabled=true`; its sessions end at once) or enables it again.
#[server(prefix = "/actions/pigeon", endpoint = "admin/users/disable")]
pub async fn set_user_disabled(user_id: i64, disabled: String) -> Result<(), AppError> {
    use crate::backend::{auth::permissions, service::accounts, state::AppState};
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    let disabled = super::ticked("disabled", Some(&disabled))?;
    accounts::update_disabled(&state.db, &viewer, user_id, disabled).await?;
    leptos_axum::redirect("/admin/users?notice=user-updated");
    Ok(())
}
crate::declare_action!(
    /// The form action of `set_user_disabled`.
    USER_DISABLED = Action::site(path_of::<SetUserDisabled>(), Page(page::USERS))
);
