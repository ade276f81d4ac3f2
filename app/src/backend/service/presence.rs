//! Staff presence (SPEC §14): an open conversation page says every few seconds that its
//! viewer is there, and whether they are writing a reply or a note; colleagues see it on the
//! conversation and on its inbox row, gone within seconds of them leaving or stopping.
//! Kept in the database, so that every instance sees it.
use std::collections::HashMap;

use super::rate_limit::{self, Limit};
use super::staff_threads;
use crate::backend::db::{self, now_ms, presence::Present, Db};
use crate::error::AppError;
use crate::model::staff::Presence;
use crate::model::viewer::Viewer;

/// How long one renewal lasts (the page renews every few seconds).
pub const LASTS_MS: i64 = 8_000;

/// Presence writes one person may make (a state change, a renewal, leaving), across all
/// their tabs: a page renews about every 3 s, so this leaves room for several tabs and
/// quick switches between replying and noting, and no more.
pub const WRITES: Limit = Limit {
    max: 40,
    window_s: 10,
};

/// The viewer is on the thread in `state` (`viewing`, `replying`, `noting`) or `left` it.
/// A renewal that would change nothing reads one row and writes nothing; the writes are
/// counted against `WRITES` (429 past it).
pub async fn renew(db: &Db, viewer: &Viewer, thread_id: i64, state: &str) -> Result<(), AppError> {
    if !matches!(state, "viewing" | "replying" | "noting" | "left") {
        return Err(AppError::invalid(
            "state",
            "Say viewing, replying, noting or left.",
        ));
    }
    staff_threads::readable(db, viewer, thread_id).await?;
    let now = now_ms();
    let kept = db::presence::find(db.reader(), thread_id, viewer.id).await?;
    let unchanged = match &kept {
        None => state == "left",
        Some((was, until)) => was == state && *until - now > LASTS_MS / 2,
    };
    if unchanged {
        return Ok(());
    }
    let mut w = db.write_single().await?;
    rate_limit::check_in(&mut w, &format!("presence:user:{}", viewer.id), WRITES).await?;
    if state == "left" {
        db::presence::leave(&mut w, thread_id, viewer.id).await?;
    } else {
        let (name, until) = (&viewer.name, now + LASTS_MS);
        db::presence::renew(&mut w, thread_id, viewer.id, name, state, now, until).await?;
    }
    Ok(())
}

/// Who else is on a thread the viewer may read, now.
pub async fn others_on_thread(
    db: &Db,
    viewer: &Viewer,
    thread_id: i64,
) -> Result<Vec<Presence>, AppError> {
    staff_threads::readable(db, viewer, thread_id).await?;
    let mut all = others_on(db, viewer.id, &[thread_id]).await?;
    Ok(all.remove(&thread_id).unwrap_or_default())
}

/// Who else is on each of the threads `ids` now.
pub async fn others_on(
    db: &Db,
    viewer_id: i64,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<Presence>>, AppError> {
    let mut out: HashMap<i64, Vec<Presence>> = HashMap::new();
    for p in db::presence::on_threads(db.reader(), ids, now_ms()).await? {
        if p.user_id != viewer_id {
            out.entry(p.thread_id).or_default().push(view(p));
        }
    }
    Ok(out)
}

fn view(p: Present) -> Presence {
    Presence {
        name: p.name,
        state: p.state,
    }
}
