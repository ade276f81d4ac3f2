//! Who an email goes to: an account, a configured support address, or a guest (with a
//! freshly minted private link).
use super::{Site, Step, Undeliverable};
use crate::backend::auth::links;
use crate::backend::db::{self, mail_queue::QueuedMail, Db};
use crate::backend::settings::Settings;
use crate::routes::page;

/// Who an email goes to.
pub(super) struct Recipient {
    pub name: String,
    pub email: String,
    /// Staff get staff-inbox links; configured support addresses count as staff.
    pub is_staff: bool,
    pub user_id: Option<i64>,
    /// A guest's private link, minted for this email.
    pub guest_link: Option<String>,
    /// A guest's reply generation (named by their reply address).
    pub reply_epoch: i64,
}

/// The row's recipient, or why there is none to send to.
pub(super) async fn of(
    db: &Db,
    settings: &Settings,
    row: &QueuedMail,
    site: &Site<'_>,
) -> Step<Recipient> {
    match (row.recipient_user_id, &row.recipient_email) {
        (Some(user_id), _) => account(db, user_id).await,
        (None, Some(address)) => Ok(Ok(Recipient {
            name: String::new(),
            email: address.clone(),
            is_staff: true,
            user_id: None,
            guest_link: None,
            reply_epoch: 0,
        })),
        (None, None) => guest(db, settings, row, site).await,
    }
}

async fn account(db: &Db, user_id: i64) -> Step<Recipient> {
    let user = db::users::find_by_id(db.reader(), user_id).await?;
    Ok(match user.filter(|u| !u.disabled) {
        Some(user) => Ok(Recipient {
            is_staff: user.to_viewer().is_staff(),
            name: user.name,
            email: user.email,
            user_id: Some(user.id),
            guest_link: None,
            reply_epoch: 0,
        }),
        None => Err(Undeliverable::because(
            "the recipient's account is gone or disabled",
        )),
    })
}

/// A guest: their address on the thread, and a freshly minted link.
async fn guest(db: &Db, settings: &Settings, row: &QueuedMail, site: &Site<'_>) -> Step<Recipient> {
    let participant = match row.participant_id {
        Some(pid) => db::participants::find_by_id(db.reader(), pid).await?,
        None => None,
    };
    let Some(p) = participant.filter(|p| p.left_at.is_none()) else {
        return Ok(Err(Undeliverable::because(
            "the guest left or the thread is gone",
        )));
    };
    let (Some(email), Some(thread_id)) = (p.guest_email, row.thread_id) else {
        return Ok(Err(Undeliverable::because(
            "the recipient is not a guest of a thread",
        )));
    };
    let days = settings.guest_token_lifetime_days;
    let token = links::mint_guest_link(db, thread_id, p.id, days).await?;
    Ok(Ok(Recipient {
        name: p.display_name,
        email,
        is_staff: false,
        user_id: None,
        guest_link: Some(format!("{}{}", site.base, page::guest_link(&token))),
        reply_epoch: p.reply_epoch,
    }))
}
