//! The staff's "awaiting a reply" set (SPEC §3): support threads that need a reply and are
//! unassigned or assigned to the viewer (admins: all of them). The badge's count and the
//! dashboard's list come from the same condition, so they always agree.
use sqlx::{Any, Executor, Row};

use super::threads::THREAD_COLUMNS;
use super::threads::{from_packed, from_row, PackedThread, ThreadRow, PACKED_THREAD};
use super::{Backend, Db};
use crate::model::staff::{InboxSort, InboxSource};

const AWAITING: &str = "t.kind = 'support' AND t.status = 'pending' AND t.deleted_at IS NULL \
     AND (t.assignee_id IS NULL OR t.assignee_id = $1 OR $2 = 1)";

/// The awaiting count of viewer `$1` (`$2` = 1 for admins), from the counts the triggers
/// keep: one row read per assignee.
const AWAITING_SUM: &str = "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM awaiting_counts \
     WHERE assignee_id = 0 OR assignee_id = $1 OR $2 = 1";

/// How many threads await a reply for a viewer (`all` for admins): unassigned ones and
/// their own.
pub async fn awaiting_count<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    viewer_id: i64,
    all: bool,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(AWAITING_SUM)
        .bind(viewer_id)
        .bind(all as i64)
        .fetch_one(ex)
        .await
}

/// The header's two figures in one statement: the user's unread threads and, for staff
/// (`awaiting` is `Some(all)`), the threads awaiting their reply.
pub async fn header_counts<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    user_id: i64,
    awaiting: Option<bool>,
) -> Result<(i64, Option<i64>), sqlx::Error> {
    let sql = format!(
        "SELECT CAST(COALESCE((SELECT n FROM unread_counts WHERE user_id = $1), 0) AS BIGINT), \
         CASE WHEN $3 = 1 THEN ({AWAITING_SUM}) END"
    );
    sqlx::query_as(&sql)
        .bind(user_id)
        .bind((awaiting == Some(true)) as i64)
        .bind(awaiting.is_some() as i64)
        .fetch_one(ex)
        .await
}

/// The most recently active threads of that same set.
pub async fn awaiting_recent<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    viewer_id: i64,
    all: bool,
    limit: i64,
) -> Result<Vec<ThreadRow>, sqlx::Error> {
    let sql = format!(
        "SELECT {THREAD_COLUMNS} FROM threads t WHERE {AWAITING} \
         ORDER BY t.last_message_at DESC, t.id DESC LIMIT $3"
    );
    let rows = sqlx::query(&sql)
        .bind(viewer_id)
        .bind(all as i64)
        .bind(limit)
        .fetch_all(ex)
        .await?;
    rows.iter().map(from_row).collect()
}

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

/// A query under construction: SQL text and its arguments, numbered as they are added.
struct Query {
    sql: String,
    args: Vec<Arg>,
}

#[derive(Clone)]
enum Arg {
    Int(i64),
    Text(String),
}

impl Query {
    fn arg(&mut self, a: Arg) -> String {
        self.args.push(a);
        format!("${}", self.args.len())
    }
}

/// How a search is answered (see `list`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Search {
    /// Gather every matching thread from the text index, then filter and order them: fast
    /// when few threads match.
    Gather,
    /// Walk at most this many threads of the page's filter in the page's order and test
    /// each one: fast when most threads match, so a page fills after a few dozen.
    Walk(i64),
}

/// When a search walks the threads instead of gathering its matches (see `list`).
#[derive(Debug, Clone, Copy)]
pub struct SearchTuning {
    /// Size of the sample that judges how common a search is (see `sample`): matching
    /// text-index entries on SQLite, where a search with fewer is rare and its matches are
    /// gathered; messages on PostgreSQL. 0 reads none and walks every search first.
    pub sample_entries: i64,
    /// What testing one thread costs, in text-index entries gathered in the same time.
    pub probe_cost: i64,
    /// Most threads a walk tests before it gives way to gathering the matches.
    pub walk_threads: i64,
}

impl Default for SearchTuning {
    fn default() -> Self {
        SearchTuning {
            sample_entries: 250,
            probe_cost: PROBE_COST,
            walk_threads: 2_000,
        }
    }
}

/// Text-index entries SQLite gathers in the time it tests one thread for a word (measured on
/// 100,000 threads: BENCHMARKS.md).
const PROBE_COST: i64 = 100;

/// What the newest text of the inbox says of a search (see `sample`).
#[derive(Debug, Clone, Copy, Default)]
struct Sample {
    /// Matching entries read.
    entries: i64,
    /// Threads they belong to.
    threads: i64,
    /// Threads the sample covers.
    span: i64,
    /// Thread ids in all (the newest thread's id).
    all: i64,
    /// Whether the sample holds every match: then gathering them is cheap.
    complete: bool,
}

impl Sample {
    /// How many threads to walk, when walking them in the page's order finds `limit`
    /// matches sooner than gathering every match would; None to gather. The share of
    /// threads that match is judged from the sample, which comes from the newest threads,
    /// as the first pages do. A walk expected to need more than `walk_threads` tests is not
    /// tried, and a walk stops at three times the tests expected.
    fn walk(&self, limit: i64, tuning: SearchTuning) -> Option<i64> {
        if tuning.sample_entries == 0 {
            return Some(tuning.walk_threads);
        }
        if self.complete || self.threads == 0 {
            return None;
        }
        let span = self.span.max(1) as f64;
        let tests = limit as f64 * span / self.threads as f64;
        let gathered = self.entries as f64 * self.all.max(1) as f64 / span;
        (tests <= tuning.walk_threads as f64 && tests * tuning.probe_cost as f64 <= gathered)
            .then(|| ((tests * 3.0).ceil() as i64).min(tuning.walk_threads))
    }
}

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

/// Most words a typed word may stand for before it is left as a prefix.
const MAX_EXPANSION: usize = 16;

/// The engine's query for the words, or None when no thread can match. On SQLite each
/// word's last run, a prefix, becomes the index's words that begin with it (one lookup in
/// the index's word list): the query means the same, the index answers exact words without
/// first merging the lists of every word the prefix begins, and a word the index has never
/// seen answers at once.
pub async fn engine_query(db: &Db, words: &[String]) -> Result<Option<String>, sqlx::Error> {
    if db.backend == Backend::Postgres {
        return Ok(Some(tsquery(words)));
    }
    let mut parts = Vec::with_capacity(words.len());
    for word in words {
        let (head, last) = match word.rsplit_once(' ') {
            Some((head, last)) => (format!("{head} "), last),
            None => (String::new(), word.as_str()),
        };
        // The index folds accents away; a run with any is left to the index to match.
        if !last.is_ascii() {
            parts.push(fts5_prefix(word));
            continue;
        }
        let terms = index_words_from(db, last).await?;
        if terms.is_empty() {
            return Ok(None);
        }
        if terms.len() > MAX_EXPANSION {
            parts.push(fts5_prefix(word));
        } else {
            let phrases: Vec<String> = terms.iter().map(|t| format!("\"{head}{t}\"")).collect();
            parts.push(format!("({})", phrases.join(" OR ")));
        }
    }
    Ok(Some(parts.join(" AND ")))
}

/// The search index's words that begin with `prefix`, in order, up to one more than
/// `MAX_EXPANSION`: each step seeks straight to the next word.
async fn index_words_from(db: &Db, prefix: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "WITH RECURSIVE found(term) AS ( \
           SELECT (SELECT term FROM search_terms \
                   WHERE term >= $1 AND term < $1 || char(1114111) LIMIT 1) \
           UNION ALL \
           SELECT (SELECT term FROM search_terms \
                   WHERE term >= found.term || char(1) AND term < $1 || char(1114111) LIMIT 1) \
           FROM found WHERE found.term IS NOT NULL LIMIT $2) \
         SELECT term FROM found WHERE term IS NOT NULL",
    )
    .bind(prefix)
    .bind(MAX_EXPANSION as i64 + 1)
    .fetch_all(&db.pool)
    .await
}

/// A sample of the newest text, `size` long, with the matches of the query in it.
/// - SQLite's index is kept in thread order (each entry's id is its thread's id shifted
///   left 24 bits), so the sample is the newest `size` matching entries, and it covers the
///   thread ids from the oldest of their threads to the newest thread.
/// - PostgreSQL's text index answers in no order and reads every match before a `LIMIT`
///   applies (35 ms for "refund" at 100,000 threads), so the sample is the newest `size`
///   messages, each tested: 3–5 ms. It covers their threads.
async fn sample(db: &Db, query: &str, size: i64) -> Result<Sample, sqlx::Error> {
    if size == 0 {
        return Ok(Sample::default());
    }
    let sql = match db.backend {
        Backend::Sqlite => "SELECT COUNT(*), COUNT(DISTINCT id), \
               (SELECT COALESCE(MAX(id), 0) FROM threads) - COALESCE(MIN(id), 0) + 1, \
               (SELECT COALESCE(MAX(id), 0) FROM threads) \
             FROM (SELECT rowid >> 24 AS id FROM search_fts WHERE search_fts MATCH $1 \
               ORDER BY rowid DESC LIMIT $2) x"
            .to_string(),
        Backend::Postgres => format!(
            "SELECT COUNT(*) FILTER (WHERE hit), COUNT(DISTINCT thread_id) FILTER (WHERE hit), \
               COUNT(DISTINCT thread_id), \
               (SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM threads) \
             FROM (SELECT m.thread_id, {} @@ to_tsquery('simple', $1) AS hit \
               FROM messages m WHERE m.kind <> 'event' ORDER BY m.id DESC LIMIT $2) x",
            pg_vector("m.body")
        ),
    };
    let (entries, threads, span, all): (i64, i64, i64, i64) = sqlx::query_as(&sql)
        .bind(query)
        .bind(size)
        .fetch_one(&db.pool)
        .await?;
    Ok(Sample {
        entries,
        threads,
        span,
        all,
        complete: db.backend == Backend::Sqlite && entries < size,
    })
}

/// The condition that thread `t` matches the words (`m` is the engine's query argument,
/// `prefix` whether it holds a prefix): `Search::Gather` as one set of thread ids,
/// `Search::Walk` as a test of one thread.
fn matches(backend: Backend, how: Search, m: &str, prefix: bool) -> String {
    let walk = matches!(how, Search::Walk(_));
    match backend {
        // In a walk each thread asks the index for its own entries, a range of ids the index
        // seeks to: 11 µs a thread with the index in one piece (see `search_index`). A
        // prefix is the exception: the index merges the lists of every word it begins on
        // each ask, so then the matching ids are gathered once and each walked thread is
        // looked up in them.
        Backend::Sqlite if walk && !prefix => format!(
            "EXISTS (SELECT 1 FROM search_fts WHERE search_fts MATCH {m} \
             AND rowid BETWEEN t.id << 24 AND (t.id << 24) + 16777215)"
        ),
        Backend::Sqlite => {
            format!("t.id IN (SELECT rowid >> 24 FROM search_fts WHERE search_fts MATCH {m})")
        }
        Backend::Postgres => {
            let tq = format!("to_tsquery('simple', {m})");
            // Where else a thread's words are: (rows, the thread's id in them, the test).
            let parts = [
                (
                    "messages m",
                    "m.thread_id",
                    format!("m.kind <> 'event' AND {} @@ {tq}", pg_vector("m.body")),
                ),
                (
                    "participants p",
                    "p.thread_id",
                    format!(
                        "{} @@ {tq}",
                        pg_vector("p.display_name || ' ' || COALESCE(p.guest_email, '')")
                    ),
                ),
                (
                    "participants p JOIN users u ON u.id = p.user_id",
                    "p.thread_id",
                    format!("{} @@ {tq}", pg_vector("u.name || ' ' || u.email")),
                ),
            ];
            if walk {
                // Scalar subqueries, not EXISTS: the planner would turn an EXISTS into one
                // hashed set of every match, which is the gathering a walk is meant to skip.
                let others: String = parts
                    .iter()
                    .map(|(rows, thread, test)| {
                        format!(
                            " OR (SELECT 1 FROM {rows} WHERE {thread} = t.id AND {test} \
                             LIMIT 1) IS NOT NULL"
                        )
                    })
                    .collect();
                format!("({} @@ {tq}{others})", pg_vector("t.subject"))
            } else {
                let others: String = parts
                    .iter()
                    .map(|(rows, thread, test)| {
                        format!(" UNION SELECT {thread} FROM {rows} WHERE {test}")
                    })
                    .collect();
                format!(
                    "t.id IN (SELECT s.id FROM threads s WHERE {} @@ {tq}{others})",
                    pg_vector("s.subject")
                )
            }
        }
    }
}

/// One page of the inbox, answering the search (the way, and the engine's query) if any.
/// `list` chooses the way; the tests try each.
pub async fn page(
    db: &Db,
    f: &InboxFilter<'_>,
    search: Option<(Search, &str)>,
) -> Result<Vec<InboxRow>, sqlx::Error> {
    let backend = db.backend;
    let mut q = Query {
        sql: String::new(),
        args: Vec::new(),
    };
    let mut conds: Vec<String> = vec![if f.source == InboxSource::Trash {
        "t.deleted_at IS NOT NULL".into()
    } else {
        "t.deleted_at IS NULL".into()
    }];
    if !f.all_kinds {
        conds.push("t.kind = 'support'".into());
    }
    match f.source {
        InboxSource::NeedsReply => conds.push("t.status = 'pending'".into()),
        InboxSource::Open => conds.push("t.status = 'open'".into()),
        InboxSource::Closed => conds.push("t.status = 'closed'".into()),
        InboxSource::Mine => {
            let me = q.arg(Arg::Int(f.viewer_id));
            conds.push(format!("t.assignee_id = {me}"));
        }
        InboxSource::Unassigned => {
            conds.push("t.assignee_id IS NULL AND t.kind = 'support'".into())
        }
        InboxSource::Support => conds.push("t.kind = 'support'".into()),
        InboxSource::Direct => conds.push("t.kind = 'direct'".into()),
        InboxSource::All | InboxSource::Trash => {}
    }
    // The order, and its key: the column and the comparison that means "later in the list".
    let (order, column, later) = match f.sort {
        InboxSort::Activity => (
            "t.last_message_at DESC, t.id DESC",
            "t.last_message_at",
            "<",
        ),
        InboxSort::Created => ("t.created_at DESC, t.id DESC", "t.created_at", "<"),
        InboxSort::Subject => ("t.subject ASC, t.id ASC", "t.subject", ">"),
    };
    let key = |t: &ThreadRow| match f.sort {
        InboxSort::Activity => Arg::Int(t.last_message_at),
        InboxSort::Created => Arg::Int(t.created_at),
        InboxSort::Subject => Arg::Text(t.subject.clone()),
    };
    if let Some(a) = f.after {
        let v = q.arg(key(a));
        let i = q.arg(Arg::Int(a.id));
        conds.push(format!(
            "({column} {later} {v} OR ({column} = {v} AND t.id {later} {i}))"
        ));
    }
    let columns = format!("{THREAD_COLUMNS}, t.started_by_guest_email, a.name AS assignee_name");
    let assignee = "LEFT JOIN users a ON a.id = t.assignee_id";
    let walk = match search {
        Some((Search::Walk(threads), _)) => Some(threads),
        _ => None,
    };
    if let (Some(threads), Backend::Sqlite) = (walk, backend) {
        // SQLite walks the threads in the list's order and stops at a full page, within
        // the first `threads` of them: the last of those bounds the walk. (Walking a
        // subquery of those threads instead, SQLite sorts them again and tests them all.)
        let sql = format!(
            "SELECT {column} AS k, t.id FROM threads t WHERE {} ORDER BY {order} \
             LIMIT 1 OFFSET {}",
            conds.join(" AND "),
            threads.max(1) - 1
        );
        let row = bind_all(sqlx::query(&sql), q.args.clone())
            .fetch_optional(&db.pool)
            .await?;
        if let Some(row) = row {
            let last = match f.sort {
                InboxSort::Subject => Arg::Text(row.try_get("k")?),
                _ => Arg::Int(row.try_get("k")?),
            };
            let v = q.arg(last);
            let i = q.arg(Arg::Int(row.try_get("id")?));
            conds.push(format!(
                "NOT ({column} {later} {v} OR ({column} = {v} AND t.id {later} {i}))"
            ));
        }
    }
    let search =
        search.map(|(how, text)| (how, q.arg(Arg::Text(text.to_string())), text.contains('*')));
    q.sql = match search {
        Some((how @ Search::Walk(threads), m, prefix)) if backend == Backend::Postgres => {
            let walked = q.arg(Arg::Int(threads));
            let limit = q.arg(Arg::Int(f.limit));
            format!(
                "SELECT {columns} FROM (SELECT * FROM threads t WHERE {} \
                   ORDER BY {order} LIMIT {walked}) t {assignee} \
                 WHERE {} ORDER BY {order} LIMIT {limit}",
                conds.join(" AND "),
                matches(backend, how, &m, prefix)
            )
        }
        _ => {
            if let Some((how, m, prefix)) = search {
                conds.push(matches(backend, how, &m, prefix));
            }
            let limit = q.arg(Arg::Int(f.limit));
            format!(
                "SELECT {columns} FROM threads t {assignee} \
                 WHERE {} ORDER BY {order} LIMIT {limit}",
                conds.join(" AND ")
            )
        }
    };
    if backend == Backend::Sqlite {
        let columns = format!("{PACKED_THREAD}, started_by_guest_email, assignee_name");
        let sql = super::packed::statement(&columns, &q.sql, &order.replace("t.", ""));
        let rows: Vec<(PackedThread, Option<String>, Option<String>)> =
            super::packed::fetch(bind_all(sqlx::query(&sql), q.args), &db.pool).await?;
        return rows
            .into_iter()
            .map(|(t, email, assignee)| Ok((from_packed(t)?, email, assignee)))
            .collect();
    }
    let rows = bind_all(sqlx::query(&q.sql), q.args)
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                from_row(r)?,
                r.try_get("started_by_guest_email")?,
                r.try_get("assignee_name")?,
            ))
        })
        .collect()
}

/// A statement with its arguments bound in order.
fn bind_all<'q>(
    mut query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    args: Vec<Arg>,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    for a in args {
        query = match a {
            Arg::Int(n) => query.bind(n),
            Arg::Text(s) => query.bind(s),
        };
    }
    query
}

/// PostgreSQL's indexed text vector of an expression (the same text as the indexes of
/// migration 0007, so that they are used).
fn pg_vector(expr: &str) -> String {
    format!("to_tsvector('simple', regexp_replace({expr}, '[^[:alnum:]]+', ' ', 'g'))")
}

/// Most words one search looks for.
pub const MAX_SEARCH_WORDS: usize = 8;

/// The words of a search: each is a list of letter-and-digit runs (an email address is one
/// word of several runs, matched in order). Anything else is dropped, so nothing typed can
/// change the meaning of the engine's query syntax.
pub fn search_words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.split(|c: char| !c.is_alphanumeric())
                .filter(|r| !r.is_empty())
                .map(|r| r.chars().take(64).collect::<String>().to_lowercase())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|w| !w.is_empty())
        .take(MAX_SEARCH_WORDS)
        .collect()
}

/// The engine's query for the words with their prefixes left as prefixes.
pub fn prefix_query(backend: Backend, words: &[String]) -> String {
    match backend {
        Backend::Sqlite => fts5_query(words),
        Backend::Postgres => tsquery(words),
    }
}

/// SQLite FTS5: every word as a phrase whose last run may be a prefix, all required.
fn fts5_query(words: &[String]) -> String {
    words
        .iter()
        .map(|w| fts5_prefix(w))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// One word as an FTS5 phrase whose last run may be a prefix.
fn fts5_prefix(word: &str) -> String {
    format!("\"{word}\"*")
}

/// PostgreSQL tsquery: the same meaning as `fts5_query`.
fn tsquery(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("({}:*)", w.split(' ').collect::<Vec<_>>().join(" <-> ")))
        .collect::<Vec<_>>()
        .join(" & ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_becomes_safe_engine_queries() {
        let words = search_words("  Jo@Example.com \"refund\" OR* ");
        assert_eq!(words, vec!["jo example com", "refund", "or"]);
        assert_eq!(
            fts5_query(&words),
            "\"jo example com\"* AND \"refund\"* AND \"or\"*"
        );
        assert_eq!(
            tsquery(&words),
            "(jo <-> example <-> com:*) & (refund:*) & (or:*)"
        );
        assert!(search_words(" !!! ").is_empty());
        assert_eq!(search_words("a b c d e f g h i j").len(), MAX_SEARCH_WORDS);
    }

    #[test]
    fn a_walk_is_tried_only_where_it_pays() {
        let tuning = SearchTuning::default();
        let sample = |threads, span, all| Sample {
            entries: tuning.sample_entries,
            threads,
            span,
            all,
            complete: false,
        };
        // A word in 85% of 100,000 threads: ~60 tests fill a page; gathering reads ~50,000
        // entries. The walk may take three times the tests expected.
        assert_eq!(sample(425, 500, 100_000).walk(51, tuning), Some(180));
        // The same share of 1,000,000 threads.
        assert_eq!(sample(425, 500, 1_000_000).walk(51, tuning), Some(180));
        // In 2% of them: ~2,500 tests, more than a walk may take.
        assert_eq!(sample(250, 12_500, 100_000).walk(51, tuning), None);
        // In 5% of 10,000 threads: ~1,000 tests cost more than gathering 500 entries.
        assert_eq!(sample(250, 5_000, 10_000).walk(51, tuning), None);
        // In 20% of 1,000,000 threads: 255 tests, against ~200,000 entries; a long walk
        // stops at `walk_threads`.
        assert_eq!(sample(250, 1_250, 1_000_000).walk(51, tuning), Some(765));
        let short = SearchTuning {
            walk_threads: 300,
            ..tuning
        };
        assert_eq!(sample(250, 1_250, 1_000_000).walk(51, short), Some(300));
        // Fewer entries than the sample asks for: rare, gathered.
        let rare = Sample {
            entries: 5,
            threads: 5,
            span: 5,
            all: 100_000,
            complete: true,
        };
        assert_eq!(rare.walk(51, tuning), None);
        let always = SearchTuning {
            sample_entries: 0,
            ..tuning
        };
        assert_eq!(
            Sample::default().walk(51, always),
            Some(always.walk_threads)
        );
    }
}
