//! The kinds of email, each with its own template.
/// What an email is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// A new message in a conversation.
    Message,
    /// A new internal note (staff).
    Note,
    /// A new conversation or message for the team.
    Alert,
    /// A conversation was assigned to the recipient.
    Assigned,
    /// Confirm an email address.
    Verify,
    /// Reset a password.
    Reset,
    /// The contact form's confirmation, with a private link.
    Received,
    /// Fresh private links, asked for by address.
    Link,
}

impl MailKind {
    /// The kind stored in an outbox row.
    pub fn parse(stored: &str) -> Option<MailKind> {
        Some(match stored {
            "message" => MailKind::Message,
            "note" => MailKind::Note,
            "alert" => MailKind::Alert,
            "assigned" => MailKind::Assigned,
            "verify" => MailKind::Verify,
            "reset" => MailKind::Reset,
            "received" => MailKind::Received,
            "link" => MailKind::Link,
            _ => return None,
        })
    }

    /// The name of its template (and of its stored kind).
    pub fn name(self) -> &'static str {
        match self {
            MailKind::Message => "message",
            MailKind::Note => "note",
            MailKind::Alert => "alert",
            MailKind::Assigned => "assigned",
            MailKind::Verify => "verify",
            MailKind::Reset => "reset",
            MailKind::Received => "received",
            MailKind::Link => "link",
        }
    }

    /// An account email (a link minted for the user), not about a conversation.
    pub fn is_account(self) -> bool {
        matches!(self, MailKind::Verify | MailKind::Reset)
    }

    /// Sent to whatever address was typed into a form: it greets nobody by the typed name
    /// and repeats nothing typed (the text is behind the link), so nobody can make the site
    /// send their text to a stranger.
    pub fn goes_to_a_typed_address(self) -> bool {
        matches!(self, MailKind::Received | MailKind::Link)
    }

    /// Carries the message it announces (author, text, files).
    pub fn repeats_the_message(self) -> bool {
        !matches!(
            self,
            MailKind::Assigned | MailKind::Link | MailKind::Received
        )
    }

    /// Links to the staff view whoever gets it.
    pub fn links_staff_view(self) -> bool {
        self == MailKind::Alert
    }

    #[cfg(test)]
    const ALL: [MailKind; 8] = [
        MailKind::Message,
        MailKind::Note,
        MailKind::Alert,
        MailKind::Assigned,
        MailKind::Verify,
        MailKind::Reset,
        MailKind::Received,
        MailKind::Link,
    ];
}

#[cfg(test)]
mod tests {
    use super::MailKind;

    #[test]
    fn every_kind_reads_back_from_its_stored_name() {
        for kind in MailKind::ALL {
            assert_eq!(MailKind::parse(kind.name()), Some(kind));
        }
        assert_eq!(MailKind::parse("newsletter"), None);
    }
}
