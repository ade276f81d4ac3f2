//! Email templates: built into the binary, each overridable by a file of the same name in
//! `PIGEON_TEMPLATES_DIR`. Override files are read when an email is rendered, so a change
//! applies to the next email without a restart.
//!
//! Syntax: `{{name}}` inserts a value (HTML-escaped in `.html` files); `{{#name}}…{{/name}}`
//! keeps its inside only when the value is not empty. A `.txt` template starts with a
//! `Subject:` line and a blank line. `layout.html` wraps every HTML part around `{{content}}`.
use std::borrow::Cow;
use std::path::{Path, PathBuf};

use super::compose::{escape, one_line};

macro_rules! builtin_templates {
    ($($name:literal),* $(,)?) => {
        /// Every template name, with its built-in text.
        pub const BUILTIN: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("templates/", $name)))),*
        ];
    };
}

builtin_templates!(
    "layout.html",
    "message.txt",
    "message.html",
    "note.txt",
    "note.html",
    "alert.txt",
    "alert.html",
    "assigned.txt",
    "assigned.html",
    "verify.txt",
    "verify.html",
    "reset.txt",
    "reset.html",
    "received.txt",
    "received.html",
    "link.txt",
    "link.html",
);

/// Values a template may use, by name.
pub type Vars<'a> = [(&'a str, &'a str)];

/// The three parts of a rendered email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Where templates come from.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    dir: Option<PathBuf>,
}

impl Templates {
    /// Built-in templates, overridden by files in `dir` when given.
    pub fn new(dir: Option<PathBuf>) -> Templates {
        Templates { dir }
    }

    /// The text of one template: the override file if there is a readable one.
    pub fn get(&self, name: &str) -> Cow<'static, str> {
        if let Some(dir) = &self.dir {
            match std::fs::read_to_string(dir.join(name)) {
                Ok(text) => return Cow::Owned(text),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    tracing::warn!(template = name, error = %e, "template override unreadable; using the built-in one")
                }
            }
        }
        Cow::Borrowed(builtin(name))
    }

    /// Renders the email `kind` (`message`, `note`, `alert`, `assigned`, `verify`, `reset`,
    /// `received`, `link`).
    pub fn render(&self, kind: &str, vars: &Vars) -> Rendered {
        let text_template = self.get(&format!("{kind}.txt"));
        let (subject_template, text_body) = match split_subject(&text_template) {
            Some(parts) => parts,
            None => {
                // An override without a subject line keeps the built-in subject.
                let builtin_subject = split_subject(builtin(&format!("{kind}.txt")))
                    .map(|(s, _)| s)
                    .unwrap_or("{{subject}}");
                (builtin_subject, text_template.as_ref())
            }
        };
        let subject = one_line(render(subject_template, vars, false).trim());
        let text = render(text_body, vars, false);
        let content = render(&self.get(&format!("{kind}.html")), vars, true);
        // The layout's title is the email's subject line, not the thread's subject.
        let mut layout_vars: Vec<(&str, &str)> = vars.to_vec();
        layout_vars.retain(|(k, _)| *k != "subject");
        layout_vars.push(("subject", &subject));
        let html = fill(&self.get("layout.html"), &layout_vars, true, &content);
        Rendered {
            subject,
            text,
            html,
        }
    }
}

fn builtin(name: &str) -> &'static str {
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .unwrap_or("")
}

fn split_subject(template: &str) -> Option<(&str, &str)> {
    let rest = template.strip_prefix("Subject:")?;
    let (subject, body) = rest.split_once('\n')?;
    Some((
        subject,
        body.strip_prefix('\n')
            .or(body.strip_prefix("\r\n"))
            .unwrap_or(body),
    ))
}

/// Fills a template in one pass: a value is inserted as it is and never read again as
/// template syntax, so a subject or body holding `{{…}}` stays text.
pub fn render(template: &str, vars: &Vars, html: bool) -> String {
    fill(template, vars, html, "")
}

/// As `render`; `{{content}}` inserts `content` unescaped (the layout's email part).
fn fill(template: &str, vars: &Vars, html: bool, content: &str) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let tag = after[..end].trim();
        rest = &after[end + 2..];
        if let Some(name) = tag.strip_prefix('#') {
            let close = format!("{{{{/{name}}}}}");
            let (inner, tail) = match rest.find(&close) {
                Some(i) => (&rest[..i], &rest[i + close.len()..]),
                None => (rest, ""),
            };
            if !value(vars, name).is_empty() {
                out.push_str(&fill(inner, vars, html, content));
            }
            // A section that ends its line takes the line break with it.
            rest = tail.strip_prefix('\n').unwrap_or(tail);
        } else if tag == "content" {
            out.push_str(content);
        } else if tag.starts_with('/') {
            // A stray closing tag: dropped.
        } else {
            let v = value(vars, tag);
            if html {
                out.push_str(&escape(v));
            } else {
                out.push_str(v);
            }
        }
    }
    out.push_str(rest);
    out
}

fn value<'a>(vars: &'a Vars, name: &str) -> &'a str {
    vars.iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| *v)
        .unwrap_or("")
}

/// Writes the built-in templates into `dir` (existing files are kept); returns the names
/// written.
pub fn export(dir: &Path) -> std::io::Result<Vec<&'static str>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for (name, text) in BUILTIN {
        let path = dir.join(name);
        if !path.exists() {
            std::fs::write(&path, text)?;
            written.push(*name);
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_in_html_and_sections_follow_their_value() {
        let vars = [("name", "<b>Ann</b>"), ("url", "")];
        assert_eq!(
            render("Hi {{name}}!", &vars, true),
            "Hi &lt;b&gt;Ann&lt;/b&gt;!"
        );
        assert_eq!(render("Hi {{name}}!", &vars, false), "Hi <b>Ann</b>!");
        assert_eq!(render("a{{#url}}[{{url}}]{{/url}}b", &vars, false), "ab");
        assert_eq!(render("a{{#name}}[x]{{/name}}b", &vars, false), "a[x]b");
        assert_eq!(
            render("{{unknown}}|{{ name }}", &vars, false),
            "|<b>Ann</b>"
        );
        assert_eq!(render("open {{", &vars, false), "open {{");
    }

    #[test]
    fn every_kind_renders_a_subject_and_both_parts() {
        let t = Templates::default();
        let vars = [
            ("subject", "Help\r\nBcc: x@evil.test"),
            ("author_name", "<Mallory>"),
            ("body", "<script>alert(1)</script>"),
            ("link", "https://pigeon.test/x"),
            ("site_name", "Pigeon"),
            ("recipient_name", "Ann"),
            ("valid_for", "1 hour"),
        ];
        for kind in [
            "message", "note", "alert", "assigned", "verify", "reset", "received", "link",
        ] {
            let r = t.render(kind, &vars);
            assert!(!r.subject.contains('\n') && !r.subject.is_empty(), "{kind}");
            assert!(r.text.contains("https://pigeon.test/x"), "{kind}");
            assert!(r.html.contains("https://pigeon.test/x"), "{kind}");
            assert!(
                !r.html.contains("<script>") && !r.html.contains("<Mallory>"),
                "{kind}"
            );
            assert!(!r.html.contains("{{"), "{kind}: {}", r.html);
        }
        assert!(t.render("note", &vars).text.contains("INTERNAL NOTE"));
    }

    #[test]
    fn values_are_never_read_again_as_template_syntax() {
        let t = Templates::default();
        let vars = [
            ("subject", "{{content}} {{#link}}x{{/link}}"),
            ("author_name", "{{site_name}}"),
            ("body", "Dear {{recipient_name}}, {{content}}"),
            ("link", "https://pigeon.test/x"),
            ("site_name", "Acme"),
            ("recipient_name", "Ann"),
        ];
        for kind in ["message", "received", "alert", "note"] {
            let r = t.render(kind, &vars);
            let title = r
                .html
                .split("<title>")
                .nth(1)
                .unwrap()
                .split("</title>")
                .next();
            assert_eq!(
                title,
                Some(r.subject.as_str()),
                "{kind}: the title holds only the subject"
            );
            assert!(r.subject.contains("{{content}}"), "{kind}: {}", r.subject);
            assert_eq!(r.html.matches("<title>").count(), 1, "{kind}");
        }
        let r = t.render("message", &vars);
        assert!(r.text.contains("Dear {{recipient_name}}, {{content}}"));
        assert!(r.html.contains("Dear {{recipient_name}}, {{content}}"));
    }

    #[test]
    fn an_override_file_replaces_the_built_in_template_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let t = Templates::new(Some(dir.path().to_path_buf()));
        let vars = [("subject", "Hello"), ("site_name", "Acme")];
        assert!(t
            .render("assigned", &vars)
            .subject
            .starts_with("Assigned to you"));
        std::fs::write(
            dir.path().join("assigned.txt"),
            "Subject: Yours: {{subject}}\n\nBody",
        )
        .unwrap();
        let r = t.render("assigned", &vars);
        assert_eq!(r.subject, "Yours: Hello");
        assert_eq!(r.text, "Body");
        std::fs::write(dir.path().join("assigned.txt"), "No subject line").unwrap();
        assert!(t
            .render("assigned", &vars)
            .subject
            .starts_with("Assigned to you"));
        let written = export(dir.path()).unwrap();
        assert!(!written.contains(&"assigned.txt") && written.contains(&"layout.html"));
    }
}
