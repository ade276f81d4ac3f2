//! Searching the inbox: the words of a search, the engine's query for them (SQLite FTS5 or
//! PostgreSQL tsquery), and what the newest text says of how common they are.
use super::words::{fts5_prefix, tsquery};
use crate::backend::db::{Backend, Db};

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
pub(super) struct Sample {
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
    pub(super) fn walk(&self, limit: i64, tuning: SearchTuning) -> Option<i64> {
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
pub(super) async fn sample(db: &Db, query: &str, size: i64) -> Result<Sample, sqlx::Error> {
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
pub(super) fn matches(backend: Backend, how: Search, m: &str, prefix: bool) -> String {
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

/// PostgreSQL's indexed text vector of an expression (the same text as the indexes of
/// migration 0007, so that they are used).
fn pg_vector(expr: &str) -> String {
    format!("to_tsvector('simple', regexp_replace({expr}, '[^[:alnum:]]+', ' ', 'g'))")
}

#[cfg(test)]
mod tests {
    use super::*;

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
