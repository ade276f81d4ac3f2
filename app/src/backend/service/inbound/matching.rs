//! Where an incoming message belongs, and as whom it may post. A reply address is a
//! capability bound to one person in one conversation; the sender must be that person
//! (case-insensitive), and the person must still be able to write there. Without a reply
//! address, a signed Message-ID in `In-Reply-To`/`References` names the conversation, and
//! the sender must be one of its participants. Never the subject.
use crate::backend::config::Config;
use crate::backend::db::{self, Db};
use crate::backend::mail::incoming::Incoming;
use crate::backend::mail::reply_address::{self, ReplyAs};
use crate::backend::service::{member_threads, staff_threads};
use crate::error::AppError;
use crate::model::thread::ThreadKind;
use crate::model::viewer::{Permission, Viewer};

/// As whom a message posts.
#[derive(Debug, Clone)]
pub enum Poster {
    Guest { email: String, name: String },
    Member(Viewer),
    Staff { viewer: Viewer, note: bool },
}

/// What to do with a message that is not noise.
#[derive(Debug, Clone)]
pub enum Verdict {
    /// Post to the thread, and why it matched.
    Post {
        thread: i64,
        poster: Poster,
        why: String,
    },
    /// A new support conversation (mail to the support address).
    Start,
    /// Keep for an admin to decide, and why.
    Hold { thread: Option<i64>, why: String },
}

fn hold(thread: Option<i64>, why: impl Into<String>) -> Verdict {
    Verdict::Hold {
        thread,
        why: why.into(),
    }
}

/// Decides where `mail` (sent to `envelope_to`) belongs.
pub async fn verdict(
    db: &Db,
    config: &Config,
    mail: &Incoming,
    envelope_to: &[String],
) -> Result<Verdict, AppError> {
    let recipients: Vec<&str> = envelope_to
        .iter()
        .map(String::as_str)
        .chain(mail.to.iter().map(String::as_str))
        .collect();
    if let Some(domain) = config.reply_domain() {
        let addressed = recipients
            .iter()
            .find_map(|r| reply_address::read(&config.secret, &domain, r));
        if let Some(who) = addressed {
            return by_address(db, mail, who).await;
        }
        let forged = recipients
            .iter()
            .any(|r| r.starts_with(reply_address::PREFIX) && r.ends_with(&format!("@{domain}")));
        if forged {
            return Ok(hold(
                None,
                "its reply address is not one Pigeon made (changed or forged)",
            ));
        }
    }
    let rows = reply_address::rows_referenced(&config.secret, &mail.references);
    for row in rows {
        if let Some((thread, _)) = db::outbox::thread_and_recipient(db.reader(), row).await? {
            return by_headers(db, mail, thread).await;
        }
    }
    let support = config.inbound.support_address.as_deref();
    if support.is_some_and(|s| recipients.iter().any(|r| r.eq_ignore_ascii_case(s))) {
        return Ok(Verdict::Start);
    }
    Ok(hold(
        None,
        "it is not a reply to a Pigeon email and not sent to the support address",
    ))
}

/// A reply to a reply address: the person it was issued to, if they sent it and may still
/// write there.
async fn by_address(db: &Db, mail: &Incoming, who: ReplyAs) -> Result<Verdict, AppError> {
    let thread_id = who.thread();
    let t = Some(thread_id);
    let Some(thread) = db::threads::find(db.reader(), thread_id).await? else {
        return Ok(hold(None, "the conversation it answers was deleted"));
    };
    if thread.deleted_at.is_some() {
        return Ok(hold(t, "the conversation it answers is in the Trash"));
    }
    let not_sender = |holder: &str| {
        hold(
            t,
            format!(
                "it came from {}, but its reply address belongs to {holder}",
                mail.from
            ),
        )
    };
    match who {
        ReplyAs::Guest {
            participant, epoch, ..
        } => {
            let p = db::participants::find_by_id(db.reader(), participant).await?;
            let Some(p) = p.filter(|p| p.user_id.is_none()) else {
                return Ok(hold(
                    t,
                    "the guest it was sent to is no longer in the conversation",
                ));
            };
            let email = p.guest_email.clone().unwrap_or_default();
            if !email.eq_ignore_ascii_case(&mail.from) {
                return Ok(not_sender(&email));
            }
            if p.left_at.is_some() {
                return Ok(hold(t, "the guest it was sent to left the conversation"));
            }
            if p.reply_epoch != epoch {
                return Ok(hold(
                    t,
                    "the guest's links were revoked after this email was sent",
                ));
            }
            Ok(Verdict::Post {
                thread: thread_id,
                poster: Poster::Guest {
                    email,
                    name: p.display_name,
                },
                why: "the guest's reply address".into(),
            })
        }
        ReplyAs::Member { user, .. } => {
            let Some(viewer) = active_user(db, user).await? else {
                return Ok(hold(t, "the member it was sent to is disabled or gone"));
            };
            if !viewer.email.eq_ignore_ascii_case(&mail.from) {
                return Ok(not_sender(&viewer.email));
            }
            if member_threads::ensure_participant(db, &viewer, thread_id)
                .await
                .is_err()
            {
                return Ok(hold(
                    t,
                    "the member it was sent to is no longer in the conversation",
                ));
            }
            Ok(Verdict::Post {
                thread: thread_id,
                poster: Poster::Member(viewer),
                why: "the member's reply address".into(),
            })
        }
        ReplyAs::Staff { user, .. } | ReplyAs::StaffNote { user, .. } => {
            let Some(viewer) = active_user(db, user).await? else {
                return Ok(hold(
                    t,
                    "the staff member it was sent to is disabled or gone",
                ));
            };
            if !viewer.email.eq_ignore_ascii_case(&mail.from) {
                return Ok(not_sender(&viewer.email));
            }
            if !viewer.can(Permission::ManageThreads)
                || staff_threads::readable(db, &viewer, thread_id)
                    .await
                    .is_err()
            {
                return Ok(hold(
                    t,
                    "the staff member it was sent to may no longer answer there",
                ));
            }
            let note = matches!(who, ReplyAs::StaffNote { .. });
            Ok(Verdict::Post {
                thread: thread_id,
                poster: Poster::Staff { viewer, note },
                why: if note {
                    "a staff member's reply to a note's email (an internal note)".into()
                } else {
                    "a staff member's reply address".into()
                },
            })
        }
    }
}

/// A reply traced only by its headers to `thread_id`: posted when the sender is one of
/// the conversation's participants, held otherwise.
async fn by_headers(db: &Db, mail: &Incoming, thread_id: i64) -> Result<Verdict, AppError> {
    let t = Some(thread_id);
    let Some(thread) = db::threads::find(db.reader(), thread_id).await? else {
        return Ok(hold(None, "the conversation it answers was deleted"));
    };
    if thread.deleted_at.is_some() {
        return Ok(hold(t, "the conversation it answers is in the Trash"));
    }
    let people = db::participants::list_with_emails(db.reader(), thread_id).await?;
    let why = "its In-Reply-To/References name a Pigeon email of this conversation, and the sender takes part in it".to_string();
    for (p, account_email) in people {
        if p.left_at.is_some() {
            continue;
        }
        if let Some(guest) = &p.guest_email {
            if guest.eq_ignore_ascii_case(&mail.from) {
                return Ok(Verdict::Post {
                    thread: thread_id,
                    poster: Poster::Guest {
                        email: guest.clone(),
                        name: p.display_name,
                    },
                    why,
                });
            }
        }
        let (Some(user), Some(email)) = (p.user_id, account_email) else {
            continue;
        };
        if !email.eq_ignore_ascii_case(&mail.from) {
            continue;
        }
        let Some(viewer) = active_user(db, user).await? else {
            break;
        };
        let poster = if thread.kind == ThreadKind::Support
            && viewer.can(Permission::ManageThreads)
            && staff_threads::readable(db, &viewer, thread_id)
                .await
                .is_ok()
        {
            Poster::Staff {
                viewer,
                note: false,
            }
        } else {
            Poster::Member(viewer)
        };
        return Ok(Verdict::Post {
            thread: thread_id,
            poster,
            why,
        });
    }
    Ok(hold(
        t,
        format!(
            "its headers name conversation #{thread_id}, but {} does not take part in it",
            mail.from
        ),
    ))
}

async fn active_user(db: &Db, id: i64) -> Result<Option<Viewer>, AppError> {
    let user = db::users::find_by_id(db.reader(), id).await?;
    Ok(user.filter(|u| !u.disabled).map(|u| u.to_viewer()))
}
