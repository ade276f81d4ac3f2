//! Saved replies: shared texts staff insert into a reply, with `{{variables}}` filled from
//! the conversation. A variable without a value stays as written, for the writer to fix:
//! a reply that still holds one is refused, so none is ever sent empty.
use serde::{Deserialize, Serialize};

/// The variables a saved reply may use, with what each stands for.
pub const VARIABLES: [(&str, &str); 5] = [
    ("customer_name", "the customer’s name"),
    ("customer_first_name", "the customer’s first name"),
    ("agent_name", "your name"),
    (
        "conversation_link",
        "the conversation’s address (members’ conversations)",
    ),
    ("site_name", "the site’s name"),
];

/// Longest title and body.
pub const MAX_TITLE_CHARS: usize = 120;
pub const MAX_BODY_CHARS: usize = 20_000;

/// A saved reply as the settings page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedReply {
    pub id: i64,
    pub title: String,
    pub body: String,
}

/// The `{{name}}` runs of a text, in order: (byte range, trimmed name).
fn variables_in(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("{{") {
        let start = from + open;
        let Some(close) = text[start + 2..].find("}}") else {
            break;
        };
        let end = start + 2 + close + 2;
        let name = text[start + 2..end - 2].trim();
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            found.push((start..end, name.to_string()));
            from = end;
        } else {
            from = start + 2;
        }
    }
    found
}

/// Fills the known variables that have a value; the rest stay as written.
pub fn render(body: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    for (range, name) in variables_in(body) {
        let known = VARIABLES.iter().any(|(v, _)| *v == name);
        match value(&name).filter(|v| known && !v.trim().is_empty()) {
            Some(v) => {
                out.push_str(&body[at..range.start]);
                out.push_str(&v);
            }
            None => out.push_str(&body[at..range.end]),
        }
        at = range.end;
    }
    out.push_str(&body[at..]);
    out
}

/// The known variables still in a text (a reply holding one is not sent).
pub fn unfilled(text: &str) -> Vec<String> {
    let mut names: Vec<String> = variables_in(text)
        .into_iter()
        .map(|(_, n)| n)
        .filter(|n| VARIABLES.iter().any(|(v, _)| v == n))
        .collect();
    names.dedup();
    names
}

/// Variables a saved reply names that do not exist (refused when it is saved).
pub fn unknown(text: &str) -> Vec<String> {
    let mut names: Vec<String> = variables_in(text)
        .into_iter()
        .map(|(_, n)| n)
        .filter(|n| !VARIABLES.iter().any(|(v, _)| v == n))
        .collect();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_fill_or_stay_visible() {
        let body = "Hi {{ customer_first_name }}, I'm {{agent_name}} at {{site_name}}. {{x y}} {{";
        let text = render(body, |n| match n {
            "agent_name" => Some("Sam".into()),
            "site_name" => Some("  ".into()),
            _ => None,
        });
        assert_eq!(
            text,
            "Hi {{ customer_first_name }}, I'm Sam at {{site_name}}. {{x y}} {{"
        );
        assert_eq!(unfilled(&text), vec!["customer_first_name", "site_name"]);
        assert_eq!(unknown("{{agent_name}} {{nope}}"), vec!["nope"]);
        assert!(unfilled("Plain text with {braces}").is_empty());
    }
}
