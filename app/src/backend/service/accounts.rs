//! Accounts: registration, login, staff creation, permissions, disabling.
use super::rate_limit::{self, LOGIN_PER_ACCOUNT, LOGIN_PER_IP, REGISTER_PER_IP};
use crate::backend::auth::password;
use crate::backend::db::{self, now_ms, users::NewUser, users::UserRow, Db};
use crate::backend::settings;
use crate::backend::validate;
use crate::error::AppError;
use crate::model::viewer::{Permissions, Viewer};
use crate::routes::page;

/// The one message for every failed login, whatever the reason.
pub const LOGIN_FAILED: &str = "That email and password do not match an active account.";

/// Creates a member account. The answer is the same whether or not the address already
/// had an account, so registration never tells who is registered.
pub async fn register(
    db: &Db,
    name: &str,
    email: &str,
    password_text: &str,
    client_ip: &str,
) -> Result<(), AppError> {
    if !settings::load(db).await?.allow_registration {
        return Err(AppError::invalid(
            "",
            "Registration is closed on this site.",
        ));
    }
    let name = validate::name("name", name)?;
    let email = validate::email("email", email)?;
    let password_text = validate::new_password("password", password_text)?;
    rate_limit::check(db, &format!("register:ip:{client_ip}"), REGISTER_PER_IP).await?;
    let hash = password::hash(&password_text).await?;
    let mut tx = db.write().await?;
    let created = db::users::insert(
        &mut tx,
        &NewUser {
            email: &email,
            name: &name,
            password_hash: &hash,
            is_admin: false,
            permissions: Permissions::default(),
            email_verified: false,
            created_at: now_ms(),
        },
    )
    .await?;
    if let Some(id) = created {
        // The confirmation email is queued with the account, in the same transaction.
        db::outbox::enqueue_for_user(
            &mut tx,
            crate::backend::auth::links::VERIFY,
            None,
            id,
            now_ms(),
        )
        .await?;
    }
    tx.commit().await?;
    match created {
        Some(id) => tracing::info!(user_id = id, "member registered"),
        None => tracing::info!("registration for an address that already has an account"),
    }
    Ok(())
}

/// Checks credentials under per-address and per-account limits; the same error and the
/// same work for an unknown address, a wrong password and a disabled account.
pub async fn login(
    db: &Db,
    email: &str,
    password_text: &str,
    client_ip: &str,
) -> Result<UserRow, AppError> {
    let email = email.trim().to_lowercase();
    if email.is_empty() || password_text.is_empty() {
        return Err(AppError::invalid(
            "",
            "Please enter your email address and password.",
        ));
    }
    // Only failures count, so people sharing an address (an office, a school) who log in
    // correctly never lock each other out; guessing is still capped per address and account.
    let ip_bucket = format!("login:ip:{client_ip}");
    let account_bucket = format!("login:account:{email}");
    rate_limit::ensure_below(db, &ip_bucket, LOGIN_PER_IP).await?;
    rate_limit::ensure_below(db, &account_bucket, LOGIN_PER_ACCOUNT).await?;
    let user = db::users::find_by_email(db.reader(), &email).await?;
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let matches = password::verify(stored, password_text).await;
    match user {
        Some(u) if matches && !u.disabled => Ok(u),
        _ => {
            rate_limit::count_failure(db, &ip_bucket, LOGIN_PER_IP).await?;
            rate_limit::count_failure(db, &account_bucket, LOGIN_PER_ACCOUNT).await?;
            Err(AppError::invalid("", LOGIN_FAILED))
        }
    }
}

/// A user created by an administrator (command line or admin page): verified from the start.
#[derive(Debug, Clone)]
pub struct StaffAccount {
    pub email: String,
    pub name: String,
    pub password: String,
    pub is_admin: bool,
    pub permissions: Permissions,
}

/// Creates an account as an administrator; returns its id.
pub async fn create_user(db: &Db, account: &StaffAccount) -> Result<i64, AppError> {
    let name = validate::name("name", &account.name)?;
    let email = validate::email("email", &account.email)?;
    let password_text = validate::new_password("password", &account.password)?;
    let hash = password::hash(&password_text).await?;
    let new = NewUser {
        email: &email,
        name: &name,
        password_hash: &hash,
        is_admin: account.is_admin,
        permissions: account.permissions,
        email_verified: true,
        created_at: now_ms(),
    };
    db::users::insert(&mut db.write_single().await?, &new)
        .await?
        .ok_or_else(|| AppError::Conflict("A user with that email address already exists.".into()))
}

/// Replaces a user's admin flag and permissions.
pub async fn set_permissions(
    db: &Db,
    user_id: i64,
    is_admin: bool,
    permissions: Permissions,
) -> Result<(), AppError> {
    if db::users::set_permissions(
        &mut db.write_single().await?,
        user_id,
        is_admin,
        permissions,
    )
    .await?
    {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Disables (or re-enables) an account; disabling ends its sessions at once.
pub async fn set_disabled(db: &Db, user_id: i64, disabled: bool) -> Result<(), AppError> {
    let mut tx = db.write().await?;
    if !db::users::set_disabled(&mut tx, user_id, disabled).await? {
        return Err(AppError::NotFound);
    }
    if disabled {
        db::sessions::delete_for_user(&mut tx, user_id).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Changes a password and ends every session of the account.
pub async fn change_password(db: &Db, user_id: i64, new_password: &str) -> Result<(), AppError> {
    let new_password = validate::new_password("password", new_password)?;
    let hash = password::hash(&new_password).await?;
    let mut tx = db.write().await?;
    if !db::users::set_password_hash(&mut tx, user_id, &hash).await? {
        return Err(AppError::NotFound);
    }
    db::sessions::delete_for_user(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Accounts on one page of `/admin/users`.
pub const USERS_PAGE: i64 = 50;

/// One page of accounts for an administrator.
pub async fn list_users(
    db: &Db,
    viewer: &Viewer,
    query: &str,
    cursor: &str,
) -> Result<crate::model::admin::UsersPage, AppError> {
    use crate::model::admin::{UserListItem, UsersPage};
    if !viewer.is_admin {
        return Err(AppError::Forbidden);
    }
    let q: String = query.trim().chars().take(100).collect();
    let after = cursor.trim().parse::<i64>().unwrap_or(0);
    let mut rows = db::users::list(db.reader(), &q, after, USERS_PAGE + 1).await?;
    let next_cursor = if rows.len() as i64 > USERS_PAGE {
        rows.truncate(USERS_PAGE as usize);
        rows.last().map(|u| u.id.to_string())
    } else {
        None
    };
    Ok(UsersPage {
        users: rows
            .into_iter()
            .map(|u| UserListItem {
                user: u.to_viewer(),
                disabled: u.disabled,
                created_at: u.created_at,
            })
            .collect(),
        next_cursor,
        q,
        viewer_id: viewer.id,
    })
}

/// An administrator changes someone's admin flag and permissions. Nobody removes their own
/// admin rights, so that a site always keeps the admin who is changing it.
pub async fn update_access(
    db: &Db,
    viewer: &Viewer,
    user_id: i64,
    is_admin: bool,
    permissions: Permissions,
) -> Result<(), AppError> {
    if !viewer.is_admin {
        return Err(AppError::Forbidden);
    }
    if user_id == viewer.id && !is_admin {
        return Err(AppError::invalid(
            "is_admin",
            "You cannot remove your own admin rights. Ask another admin.",
        ));
    }
    set_permissions(db, user_id, is_admin, permissions).await
}

/// An administrator disables (or re-enables) an account; never their own.
pub async fn update_disabled(
    db: &Db,
    viewer: &Viewer,
    user_id: i64,
    disabled: bool,
) -> Result<(), AppError> {
    if !viewer.is_admin {
        return Err(AppError::Forbidden);
    }
    if user_id == viewer.id && disabled {
        return Err(AppError::invalid(
            "",
            "You cannot disable your own account.",
        ));
    }
    set_disabled(db, user_id, disabled).await
}

/// Where a user lands after signing in: the staff area for staff, the home page for others.
pub async fn home_of(db: &Db, user_id: i64) -> Result<&'static str, AppError> {
    let staff = db::users::find_by_id(db.reader(), user_id)
        .await?
        .is_some_and(|u| u.to_viewer().is_staff());
    Ok(if staff { page::DASHBOARD } else { "/" })
}
