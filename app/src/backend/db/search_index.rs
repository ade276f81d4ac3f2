//! Upkeep of SQLite's text index (migration 0007). Each write transaction adds its words to
//! the index as a small b-tree of its own (a segment), and SQLite merges them four at a time
//! as they come, which leaves a couple of dozen segments on a large index. A search that
//! asks about one thread at a time (`staff_inbox::list`'s walk) seeks in every segment: on
//! 100,000 threads a test took 116 µs with 20 segments and 11 µs with one. So when the
//! segments pass a limit they are merged into one, a few pages per write transaction, so
//! that writers wait no more than a few milliseconds for their turn. PostgreSQL's index
//! needs none of this.
use std::time::Duration;

use super::{Backend, Db};

/// Segments above which `tidy` merges the index.
pub const MOST_SEGMENTS: i64 = 8;

/// Index pages merged in one write transaction: about 8 ms of work.
const PAGES_PER_STEP: i64 = 100;

/// How many segments the index holds.
pub async fn segments(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(DISTINCT segid) FROM search_fts_idx")
        .fetch_one(&db.pool)
        .await
}

/// One step of merging every segment into one: the first step gathers them all on one
/// level, and later ones carry that merge on (with later segments left for the next
/// time). True while there is more to do.
async fn merge_step(db: &Db, first: bool) -> Result<bool, sqlx::Error> {
    let pages = if first {
        -PAGES_PER_STEP
    } else {
        PAGES_PER_STEP
    };
    let mut tx = db.write().await?;
    let before: i64 = sqlx::query_scalar("SELECT total_changes()")
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO search_fts (search_fts, rank) VALUES ('merge', $1)")
        .bind(pages)
        .execute(&mut *tx)
        .await?;
    let after: i64 = sqlx::query_scalar("SELECT total_changes()")
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    // The index's own rule: a step that found nothing to merge changes fewer than 2 rows.
    Ok(after - before >= 2)
}

/// Merges the index into one segment when it holds more than `most` segments, pausing
/// `pause` between steps so that other writers go first. Returns the steps taken (0 when
/// the index was left as it was; always 0 on PostgreSQL).
pub async fn tidy(db: &Db, most: i64, pause: Duration) -> Result<u32, sqlx::Error> {
    if db.backend != Backend::Sqlite || segments(db).await? <= most {
        return Ok(0);
    }
    let mut steps = 1;
    let mut more = merge_step(db, true).await?;
    while more {
        tokio::time::sleep(pause).await;
        more = merge_step(db, false).await?;
        steps += 1;
    }
    Ok(steps)
}

/// Merges the index into one segment at once (after a bulk load, with nobody waiting).
pub async fn optimize(db: &Db) -> Result<(), sqlx::Error> {
    if db.backend == Backend::Sqlite {
        let mut tx = db.write().await?;
        sqlx::query("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(())
}
