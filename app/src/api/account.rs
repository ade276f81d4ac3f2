//! Login, logout and registration actions.
use leptos::prelude::*;

use crate::error::AppError;
use crate::routes::page;
use crate::routes::{path_of, Action, ShownOn::Page};

/// Logs in with email and password; starts a fresh session.
#[server(prefix = "/actions/pigeon", endpoint = "account/login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::backend::auth::session;
    use crate::backend::service::accounts;
    use crate::backend::state::AppState;
    use crate::backend::web::client_ip;
    let state = AppState::from_context()?;
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    let user = accounts::login(&state.db, &email, &password, &client_ip::current()).await?;
    let cookie = session::start(&state, session::token_from(&parts.headers), user.id).await?;
    session::set_cookie(cookie);
    let home = if user.to_viewer().is_staff() {
        "/admin?notice=welcome"
    } else {
        "/?notice=welcome"
    };
    let to = crate::backend::web::page_status::after_login(next.as_deref(), home);
    leptos_axum::redirect(&to);
    Ok(())
}
crate::declare_action!(
    /// The form action of `login`.
    LOGIN = Action::site(path_of::<Login>(), Page(page::LOGIN))
);

/// Ends the current session.
#[server(prefix = "/actions/pigeon", endpoint = "account/logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::backend::auth::session;
    use crate::backend::state::AppState;
    let state = AppState::from_context()?;
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    let cookie = session::end(&state, &parts.headers).await?;
    session::set_cookie(cookie);
    leptos_axum::redirect("/?notice=logged-out");
    Ok(())
}
crate::declare_action!(
    /// The form action of `logout`.
    LOGOUT = Action::site(path_of::<Logout>(), Page(page::HOME))
);

/// Creates a member account. The answer never tells whether the address was taken.
#[server(prefix = "/actions/pigeon", endpoint = "account/register")]
pub async fn register(name: String, email: String, password: String) -> Result<(), AppError> {
    use crate::backend::service::accounts;
    use crate::backend::state::AppState;
    use crate::backend::web::client_ip;
    let state = AppState::from_context()?;
    accounts::register(&state.db, &name, &email, &password, &client_ip::current()).await?;
    leptos_axum::redirect("/login?notice=registered");
    Ok(())
}
crate::declare_action!(
    /// The form action of `register`.
    REGISTER = Action::site(path_of::<Register>(), Page(page::REGISTER))
);

/// Emails a password-reset link if the address has an account; the answer is the same
/// either way.
#[server(prefix = "/actions/pigeon", endpoint = "account/forgot-password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    use crate::backend::service::account_links;
    use crate::backend::state::AppState;
    use crate::backend::web::client_ip;
    let state = AppState::from_context()?;
    account_links::request_reset(&state.db, &email, &client_ip::current()).await?;
    leptos_axum::redirect("/password/forgot?notice=reset-sent");
    Ok(())
}
crate::declare_action!(
    /// The form action of `forgot_password`.
    FORGOT_PASSWORD = Action::site(path_of::<ForgotPassword>(), Page(page::FORGOT_PASSWORD))
);

/// Whether a password-reset link can still be used.
#[server(prefix = "/api/pigeon", endpoint = "account/reset-link")]
pub async fn reset_link_valid(token: String) -> Result<bool, AppError> {
    use crate::backend::service::account_links;
    use crate::backend::state::AppState;
    let state = AppState::from_context()?;
    account_links::reset_link_valid(&state.db, &token).await
}

/// Sets a new password through an emailed link, ends every other session and logs in.
#[server(prefix = "/actions/pigeon", endpoint = "account/reset-password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    use crate::backend::auth::session;
    use crate::backend::service::{account_links, accounts};
    use crate::backend::state::AppState;
    let state = AppState::from_context()?;
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    let user_id = account_links::reset_password(&state.db, &token, &password).await?;
    let cookie = session::start(&state, session::token_from(&parts.headers), user_id).await?;
    session::set_cookie(cookie);
    let home = accounts::home_of(&state.db, user_id).await?;
    leptos_axum::redirect(&format!("{home}?notice=password-changed"));
    Ok(())
}
crate::declare_action!(
    /// The form action of `reset_password`.
    RESET_PASSWORD = Action::site(path_of::<ResetPassword>(), Page(page::HOME))
);

/// Confirms an email address from the emailed link; false when the link is dead.
#[server(prefix = "/api/pigeon", endpoint = "account/verify")]
pub async fn confirm_email(token: String) -> Result<bool, AppError> {
    use crate::backend::service::account_links;
    use crate::backend::state::AppState;
    let state = AppState::from_context()?;
    account_links::verify_email(&state.db, &token).await
}

/// Sends the address-confirmation email again to the logged-in member.
#[server(prefix = "/actions/pigeon", endpoint = "account/resend-verification")]
pub async fn resend_verification() -> Result<(), AppError> {
    use crate::backend::auth::permissions;
    use crate::backend::service::account_links;
    use crate::backend::state::AppState;
    let state = AppState::from_context()?;
    let viewer = permissions::require_login().await?;
    account_links::resend_verification(&state.db, viewer.id).await?;
    leptos_axum::redirect("/pigeon/threads?notice=verification-sent");
    Ok(())
}
crate::declare_action!(
    /// The form action of `resend_verification`.
    RESEND_VERIFICATION = Action::site(path_of::<ResendVerification>(), Page(page::HOME))
);

/// Whether a first-run setup code opens the setup page now.
#[server(prefix = "/api/pigeon", endpoint = "setup")]
pub async fn setup_code_valid(code: String) -> Result<bool, AppError> {
    use crate::backend::service::setup;
    use crate::backend::state::AppState;
    let state = AppState::from_context()?;
    setup::code_valid(&state.db, &code).await
}

/// Creates the first administrator through the setup link, and logs them in.
#[server(prefix = "/actions/pigeon", endpoint = "setup")]
pub async fn complete_setup(
    code: String,
    name: String,
    email: String,
    password: String,
) -> Result<(), AppError> {
    use crate::backend::auth::session;
    use crate::backend::service::setup::{self, FirstAdmin};
    use crate::backend::state::AppState;
    let state = AppState::from_context()?;
    let parts = use_context::<http::request::Parts>().ok_or(AppError::Internal)?;
    let form = FirstAdmin {
        code: &code,
        name: &name,
        email: &email,
        password: &password,
    };
    let id = setup::complete(&state.db, &form).await?;
    let cookie = session::start(&state, session::token_from(&parts.headers), id).await?;
    session::set_cookie(cookie);
    leptos_axum::redirect(&format!("{}?notice=welcome", page::DASHBOARD));
    Ok(())
}
crate::declare_action!(
    /// The form action of `complete_setup`.
    COMPLETE_SETUP = Action::site(path_of::<CompleteSetup>(), Page(page::SETUP))
);
