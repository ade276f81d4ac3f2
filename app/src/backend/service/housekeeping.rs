//! Periodic clean-up: expired sessions and email links, old rate-limit windows, unused
//! files, and a split search index merged.
use std::time::Duration;

use crate::backend::attachments::{self, store::Store};
use crate::backend::db::{self, Db};

/// One round of clean-up at `now`; each part logs its own failure and the others go on.
pub async fn tidy(db: &Db, files: &Store, now: i64) {
    match attachments::sweep(db, files, now).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(files = n, "deleted unused attachment files"),
        Err(e) => tracing::warn!(error = %e, "attachment sweep failed"),
    }
    for table in db::EXPIRING {
        let purged = match db.write_single().await {
            Ok(mut w) => db::purge_expired(&mut w, table, now).await,
            Err(e) => Err(e),
        };
        if let Err(e) = purged {
            tracing::warn!(error = %e, table, "clean-up of expired rows failed");
        }
    }
    let purged = match db.write_single().await {
        Ok(mut w) => db::rate_limits::purge(&mut w, now - 24 * 3600 * 1000).await,
        Err(e) => Err(e),
    };
    if let Err(e) = purged {
        tracing::warn!(error = %e, "rate-limit clean-up failed");
    }
    let purged = match db.write_single().await {
        Ok(mut w) => db::events::purge(&mut w, now).await,
        Err(e) => Err(e),
    };
    if let Err(e) = purged {
        tracing::warn!(error = %e, "change feed clean-up failed");
    }
    let purged = match db.write_single().await {
        Ok(mut w) => db::undo::purge(&mut w, now - super::undo::WINDOW_MS).await,
        Err(e) => Err(e),
    };
    if let Err(e) = purged {
        tracing::warn!(error = %e, "undo clean-up failed");
    }
    let pause = Duration::from_millis(20);
    match db::search_index::tidy(db, db::search_index::MOST_SEGMENTS, pause).await {
        Ok(0) => {}
        Ok(steps) => tracing::info!(steps, "merged the search index"),
        Err(e) => tracing::warn!(error = %e, "search index upkeep failed"),
    }
}
