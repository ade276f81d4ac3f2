//! Reply addresses and Message-IDs that are capabilities.
//!
//! Every email about a conversation carries `Reply-To: reply+<capability>@<reply domain>`,
//! one per recipient: the capability names the conversation, who it was sent to, and (for a
//! guest) the guest's link generation, and is signed with the site's secret (HMAC-SHA256,
//! 80 bits kept). Nothing usable is stored: the database only says whether the person may
//! still write there (checked when a reply arrives). Outgoing Message-IDs are signed the
//! same way, so a reply whose address was lost can still be traced to the email it answers.
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Who an address was issued to, in which conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyAs {
    /// A guest participant; `epoch` is their reply generation when the email was sent.
    Guest {
        thread: i64,
        participant: i64,
        epoch: i64,
    },
    /// A member of the site (a direct conversation, or their own support conversation).
    Member { thread: i64, user: i64 },
    /// Staff answering the customer.
    Staff { thread: i64, user: i64 },
    /// Staff adding an internal note (a reply to a note's email).
    StaffNote { thread: i64, user: i64 },
}

impl ReplyAs {
    /// The conversation the address belongs to.
    pub fn thread(self) -> i64 {
        match self {
            ReplyAs::Guest { thread, .. }
            | ReplyAs::Member { thread, .. }
            | ReplyAs::Staff { thread, .. }
            | ReplyAs::StaffNote { thread, .. } => thread,
        }
    }

    fn payload(self) -> String {
        match self {
            ReplyAs::Guest {
                thread,
                participant,
                epoch,
            } => format!("{thread}-g{participant}-{epoch}"),
            ReplyAs::Member { thread, user } => format!("{thread}-m{user}-0"),
            ReplyAs::Staff { thread, user } => format!("{thread}-s{user}-0"),
            ReplyAs::StaffNote { thread, user } => format!("{thread}-n{user}-0"),
        }
    }

    fn parse_payload(thread: &str, who: &str, epoch: &str) -> Option<ReplyAs> {
        let thread = number(thread)?;
        let epoch = number(epoch)?;
        let (kind, id) = who.split_at_checked(1)?;
        let id = number(id)?;
        Some(match kind {
            "g" => ReplyAs::Guest {
                thread,
                participant: id,
                epoch,
            },
            "m" if epoch == 0 => ReplyAs::Member { thread, user: id },
            "s" if epoch == 0 => ReplyAs::Staff { thread, user: id },
            "n" if epoch == 0 => ReplyAs::StaffNote { thread, user: id },
            _ => return None,
        })
    }
}

/// A positive decimal number without sign or leading zeros.
fn number(text: &str) -> Option<i64> {
    let ok = !text.is_empty()
        && text.len() <= 18
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    ok.then(|| text.parse().ok()).flatten()
}

const MAC_BYTES: usize = 10;

fn mac(secret: &[u8], purpose: &str, payload: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any size");
    mac.update(purpose.as_bytes());
    mac.update(&[0]);
    mac.update(payload.as_bytes());
    mac
}

fn sign(secret: &[u8], purpose: &str, payload: &str) -> String {
    let tag = mac(secret, purpose, payload).finalize().into_bytes();
    hex::encode(&tag[..MAC_BYTES])
}

fn verify(secret: &[u8], purpose: &str, payload: &str, tag_hex: &str) -> bool {
    if tag_hex.len() != MAC_BYTES * 2 {
        return false;
    }
    let Ok(tag) = hex::decode(tag_hex) else {
        return false;
    };
    // Constant time: the comparison says nothing about how much of a guess was right.
    mac(secret, purpose, payload)
        .verify_truncated_left(&tag)
        .is_ok()
}

/// The local part's prefix: `reply+…@domain`.
pub const PREFIX: &str = "reply+";

/// The reply address for `who`.
pub fn address(secret: &[u8], domain: &str, who: ReplyAs) -> String {
    let payload = who.payload();
    let tag = sign(secret, "reply", &payload);
    format!("{PREFIX}{payload}-{tag}@{domain}")
}

/// Who an address was issued to, when it is one of ours for `domain` and its signature
/// holds. Case does not matter (some gateways change it).
pub fn read(secret: &[u8], domain: &str, address: &str) -> Option<ReplyAs> {
    let address = address.trim().trim_matches(['<', '>']).to_ascii_lowercase();
    let (local, host) = address.rsplit_once('@')?;
    if !host.eq_ignore_ascii_case(domain) {
        return None;
    }
    let capability = local.strip_prefix(PREFIX)?;
    let mut parts = capability.split('-');
    let (thread, who, epoch, tag) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let found = ReplyAs::parse_payload(thread, who, epoch)?;
    // The payload is checked as it is written back, so one address has one spelling.
    let payload = found.payload();
    (payload == format!("{thread}-{who}-{epoch}") && verify(secret, "reply", &payload, tag))
        .then_some(found)
}

/// The signed `Message-ID` of an outbox row: the same on every resend of that row.
pub fn message_id(secret: &[u8], row_id: i64, host: &str) -> String {
    let tag = sign(secret, "message-id", &row_id.to_string());
    format!("<pigeon.{row_id}.{tag}@{host}>")
}

/// The outbox rows named by signed Message-IDs in `In-Reply-To` / `References` text, most
/// recent reference first. Anything unsigned or signed with another key is ignored.
pub fn rows_referenced(secret: &[u8], header_text: &str) -> Vec<i64> {
    let mut rows = Vec::new();
    for id in header_text.split(|c: char| c.is_whitespace() || c == ',') {
        let id = id.trim().trim_matches(['<', '>']);
        let Some(rest) = id.strip_prefix("pigeon.") else {
            continue;
        };
        let Some((local, _host)) = rest.split_once('@') else {
            continue;
        };
        let Some((row, tag)) = local.split_once('.') else {
            continue;
        };
        if let Some(row_id) = number(row) {
            if verify(secret, "message-id", &row_id.to_string(), tag) && !rows.contains(&row_id) {
                rows.push(row_id);
            }
        }
    }
    rows.reverse();
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn an_address_reads_back_as_who_it_was_issued_to() {
        for who in [
            ReplyAs::Guest {
                thread: 12,
                participant: 34,
                epoch: 2,
            },
            ReplyAs::Member { thread: 1, user: 7 },
            ReplyAs::Staff { thread: 9, user: 3 },
            ReplyAs::StaffNote { thread: 9, user: 3 },
        ] {
            let a = address(KEY, "reply.example.com", who);
            assert!(a.len() < 80, "{a}");
            assert!(a.split('@').next().unwrap().len() <= 64, "{a}");
            assert_eq!(read(KEY, "reply.example.com", &a), Some(who));
            assert_eq!(read(KEY, "REPLY.example.com", &a.to_uppercase()), Some(who));
            assert_eq!(read(KEY, "other.example.com", &a), None);
            assert_eq!(
                read(
                    b"another key, just as long as that",
                    "reply.example.com",
                    &a
                ),
                None
            );
        }
    }

    #[test]
    fn a_changed_or_guessed_address_is_refused() {
        let a = address(KEY, "x.test", ReplyAs::Member { thread: 5, user: 6 });
        for forged in [
            a.replace("reply+5-", "reply+6-"),
            a.replace("-m6-", "-s6-"),
            a.replace("-m6-", "-m06-"),
            a.replace("-m6-0-", "-m6-1-"),
            "reply+5-m6-0-00000000000000000000@x.test".to_string(),
            "reply+5-m6-0@x.test".to_string(),
            "reply+@x.test".to_string(),
            "support@x.test".to_string(),
            format!("{a}-extra"),
        ] {
            assert_eq!(read(KEY, "x.test", &forged), None, "{forged}");
        }
    }

    #[test]
    fn signed_message_ids_are_stable_and_traceable() {
        let id = message_id(KEY, 42, "pigeon.test");
        assert_eq!(id, message_id(KEY, 42, "pigeon.test"));
        assert!(id.starts_with("<pigeon.42."));
        let refs = format!("<other@mail.test> {id}\r\n <pigeon.43.0000@pigeon.test>");
        assert_eq!(rows_referenced(KEY, &refs), vec![42]);
        assert!(rows_referenced(b"not the same key at all, not at all", &refs).is_empty());
        let two = format!("{} {}", message_id(KEY, 7, "h"), message_id(KEY, 8, "h"));
        assert_eq!(rows_referenced(KEY, &two), vec![8, 7]);
    }
}
