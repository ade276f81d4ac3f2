//! One-time notices after an action, named in the redirect's `?notice=` so they work with
//! and without JavaScript and can never carry text from outside.

/// The text of a notice, if the key is known.
pub fn notice_text(key: &str, viewer_name: Option<&str>) -> Option<String> {
    let text = match key {
        "registered" => {
            "Thanks for registering. You can now log in with your email address and password."
                .to_string()
        }
        "welcome" => match viewer_name {
            Some(name) => format!("Welcome back, {name}."),
            None => return None,
        },
        "logged-out" => "You have logged out.".to_string(),
        _ => return None,
    };
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::notice_text;

    #[test]
    fn only_known_notices_are_shown() {
        assert_eq!(
            notice_text("welcome", Some("Ann")).as_deref(),
            Some("Welcome back, Ann.")
        );
        assert_eq!(notice_text("welcome", None), None);
        assert_eq!(notice_text("<script>", Some("Ann")), None);
    }
}
