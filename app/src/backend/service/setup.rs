//! First run without a terminal (SPEC §16): while no administrator exists, `pigeon serve`
//! prints a one-time link (`/setup?code=…`); its page creates the first administrator. The
//! code is random (256 bits), kept only as a hash, works once, and every code is gone once
//! an administrator exists.
use crate::backend::auth::{password, session};
use crate::backend::db::{self, now_ms, users::NewUser, Db};
use crate::backend::validate;
use crate::error::AppError;
use crate::model::viewer::Permissions;

/// A fresh setup code when no administrator exists (replacing any earlier one); `None`
/// (and no code left) once one does.
pub async fn prepare(db: &Db) -> Result<Option<String>, AppError> {
    let mut tx = db.write().await?;
    if db::setup::admin_exists_in(&mut tx).await? {
        db::setup::clear(&mut tx).await?;
        tx.commit().await?;
        return Ok(None);
    }
    let (code, hash) = session::new_token();
    db::setup::replace(&mut tx, &hash, now_ms()).await?;
    tx.commit().await?;
    Ok(Some(code))
}

/// Whether `code` would open the setup page now.
pub async fn code_valid(db: &Db, code: &str) -> Result<bool, AppError> {
    if code.is_empty() || code.len() > 100 {
        return Ok(false);
    }
    let reader = db.reader();
    Ok(!db::setup::admin_exists(reader).await?
        && db::setup::exists(reader, &session::token_hash(code)).await?)
}

/// What the setup form says about the first administrator.
pub struct FirstAdmin<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub password: &'a str,
}

/// Creates the first administrator with the code; returns their id. A bad field leaves the
/// code usable; a used or unknown code, or an administrator made meanwhile, refuses.
pub async fn complete(db: &Db, form: &FirstAdmin<'_>) -> Result<i64, AppError> {
    let name = validate::name("name", form.name)?;
    let email = validate::email("email", form.email)?;
    let password_text = validate::new_password("password", form.password)?;
    if !code_valid(db, form.code).await? {
        return Err(dead_code());
    }
    let hash = password::hash(&password_text).await?;
    let mut tx = db.write().await?;
    if db::setup::admin_exists_in(&mut tx).await?
        || !db::setup::take(&mut tx, &session::token_hash(form.code)).await?
    {
        return Err(dead_code());
    }
    let admin = NewUser {
        email: &email,
        name: &name,
        password_hash: &hash,
        is_admin: true,
        permissions: Permissions {
            access: true,
            manage_threads: true,
            assign_threads: true,
            manage_settings: true,
        },
        email_verified: true,
        created_at: now_ms(),
    };
    let id = db::users::insert(&mut tx, &admin).await?.ok_or_else(|| {
        AppError::Conflict("A user with that email address already exists.".into())
    })?;
    db::setup::clear(&mut tx).await?;
    tx.commit().await?;
    Ok(id)
}

fn dead_code() -> AppError {
    AppError::invalid(
        "code",
        "This setup link no longer works: an administrator exists already, or Pigeon was \
         restarted and printed a new link.",
    )
}
