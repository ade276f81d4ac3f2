//! Email templates: built into the binary, each overridable by a file of the same name in
//! `PIGEON_TEMPLATES_DIR`. Override files are read when an email is rendered, so a change
//! applies to the next email without a restart.
//!
//! They are MiniJinja templates (Jinja syntax): `{{ name }}` inserts a value (HTML-escaped in
//! `.html` files), `{% if name %}…{% endif %}` keeps its inside only when the value is set.
//! Values are data, never template text: a subject holding `{{ content }}` stays a subject.
//! A `.txt` template starts with a `Subject:` line and a blank line. `layout.html` wraps
//! every HTML part around `{{ content }}`. Overrides written in the earlier section syntax
//! (`{{#name}}…{{/name}}`) still work: it is read as `if`/`endif`.
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use minijinja::Value;

use super::template_engine::{environment, legacy_sections};
use super::text::one_line;

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
        let text_name = format!("{kind}.txt");
        let html_name = format!("{kind}.html");
        let values: BTreeMap<&str, Value> =
            vars.iter().map(|(k, v)| (*k, Value::from(*v))).collect();
        let text_template = self.get(&text_name);
        let builtin_text = builtin(&text_name);
        let (subject_template, text_body) = match split_subject(&text_template) {
            Some(parts) => parts,
            // An override without a subject line keeps the built-in subject.
            None => (
                split_subject(builtin_text).map_or("{{ subject }}", |(s, _)| s),
                text_template.as_ref(),
            ),
        };
        let builtin_parts = split_subject(builtin_text).unwrap_or(("", builtin_text));
        let subject = self.fill("subject.txt", subject_template, builtin_parts.0, &values);
        let subject = one_line(subject.trim());
        let text = self.fill(&text_name, text_body, builtin_parts.1, &values);
        let content = self.fill(
            &html_name,
            &self.get(&html_name),
            builtin(&html_name),
            &values,
        );
        // The layout's title is the email's subject line, not the thread's subject.
        let mut layout_values = values.clone();
        layout_values.insert("subject", Value::from(subject.as_str()));
        layout_values.insert("content", Value::from_safe_string(content));
        let html = self.fill(
            "layout.html",
            &self.get("layout.html"),
            builtin("layout.html"),
            &layout_values,
        );
        Rendered {
            subject,
            text,
            html,
        }
    }

    /// Renders `source` as the template `name`; a broken override falls back to the
    /// built-in `fallback`.
    fn fill(
        &self,
        name: &str,
        source: &str,
        fallback: &str,
        values: &BTreeMap<&str, Value>,
    ) -> String {
        let env = environment();
        let context = Value::from_pairs(values.iter().map(|(k, v)| (*k, v.clone())));
        match env.render_named_str(name, &legacy_sections(source), context.clone()) {
            Ok(text) => text,
            Err(e) => {
                tracing::warn!(template = name, error = %e, "email template failed; using the built-in one");
                env.render_named_str(name, fallback, context)
                    .unwrap_or_default()
            }
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

/// Fills one template (`.html` in `html` mode: values escaped) with `vars`, as emails do.
pub fn render(template: &str, vars: &Vars, html: bool) -> String {
    let values: BTreeMap<&str, Value> = vars.iter().map(|(k, v)| (*k, Value::from(*v))).collect();
    let name = if html { "part.html" } else { "part.txt" };
    Templates::default().fill(name, template, "", &values)
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
        assert_eq!(
            render(
                "a{% if url %}[{{ url }}]{% endif %}b{% if name %}!{% endif %}",
                &vars,
                false
            ),
            "ab!"
        );
        // A broken template gives its fallback (here: nothing), never an error or half.
        assert_eq!(render("open {{", &vars, false), "");
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
        // An override in the earlier section syntax still works; a broken one falls back.
        std::fs::write(
            dir.path().join("assigned.txt"),
            "Subject: {{#subject}}Yours: {{subject}}{{/subject}}\n\nBody {{ site_name }}",
        )
        .unwrap();
        assert_eq!(t.render("assigned", &vars).subject, "Yours: Hello");
        std::fs::write(dir.path().join("assigned.html"), "<p>{% if x %}").unwrap();
        assert!(t
            .render("assigned", &vars)
            .html
            .contains("was assigned to you"));
        std::fs::write(dir.path().join("assigned.txt"), "No subject line").unwrap();
        assert!(t
            .render("assigned", &vars)
            .subject
            .starts_with("Assigned to you"));
        let written = export(dir.path()).unwrap();
        assert!(!written.contains(&"assigned.txt") && written.contains(&"layout.html"));
    }
}
