//! Changing the settings: each value checked by the rule of its key, then stored.
use super::*;

/// Parses a list of extensions (commas or spaces, dots allowed); only known kinds.
pub fn extensions(value: &str) -> Result<Vec<String>, AppError> {
    const FIELD: &str = "attachments_extensions";
    let mut list: Vec<String> = Vec::new();
    for part in value.split(|c: char| c == ',' || c == ';' || c.is_whitespace()) {
        let ext = part.trim_start_matches('.').to_ascii_lowercase();
        if ext.is_empty() {
            continue;
        }
        if !KNOWN_EXTENSIONS.contains(&ext.as_str()) {
            return Err(AppError::invalid(
                FIELD,
                format!(
                    "Pigeon cannot check .{ext} files. Choose from: {}.",
                    KNOWN_EXTENSIONS.join(", ")
                ),
            ));
        }
        if !list.contains(&ext) {
            list.push(ext);
        }
    }
    if list.is_empty() {
        return Err(AppError::invalid(
            FIELD,
            "Allow at least one extension, or turn attachments off.",
        ));
    }
    Ok(list)
}

/// Parses a list of addresses separated by commas, spaces or lines; at most 50, no repeats.
pub fn support_recipients(value: &str) -> Result<Vec<String>, AppError> {
    const FIELD: &str = "support_recipients";
    let mut list: Vec<String> = Vec::new();
    for part in value.split(|c: char| c == ',' || c == ';' || c.is_whitespace()) {
        if part.is_empty() {
            continue;
        }
        let address = crate::backend::validate::email(FIELD, part).map_err(|_| {
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

/// Field names of the guest forms, which the honeypot may not take.
const RESERVED_FIELDS: &[&str] = &["name", "email", "subject", "body", "token", "attachments"];

fn whole_number(
    key: &str,
    value: &str,
    min: i64,
    max: i64,
    message: &str,
) -> Result<i64, AppError> {
    match value.trim().parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(AppError::invalid(key, message)),
    }
}

/// Stores one setting by name after checking it.
pub async fn set(db: &Db, key: &str, value: &str) -> Result<(), AppError> {
    let stored = checked(key, value)?;
    db::settings::put(&mut db.write_single().await?, key, &stored).await?;
    Ok(())
}

/// Stores several settings at once: all are checked first, and nothing is stored unless
/// every one is valid. Every instance reads the new values on its next request.
pub async fn save_all(db: &Db, pairs: &[(&str, String)]) -> Result<(), AppError> {
    let mut stored = Vec::with_capacity(pairs.len());
    for (key, value) in pairs {
        stored.push((*key, checked(key, value)?));
    }
    let mut tx = db.write().await?;
    for (key, value) in &stored {
        db::settings::put(&mut tx, key, value).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A setting's value as stored, after checking it; a clear error names what is wrong.
pub fn checked(key: &str, value: &str) -> Result<String, AppError> {
    if crate::backend::validate::has_control_characters(value) {
        return Err(AppError::invalid(key, crate::error::CONTROL_CHARACTERS));
    }
    let stored = match key {
        "site_name" => {
            let v = crate::backend::validate::plain_line(value);
            let v = v.trim();
            if v.is_empty() || v.chars().count() > 100 || v.chars().any(char::is_control) {
                return Err(AppError::invalid(
                    key,
                    "The site name needs 1 to 100 characters on one line.",
                ));
            }
            v.to_string()
        }
        "from_name" => {
            let v = value.trim();
            if v.is_empty() || v.chars().count() > 100 || v.chars().any(char::is_control) {
                return Err(AppError::invalid(
                    key,
                    "The sender name needs 1 to 100 characters on one line.",
                ));
            }
            v.to_string()
        }
        // A machine's own name (pigeon@localhost, the default) is a fine sender too.
        "from_email" => match value.trim().strip_suffix("@localhost") {
            Some(local)
                if !local.is_empty()
                    && local
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "._+-".contains(c)) =>
            {
                value.trim().to_string()
            }
            _ => crate::backend::validate::email(key, value)?,
        },
        "support_recipients" => support_recipients(value)?.join(","),
        "guest_token_lifetime_days" => {
            whole_number(key, value, 1, 365, "Links can work for 1 to 365 days.")?.to_string()
        }
        "rate_limit_max" => {
            whole_number(key, value, 1, 1_000_000, "Use a number from 1 to 1000000.")?.to_string()
        }
        "rate_limit_window_s" => {
            whole_number(key, value, 1, 86_400, "Use 1 to 86400 seconds.")?.to_string()
        }
        "member_rate_limit_max" => {
            whole_number(key, value, 1, 1_000_000, "Use a number from 1 to 1000000.")?.to_string()
        }
        "attachments_max_files" => {
            whole_number(key, value, 1, 20, "Allow 1 to 20 files per message.")?.to_string()
        }
        "attachments_max_mb" => whole_number(key, value, 1, 100, "Use 1 to 100 MB.")?.to_string(),
        "upload_quota_sender_mb" | "upload_quota_thread_mb" => {
            whole_number(key, value, 1, 100_000, "Use 1 to 100000 MB a day.")?.to_string()
        }
        "attachments_extensions" => extensions(value)?.join(","),
        "honeypot_field" => {
            let v = value.trim();
            let ok = !v.is_empty()
                && v.len() <= 40
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                && !RESERVED_FIELDS.contains(&v);
            if !ok {
                return Err(AppError::invalid(
                    key,
                    "Use 1 to 40 letters, digits, - or _, not the name of a real form field.",
                ));
            }
            v.to_string()
        }
        "allow_registration"
        | "allow_user_threads"
        | "staff_as_recipients"
        | "allow_guest_threads"
        | "honeypot_enabled"
        | "attachments_enabled" => crate::backend::validate::flag(key, value)?.to_string(),
        _ => {
            return Err(AppError::invalid(
                "key",
                format!("There is no setting named {key}."),
            ))
        }
    };
    Ok(stored)
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
