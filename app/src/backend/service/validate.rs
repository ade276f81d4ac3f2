//! Input checks with messages a person understands.
use crate::error::AppError;

/// Longest accepted email address (RFC 5321 path limit).
pub const EMAIL_MAX: usize = 254;
/// Longest accepted display name.
pub const NAME_MAX: usize = 100;
/// Password length bounds.
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 1024;

/// A trimmed, plausible email address.
pub fn email(field: &str, raw: &str) -> Result<String, AppError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(AppError::invalid(field, "Please enter your email address."));
    }
    if value.chars().count() > EMAIL_MAX {
        return Err(AppError::invalid(field, "That email address is too long."));
    }
    let plausible = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        None => false,
    };
    if !plausible || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(AppError::invalid(
            field,
            "Please enter a valid email address, like name@example.com.",
        ));
    }
    Ok(value.to_string())
}

/// A trimmed display name of 1 to `NAME_MAX` characters.
pub fn name(field: &str, raw: &str) -> Result<String, AppError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(AppError::invalid(field, "Please enter your name."));
    }
    if value.chars().count() > NAME_MAX {
        return Err(AppError::invalid(
            field,
            format!("Names can be at most {NAME_MAX} characters."),
        ));
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(AppError::invalid(
            field,
            "Names cannot contain control characters.",
        ));
    }
    Ok(value.to_string())
}

/// A new password within the length bounds (kept as typed).
pub fn new_password(field: &str, raw: &str) -> Result<String, AppError> {
    let n = raw.chars().count();
    if n < PASSWORD_MIN {
        return Err(AppError::invalid(
            field,
            format!("Passwords need at least {PASSWORD_MIN} characters."),
        ));
    }
    if n > PASSWORD_MAX {
        return Err(AppError::invalid(
            field,
            format!("Passwords can be at most {PASSWORD_MAX} characters."),
        ));
    }
    Ok(raw.to_string())
}

/// Longest accepted message body, in bytes.
pub const BODY_MAX_BYTES: usize = 64 * 1024;
/// Longest accepted subject, in characters.
pub const SUBJECT_MAX: usize = 255;

/// A trimmed, non-empty message body within the size limit.
pub fn message_body(field: &str, raw: &str) -> Result<String, AppError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(AppError::invalid(field, "Please write a message."));
    }
    if value.len() > BODY_MAX_BYTES {
        return Err(AppError::invalid(
            field,
            format!(
                "Messages can be at most {} KB; this one is {} KB.",
                BODY_MAX_BYTES / 1024,
                value.len().div_ceil(1024)
            ),
        ));
    }
    Ok(value.to_string())
}

/// A trimmed subject, or `default` when left empty.
pub fn subject(field: &str, raw: &str, default: &str) -> Result<String, AppError> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(default.to_string());
    }
    if value.chars().count() > SUBJECT_MAX {
        return Err(AppError::invalid(
            field,
            format!("Subjects can be at most {SUBJECT_MAX} characters."),
        ));
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(AppError::invalid(
            field,
            "Subjects cannot contain line breaks or control characters.",
        ));
    }
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_checked() {
        assert_eq!(email("e", "  ann@example.com ").unwrap(), "ann@example.com");
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "a b@example.com",
            "a@b@c.d",
        ] {
            assert!(email("e", bad).is_err(), "{bad} should be refused");
        }
        assert!(email("e", &format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name("n", " Ann ").unwrap(), "Ann");
        assert!(name("n", "   ").is_err());
        assert!(name("n", &"x".repeat(101)).is_err());
        assert!(name("n", "a\u{0}b").is_err());
    }

    #[test]
    fn passwords_have_bounds() {
        assert!(new_password("p", "short").is_err());
        assert!(new_password("p", "long enough").is_ok());
        assert!(new_password("p", &"x".repeat(1025)).is_err());
    }
}
