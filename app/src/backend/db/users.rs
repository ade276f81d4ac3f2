//! Users: accounts, staff permissions, disabled flag.
use super::WriteTx;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

use super::flag;
use crate::model::viewer::{Permissions, Viewer};

/// A user as stored.
#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub is_admin: bool,
    pub permissions: Permissions,
    pub email_verified: bool,
    pub disabled: bool,
    pub created_at: i64,
}

impl UserRow {
    /// The page-facing view of this user.
    pub fn to_viewer(&self) -> Viewer {
        Viewer {
            id: self.id,
            name: self.name.clone(),
            email: self.email.clone(),
            is_admin: self.is_admin,
            permissions: self.permissions,
            email_verified: self.email_verified,
        }
    }
}

/// What is needed to create a user.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub is_admin: bool,
    pub permissions: Permissions,
    pub email_verified: bool,
    pub created_at: i64,
}

pub(crate) const USER_COLUMNS: &str = "u.id, u.email, u.name, u.password_hash, u.is_admin, \
     u.perm_access, u.perm_manage_threads, u.perm_assign_threads, u.perm_manage_settings, \
     u.email_verified, u.disabled, u.created_at";

pub(crate) fn from_row(row: &AnyRow) -> Result<UserRow, sqlx::Error> {
    Ok(UserRow {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        password_hash: row.try_get("password_hash")?,
        is_admin: flag(row, "is_admin")?,
        permissions: Permissions {
            access: flag(row, "perm_access")?,
            manage_threads: flag(row, "perm_manage_threads")?,
            assign_threads: flag(row, "perm_assign_threads")?,
            manage_settings: flag(row, "perm_manage_settings")?,
        },
        email_verified: flag(row, "email_verified")?,
        disabled: flag(row, "disabled")?,
        created_at: row.try_get("created_at")?,
    })
}

/// Inserts a user; `None` when the email address is already taken.
pub async fn insert(tx: &mut WriteTx, user: &NewUser<'_>) -> Result<Option<i64>, sqlx::Error> {
    let p = user.permissions;
    sqlx::query_scalar(
        "INSERT INTO users (email, email_lower, name, password_hash, is_admin, perm_access, \
         perm_manage_threads, perm_assign_threads, perm_manage_settings, email_verified, \
         disabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11) \
         ON CONFLICT (email_lower) DO NOTHING RETURNING id",
    )
    .bind(user.email)
    .bind(user.email.to_lowercase())
    .bind(user.name)
    .bind(user.password_hash)
    .bind(user.is_admin as i64)
    .bind(p.access as i64)
    .bind(p.manage_threads as i64)
    .bind(p.assign_threads as i64)
    .bind(p.manage_settings as i64)
    .bind(user.email_verified as i64)
    .bind(user.created_at)
    .fetch_optional(tx.conn())
    .await
}

/// Finds a user by email address, ignoring case.
pub async fn find_by_email<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    email: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.email_lower = $1");
    let row = sqlx::query(&sql)
        .bind(email.trim().to_lowercase())
        .fetch_optional(ex)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Finds a user by id.
pub async fn find_by_id<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
) -> Result<Option<UserRow>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
    let row = sqlx::query(&sql).bind(id).fetch_optional(ex).await?;
    row.as_ref().map(from_row).transpose()
}

/// Replaces a user's admin flag and permissions; false when no such user.
pub async fn set_permissions(
    tx: &mut WriteTx,
    id: i64,
    is_admin: bool,
    p: Permissions,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE users SET is_admin = $1, perm_access = $2, perm_manage_threads = $3, \
         perm_assign_threads = $4, perm_manage_settings = $5 WHERE id = $6",
    )
    .bind(is_admin as i64)
    .bind(p.access as i64)
    .bind(p.manage_threads as i64)
    .bind(p.assign_threads as i64)
    .bind(p.manage_settings as i64)
    .bind(id)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Sets or clears the disabled flag; false when no such user.
pub async fn set_disabled(tx: &mut WriteTx, id: i64, disabled: bool) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
        .bind(disabled as i64)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces a user's password hash; false when no such user.
pub async fn set_password_hash(tx: &mut WriteTx, id: i64, hash: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a user's address as confirmed.
pub async fn set_email_verified(tx: &mut WriteTx, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET email_verified = 1 WHERE id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Active staff: admins and anyone holding a permission. Written exactly as the condition of
/// the partial index `users_staff` (migration 0014), so that SQLite reads that index.
pub(super) const ACTIVE_STAFF: &str = "disabled = 0 AND (is_admin = 1 OR perm_access = 1 \
     OR perm_manage_threads = 1 OR perm_assign_threads = 1 OR perm_manage_settings = 1)";

/// Every active staff user (admins and anyone holding a permission): (id, name), by name.
pub async fn staff_directory<'e, E: Executor<'e, Database = Any>>(
    ex: E,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let sql = format!("SELECT id, name FROM users WHERE {ACTIVE_STAFF} ORDER BY name, id");
    sqlx::query_as(&sql).fetch_all(ex).await
}

/// Active staff who may read conversations (`access`, or admins): (id, name), by name.
pub async fn readers_directory<'e, E: Executor<'e, Database = Any>>(
    ex: E,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name FROM users WHERE disabled = 0 AND (is_admin = 1 OR perm_access = 1) \
         ORDER BY name, id",
    )
    .fetch_all(ex)
    .await
}

/// Active users whose name contains `query` (case-insensitive), by name, without `exclude`
/// (and without staff unless `with_staff`): (id, name) only — never email addresses. Read in
/// the order of the index `users_by_name` (migration 0017).
pub async fn directory<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    query: &str,
    exclude: i64,
    with_staff: bool,
    limit: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let pattern = format!(
        "%{}%",
        query.trim().to_lowercase().replace(['%', '_', '\\'], "")
    );
    let no_staff = if with_staff {
        String::new()
    } else {
        format!(" AND NOT ({ACTIVE_STAFF})")
    };
    let sql = format!(
        "SELECT id, name FROM users WHERE disabled = 0 AND id <> $1 AND LOWER(name) LIKE $2{no_staff} \
         ORDER BY LOWER(name), id LIMIT $3"
    );
    sqlx::query_as(&sql)
        .bind(exclude)
        .bind(pattern)
        .bind(limit)
        .fetch_all(ex)
        .await
}

/// Accounts whose name or email contains `query` (case-insensitive), by id after `after`.
pub async fn list<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    query: &str,
    after: i64,
    limit: i64,
) -> Result<Vec<UserRow>, sqlx::Error> {
    let pattern = format!(
        "%{}%",
        query.trim().to_lowercase().replace(['%', '_', '\\'], "")
    );
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users u WHERE u.id > $1 \
         AND (LOWER(u.name) LIKE $2 OR u.email_lower LIKE $2) ORDER BY u.id LIMIT $3"
    );
    let rows = sqlx::query(&sql)
        .bind(after)
        .bind(pattern)
        .bind(limit)
        .fetch_all(ex)
        .await?;
    rows.iter().map(from_row).collect()
}
