//! One-time notices after an action, named in the redirect's `?notice=` so they work with
//! and without JavaScript and can never carry text from outside.

/// The text of a notice, if the key is known.
pub fn notice_text(key: &str, viewer_name: Option<&str>) -> Option<String> {
    let text = match key {
        "registered" => "Thanks for registering. We have emailed you a link to confirm your \
             address; you can log in now and start conversations once it is confirmed."
            .to_string(),
        "reset-sent" => "If an account uses that address, we have emailed it a link to choose \
             a new password. The link works once, for one hour."
            .to_string(),
        "password-changed" => {
            "Your new password is saved. Every other session of your account has been logged out."
                .to_string()
        }
        "reply-sent" => "Your reply was sent.".to_string(),
        "sent" => "Sent.".to_string(),
        "mention-told" => "Sent. The colleagues you mentioned were emailed the note and now \
             follow this conversation."
            .to_string(),
        "mention-not-told" => "Sent, but not everyone you mentioned was told: a mention \
             reaches only staff who may read conversations."
            .to_string(),
        "inbound-done" => "Done: the message shows what became of it.".to_string(),
        "links-revoked" => "Every private link of this conversation has stopped working. \
             The guest gets a new one with the next reply."
            .to_string(),
        "link-sent" => "If that address has conversations with us, we have emailed it a fresh \
             link to each of them."
            .to_string(),
        "verification-sent" => {
            "We have emailed you a new confirmation link. It works for 7 days.".to_string()
        }
        "welcome" => match viewer_name {
            Some(name) => format!("Welcome back, {name}."),
            None => return None,
        },
        "logged-out" => "You have logged out.".to_string(),
        "updated" => "Done: the chosen threads were updated.".to_string(),
        "status-changed" => "Done: the status is changed.".to_string(),
        "assigned" => "Done: the assignee is changed.".to_string(),
        "undone" => "Undone: everything is back as it was.".to_string(),
        "marked-unread" => {
            "Marked unread: it stays bold in your inbox until you open it.".to_string()
        }
        "trashed" => "This thread is in the Trash. Restore it to bring it back.".to_string(),
        "restored" => "This thread is back from the Trash.".to_string(),
        "deleted" => "The thread was deleted for good.".to_string(),
        "saved-reply-saved" => "Saved reply saved.".to_string(),
        "saved-reply-deleted" => "Saved reply deleted.".to_string(),
        "settings-saved" => "Settings saved. They apply at once.".to_string(),
        "user-created" => "The account was created. It can log in now.".to_string(),
        "user-updated" => "The account was updated.".to_string(),
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
