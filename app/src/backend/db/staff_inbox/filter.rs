//! One page of the staff inbox: what is asked for (`InboxFilter`) and how a search is
//! answered (gathered from the text index, or by walking threads in the page's order).
use super::query::page;
use super::search::{engine_query, sample, Search, SearchTuning};
use crate::backend::db::threads::ThreadRow;
use crate::backend::db::Db;
use crate::model::staff::{InboxSort, InboxSource};

/// What one page of the inbox asks the database for. Permissions are the service's job;
/// `all_kinds` is false for non-admins, who never see direct threads.
#[derive(Debug, Clone)]
pub struct InboxFilter<'a> {
    pub viewer_id: i64,
    pub all_kinds: bool,
    pub source: InboxSource,
    /// Words to look for (see `search_words`); empty for no search.
    pub words: &'a [String],
    pub sort: InboxSort,
    /// The last thread of the previous page.
    pub after: Option<&'a ThreadRow>,
    pub limit: i64,
}

/// One inbox row: the thread, the guest address it was started from, the assignee's name.
pub type InboxRow = (ThreadRow, Option<String>, Option<String>);

/// One page of the inbox, in the filter's order.
///
/// A search for a rare word gathers its few matches from the text index. A search for a
/// common word would gather most of the threads only to keep a page of them, so when the
/// newest matches show that the word is common enough, threads are walked in the page's
/// order and each is asked of the text index until a page is full. When the first
/// `walk_threads` threads do not fill a page, the matches are gathered after all. Both ways
/// give the same page.
pub async fn list(db: &Db, f: &InboxFilter<'_>) -> Result<Vec<InboxRow>, sqlx::Error> {
    list_tuned(db, f, SearchTuning::default()).await
}

/// `list` with other thresholds (the tests compare both ways on small data).
pub async fn list_tuned(
    db: &Db,
    f: &InboxFilter<'_>,
    tuning: SearchTuning,
) -> Result<Vec<InboxRow>, sqlx::Error> {
    if f.words.is_empty() {
        return page(db, f, None).await;
    }
    let Some(query) = engine_query(db, f.words).await? else {
        return Ok(Vec::new());
    };
    let sample = sample(db, &query, tuning.sample_entries).await?;
    if let Some(threads) = sample.walk(f.limit, tuning) {
        let walk = Search::Walk(threads);
        let walked = page(db, f, Some((walk, &query))).await?;
        if walked.len() as i64 >= f.limit {
            return Ok(walked);
        }
    }
    page(db, f, Some((Search::Gather, &query))).await
}
