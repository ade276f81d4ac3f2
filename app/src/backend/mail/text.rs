//! Text as emails carry it: one-line header values, HTML-escaped values, shortened
//! subjects. Shared by composing and by the templates.

/// Header text on one line: control characters (CR, LF…) become spaces.
pub fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// `text` cut to `max` characters, with an ellipsis when cut.
pub fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{}\u{2026}", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_is_escaped_and_kept_on_one_line() {
        assert_eq!(escape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
        assert_eq!(one_line("Hi\r\nBcc: x@evil.test"), "Hi  Bcc: x@evil.test");
    }

    #[test]
    fn long_subjects_are_cut_with_an_ellipsis() {
        assert_eq!(shortened("Short", 60), "Short");
        assert_eq!(shortened("abcdef", 4), "abc\u{2026}");
    }
}
