//! MiniJinja set up as emails use it, and the earlier section syntax read as its `if`.
use std::borrow::Cow;

use minijinja::{AutoEscape, Environment, UndefinedBehavior};

use super::text::escape;

/// The template engine as emails use it: a block tag takes its line break with it, a
/// missing value is empty, and `.html` templates escape every value that is not markup.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .expect("the default delimiters are valid"),
    );
    env.set_undefined_behavior(UndefinedBehavior::Lenient);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    // HTML values are escaped as the rest of Pigeon escapes them (`/` stays `/`, so links
    // read as links in the source too).
    env.set_formatter(|out, state, value| {
        if *state.auto_escape() == AutoEscape::Html && !value.is_safe() {
            if value.is_undefined() || value.is_none() {
                return Ok(());
            }
            out.write_str(&escape(&value.to_string()))
                .map_err(minijinja::Error::from)
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    env
}

/// The earlier section syntax, `{{#name}}…{{/name}}`, as `if` blocks.
pub fn legacy_sections(source: &str) -> Cow<'_, str> {
    if !source.contains("{{#") && !source.contains("{{/") {
        return Cow::Borrowed(source);
    }
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return Cow::Owned(out);
        };
        let tag = after[..end].trim();
        match (tag.strip_prefix('#'), tag.strip_prefix('/')) {
            (Some(name), _) if is_name(name) => out.push_str(&format!("{{% if {name} %}}")),
            (_, Some(name)) if is_name(name) => out.push_str("{% endif %}"),
            _ => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn is_name(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
