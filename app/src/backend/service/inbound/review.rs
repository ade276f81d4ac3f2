//! The admins' side of incoming mail: what arrived and what became of it, the originals,
//! and their decisions about held messages (attach to a conversation, start one, discard,
//! process again).
use super::acts::{finish, post, start};
use super::Poster;
use crate::backend::db::{self, inbound::Listed};
use crate::backend::mail::incoming;
use crate::backend::service::staff_threads;
use crate::backend::state::AppState;
use crate::error::AppError;
use crate::model::inbound::{BouncingAddress, InboundItem, InboundOverview};
use crate::model::viewer::{Permission, Viewer};

/// Messages the Inbound page lists.
const LISTED: i64 = 100;

fn item(l: Listed) -> InboundItem {
    InboundItem {
        id: l.id,
        received_at: l.received_at,
        via: l.via,
        from: if l.from_address.is_empty() {
            l.envelope_from
        } else {
            l.from_address
        },
        subject: l.subject,
        state: l.state,
        reason: l.reason,
        thread_id: l.thread_id,
        size: l.size,
    }
}

/// The Inbound page: admins only.
pub async fn overview(
    state: &AppState,
    viewer: &Viewer,
    only: Option<&str>,
) -> Result<InboundOverview, AppError> {
    if !viewer.is_admin {
        return Err(AppError::Forbidden);
    }
    let only = only.filter(|s| {
        [
            "new",
            "posted",
            "started",
            "held",
            "dropped",
            "failed",
            "discarded",
        ]
        .contains(s)
    });
    let reader = state.db.reader();
    let items = db::inbound::recent(reader, only, LISTED).await?;
    let bouncing = db::inbound::bouncing(reader, 50).await?;
    Ok(InboundOverview {
        counts: db::inbound::counts(reader).await?,
        items: items.into_iter().map(item).collect(),
        bouncing: bouncing
            .into_iter()
            .map(|(email, bounced_at, reason)| BouncingAddress {
                email,
                bounced_at,
                reason,
            })
            .collect(),
        reply_domain: state.config.reply_domain(),
        support_address: state.config.inbound.support_address.clone(),
    })
}

/// An incoming message as it arrived, for staff who may read the conversation it was
/// posted to (admins for the rest).
pub async fn original(state: &AppState, viewer: &Viewer, id: i64) -> Result<Vec<u8>, AppError> {
    let (row, raw) = db::inbound::find(state.db.reader(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    let allowed = viewer.is_admin
        || match row.thread_id {
            Some(thread) => {
                viewer.can(Permission::Access)
                    && staff_threads::readable(&state.db, viewer, thread)
                        .await
                        .is_ok()
            }
            None => false,
        };
    if allowed {
        Ok(raw)
    } else {
        Err(AppError::NotFound)
    }
}

/// What an admin decides about a held (or failed) message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Post it to this conversation, as its sender.
    Attach(i64),
    /// Start a new support conversation from it.
    Start,
    /// Let it go.
    Discard,
    /// Process it again (after a setting or the sender's account changed).
    Retry,
}

/// Carries out an admin's decision about message `id`.
pub async fn decide(
    state: &AppState,
    viewer: &Viewer,
    id: i64,
    decision: Decision,
) -> Result<(), AppError> {
    if !viewer.is_admin {
        return Err(AppError::Forbidden);
    }
    let (row, raw) = db::inbound::find(state.db.reader(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !matches!(row.state.as_str(), "held" | "failed") {
        return Err(AppError::invalid(
            "id",
            "This message was already dealt with.",
        ));
    }
    if decision == Decision::Retry {
        return super::retry(state, id).await;
    }
    let by = format!("{} (admin)", viewer.name);
    if decision == Decision::Discard {
        let mail = incoming::read(&raw).unwrap_or_default();
        let why = format!("discarded by {by}");
        return finish(state, id, "discarded", &why, row.thread_id, None, &mail).await;
    }
    let mail = incoming::read(&raw)
        .map_err(|e| AppError::invalid("id", format!("This message cannot be read ({}).", e.0)))?;
    match decision {
        Decision::Attach(thread) => {
            let poster = Poster::Guest {
                email: mail.from.clone(),
                name: sender_name(&mail),
            };
            let why = format!("attached to #{thread} by {by}");
            post(state, id, &mail, thread, &poster, &why).await
        }
        _ => start(state, id, &mail, &format!("started by {by}")).await,
    }
}

fn sender_name(mail: &incoming::Incoming) -> String {
    let name = crate::backend::service::guest::mail_display_name(&mail.from_name);
    if name.trim().is_empty() {
        mail.from.split('@').next().unwrap_or("Guest").to_string()
    } else {
        name
    }
}
