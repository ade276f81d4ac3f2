//! Input checks with messages a person understands.
use unicode_normalization::UnicodeNormalization;

use crate::error::{AppError, CONTROL_CHARACTERS};

/// Whether a text holds a control character no text field takes
/// (`model::form_echo::is_refused_control`).
pub fn has_control_characters(value: &str) -> bool {
    value
        .chars()
        .any(crate::model::form_echo::is_refused_control)
}

/// The refusal for the first field of a form whose text breaks the control-character rule.
pub fn control_characters(fields: &[(String, String)]) -> Option<AppError> {
    fields
        .iter()
        .find(|(_, v)| has_control_characters(v))
        .map(|(k, _)| AppError::invalid(k, CONTROL_CHARACTERS))
}

/// Whether `c` is a bidirectional-text control, which can make a name read backwards
/// ("invoice\u{202e}fdp.txt" shows as "invoicetxt.pdf").
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// A name, subject or file name as stored: bidirectional controls removed, NFC-normalised.
pub fn plain_line(raw: &str) -> String {
    raw.chars().filter(|c| !is_bidi_control(*c)).nfc().collect()
}

/// A yes/no field in any of the usual spellings: `true/false`, `on/off`, `1/0`, `yes/no`
/// (any case; an empty value is "no"). Anything else is refused, never read as "no".
pub fn flag(field: &str, raw: &str) -> Result<bool, AppError> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "on" | "1" | "yes" => Ok(true),
        "false" | "off" | "0" | "no" | "" => Ok(false),
        _ => Err(AppError::invalid(
            field,
            format!("\u{201c}{field}\u{201d} must be yes or no (true/false, on/off, 1/0)."),
        )),
    }
}

/// Longest accepted email address (RFC 5321 path limit).
pub const EMAIL_MAX: usize = 254;
/// Longest accepted display name.
pub const NAME_MAX: usize = 100;
/// Password length bounds: at least `PASSWORD_MIN` characters, at most `PASSWORD_MAX`
/// bytes (longer ones are refused before any hashing).
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
    let value = plain_line(raw);
    let value = value.trim();
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
    if raw.len() > PASSWORD_MAX {
        return Err(AppError::invalid(
            field,
            format!("Passwords can be at most {PASSWORD_MAX} bytes."),
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
    if has_control_characters(value) {
        return Err(AppError::invalid(field, CONTROL_CHARACTERS));
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
    let value = plain_line(raw);
    let value = value.trim();
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
    fn every_usual_spelling_of_yes_and_no_is_read_and_anything_else_refused() {
        for yes in ["true", "TRUE", "on", "On", "1", "yes", "YES"] {
            assert_eq!(flag("f", yes), Ok(true), "{yes}");
        }
        for no in ["false", "False", "off", "0", "no", "NO", ""] {
            assert_eq!(flag("f", no), Ok(false), "{no}");
        }
        for bad in ["2", "y", "ja", "truthy", "-1"] {
            assert!(flag("f", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn control_characters_other_than_tab_and_newlines_are_found() {
        assert!(!has_control_characters("a\tb\r\nc"));
        for bad in ["a\u{0}b", "\u{7}", "x\u{1b}[31m", "\u{7f}", "\u{85}"] {
            assert!(has_control_characters(bad), "{bad:?}");
        }
        assert!(message_body("body", "hi\u{0}").is_err());
    }

    #[test]
    fn names_and_subjects_lose_bidi_controls_and_are_nfc() {
        assert_eq!(name("n", "Mallory\u{202e}gpj").unwrap(), "Mallorygpj");
        assert_eq!(name("n", "Cafe\u{301}").unwrap(), "Caf\u{e9}");
        assert_eq!(subject("s", "\u{2066}Hi\u{2069}", "x").unwrap(), "Hi");
        assert_eq!(plain_line("invoice\u{202e}fdp.txt"), "invoicefdp.txt");
    }

    #[test]
    fn passwords_have_bounds() {
        assert!(new_password("p", "short").is_err());
        assert!(new_password("p", "long enough").is_ok());
        assert!(new_password("p", &"x".repeat(1025)).is_err());
    }
}
