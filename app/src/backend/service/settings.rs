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
    /// Who is alerted of new guest and member messages on unassigned support threads;
    /// empty means every active staff user who may manage threads.
    pub support_recipients: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            site_name: "Pigeon".to_string(),
            allow_registration: true,
            allow_user_threads: true,
            from_name: "Pigeon".to_string(),
            from_email: "pigeon@localhost".to_string(),
            support_recipients: Vec::new(),
        }
    }
}

impl Settings {
    /// Every setting as (name, value text), in a stable order.
    pub fn entries(&self) -> Vec<(&'static str, String)> {
        vec![
            ("site_name", self.site_name.clone()),
            ("allow_registration", self.allow_registration.to_string()),
            ("allow_user_threads", self.allow_user_threads.to_string()),
            ("from_name", self.from_name.clone()),
            ("from_email", self.from_email.clone()),
            ("support_recipients", self.support_recipients.join(", ")),
        ]
    }
}

/// Parses a list of addresses separated by commas, spaces or lines; at most 50, no repeats.
pub fn support_recipients(value: &str) -> Result<Vec<String>, AppError> {
    const FIELD: &str = "support_recipients";
    let mut list: Vec<String> = Vec::new();
    for part in value.split(|c: char| c == ',' || c == ';' || c.is_whitespace()) {
        if part.is_empty() {
            continue;
        }
        let address = super::validate::email(FIELD, part).map_err(|_| {
            AppError::invalid(
                FIELD,
                format!("\u{201c}{part}\u{201d} is not an email address."),
            )
        })?;
        if !list.iter().any(|a| a.eq_ignore_ascii_case(&address)) {
            list.push(address);
        }
    }
    if list.len() > 50 {
        return Err(AppError::invalid(FIELD, "List at most 50 addresses."));
    }
    Ok(list)
}

/// Current settings; stored values override the defaults. Read fresh so that every
/// instance sees a change at once.
pub async fn load(db: &Db) -> Result<Settings, AppError> {
    Ok(from_stored(db::settings::all(&db.pool).await?))
}

/// Settings from stored (name, value) pairs over the defaults.
pub fn from_stored(stored: Vec<(String, String)>) -> Settings {
    let mut s = Settings::default();
    for (key, value) in stored {
        match key.as_str() {
            "site_name" => s.site_name = value,
            "allow_registration" => s.allow_registration = value == "true",
            "allow_user_threads" => s.allow_user_threads = value == "true",
            "from_name" => s.from_name = value,
            "from_email" => s.from_email = value,
            "support_recipients" => {
                s.support_recipients = value
                    .split(',')
                    .filter(|a| !a.is_empty())
                    .map(str::to_string)
                    .collect()
            }
            _ => {}
        }
    }
    s
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
        "support_recipients" => {
            let list = support_recipients(value)?;
            db::settings::put(&db.pool, key, &list.join(",")).await?;
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

#[cfg(test)]
mod tests {
    use super::support_recipients;

    #[test]
    fn support_recipients_are_checked_addresses_without_repeats() {
        assert_eq!(
            support_recipients(" a@x.test, B@x.test;\na@x.test  ").unwrap(),
            vec!["a@x.test".to_string(), "B@x.test".to_string()]
        );
        assert!(support_recipients("").unwrap().is_empty());
        let err = support_recipients("a@x.test, nonsense").unwrap_err();
        assert!(err.to_string().contains("nonsense"));
    }
}
