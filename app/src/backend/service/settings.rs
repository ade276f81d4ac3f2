//! Site settings (SPEC §10) with their defaults, read from the database.
use crate::backend::db::{self, Db};
use crate::error::AppError;

/// The settings this build knows about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub site_name: String,
    pub allow_registration: bool,
    pub allow_user_threads: bool,
    pub from_name: String,
    pub from_email: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            site_name: "Pigeon".to_string(),
            allow_registration: true,
            allow_user_threads: true,
            from_name: "Pigeon".to_string(),
            from_email: "pigeon@localhost".to_string(),
        }
    }
}

/// Current settings; stored values override the defaults. Read fresh so that every
/// instance sees a change at once.
pub async fn load(db: &Db) -> Result<Settings, AppError> {
    let mut s = Settings::default();
    for (key, value) in db::settings::all(&db.pool).await? {
        match key.as_str() {
            "site_name" => s.site_name = value,
            "allow_registration" => s.allow_registration = value == "true",
            "allow_user_threads" => s.allow_user_threads = value == "true",
            "from_name" => s.from_name = value,
            "from_email" => s.from_email = value,
            _ => {}
        }
    }
    Ok(s)
}

/// Stores one setting by name after checking it.
pub async fn set(db: &Db, key: &str, value: &str) -> Result<(), AppError> {
    match key {
        "site_name" => {
            let v = value.trim();
            if v.is_empty() || v.chars().count() > 100 {
                return Err(AppError::invalid(
                    key,
                    "The site name needs 1 to 100 characters.",
                ));
            }
            db::settings::put(&db.pool, key, v).await?;
        }
        "from_name" => {
            let v = value.trim();
            if v.is_empty() || v.chars().count() > 100 || v.chars().any(char::is_control) {
                return Err(AppError::invalid(
                    key,
                    "The sender name needs 1 to 100 characters on one line.",
                ));
            }
            db::settings::put(&db.pool, key, v).await?;
        }
        "from_email" => {
            let v = super::validate::email(key, value)?;
            db::settings::put(&db.pool, key, &v).await?;
        }
        "allow_registration" | "allow_user_threads" => {
            if value != "true" && value != "false" {
                return Err(AppError::invalid(key, "Use true or false."));
            }
            db::settings::put(&db.pool, key, value).await?;
        }
        _ => {
            return Err(AppError::invalid(
                "key",
                format!("There is no setting named {key}."),
            ))
        }
    }
    Ok(())
}
