//! What a form sent, handed back to the page when a form post without JavaScript failed,
//! so the page shows the error and keeps the person's text.
use crate::error::AppError;

/// A failed form submission (server side only; never sent to the browser).
#[derive(Debug, Clone, Default)]
pub struct FormEcho {
    /// The action path the form posted to.
    pub action: String,
    /// The submitted fields, secrets removed.
    pub values: Vec<(String, String)>,
    /// Why it failed.
    pub error: Option<AppError>,
}

/// Fields that are never sent back to the page.
pub const SECRET_FIELDS: &[&str] = &["password", "new_password", "token"];

/// Whether `c` is a control character no text field takes: any but tab and line breaks
/// (PostgreSQL cannot store NUL; the others hide text or break lines). The one rule for
/// checking input (`backend::validate`) and for showing refused text back.
pub fn is_refused_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Text as it is shown back to its writer: refused control characters made visible as
/// \u{fffd}, so a refused text shows where it went wrong.
pub fn shown_back(value: &str) -> String {
    value
        .chars()
        .map(|c| if is_refused_control(c) { '\u{fffd}' } else { c })
        .collect()
}

impl FormEcho {
    /// The echo of a failed post to `action`: its fields without the secret ones.
    pub fn failed(action: &str, fields: Vec<(String, String)>, error: AppError) -> FormEcho {
        FormEcho {
            action: action.to_string(),
            values: fields
                .into_iter()
                .filter(|(k, _)| !SECRET_FIELDS.contains(&k.as_str()))
                .map(|(k, v)| (k, shown_back(&v)))
                .collect(),
            error: Some(error),
        }
    }

    /// The submitted value of a field, or an empty string.
    pub fn value(&self, name: &str) -> String {
        self.values
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// What a field of the form posting to `action` should show: the text sent back
    /// (or "") and whether the error is about this field. Reads the echo from context.
    pub fn field_state(action: &str, name: &str) -> (String, bool) {
        let echo = leptos::prelude::use_context::<FormEcho>().filter(|e| e.is_for(action));
        let value = echo.as_ref().map(|e| e.value(name)).unwrap_or_default();
        let invalid = echo
            .and_then(|e| e.error)
            .is_some_and(|e| e.field() == Some(name));
        (value, invalid)
    }

    /// Whether this echo belongs to the form posting to `action`.
    pub fn is_for(&self, action: &str) -> bool {
        self.action == action
    }
}
