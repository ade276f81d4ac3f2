//! The staff's "awaiting a reply" set (SPEC §3): support threads that need a reply and are
//! unassigned or assigned to the viewer (admins: all of them). The badge's count and the
//! dashboard's list come from the same condition, so they always agree.
use sqlx::{Any, Executor, Row};

use super::threads::{from_row, ThreadRow, THREAD_COLUMNS};
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
    /// Text-index entries at which a search counts as common.
    pub common_entries: i64,
    /// Threads a walk tests before it gives way to gathering the matches.
    pub walk_threads: i64,
}

impl Default for SearchTuning {
    fn default() -> Self {
        SearchTuning {
            common_entries: 2_000,
            walk_threads: 2_000,
        }
    }
}

/// One page of the inbox, in the filter's order.
///
/// A search for a rare word gathers its few matches from the text index. A search for a
/// common word would gather most of the threads only to keep a page of them, so when the
/// index holds at least `common_entries` entries for it, threads are walked in the page's
/// order and tested one by one until a page is full. When the first `walk_threads` threads do
/// not fill a page, the matches are gathered after all. Both ways give the same page.
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
    if common_entries(db, &query, tuning.common_entries).await? >= tuning.common_entries {
        let walk = Search::Walk(tuning.walk_threads);
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

/// How many text-index entries match the query, counted up to `cap`.
async fn common_entries(db: &Db, query: &str, cap: i64) -> Result<i64, sqlx::Error> {
    let sql = match db.backend {
        Backend::Sqlite => "SELECT COUNT(*) FROM (SELECT 1 FROM search_fts \
             WHERE search_fts MATCH $1 LIMIT $2) x"
            .to_string(),
        Backend::Postgres => format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM messages m WHERE m.kind <> 'event' \
             AND {} @@ to_tsquery('simple', $1) LIMIT $2) x",
            pg_vector("m.body")
        ),
    };
    sqlx::query_scalar(&sql)
        .bind(query)
        .bind(cap)
        .fetch_one(&db.pool)
        .await
}

/// The condition that thread `t` matches the words (`m` is the engine's query argument):
/// `Search::Gather` as one set of thread ids, `Search::Walk` as a test of one thread.
fn matches(backend: Backend, how: Search, m: &str) -> String {
    let walk = matches!(how, Search::Walk(_));
    match backend {
        // The same words both ways. In a walk `t` is the walked threads, which have no
        // index, so the matching ids are gathered once and each thread is looked up in
        // them. (Asking the text index about one thread at a time reads the word's whole
        // list each time in the SQLite Pigeon is built with: 4 ms a thread for a common
        // word.)
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
    let (order, key_after) = match f.sort {
        InboxSort::Activity => (
            "t.last_message_at DESC, t.id DESC",
            f.after
                .map(|a| (Arg::Int(a.last_message_at), a.id, "t.last_message_at", "<")),
        ),
        InboxSort::Created => (
            "t.created_at DESC, t.id DESC",
            f.after
                .map(|a| (Arg::Int(a.created_at), a.id, "t.created_at", "<")),
        ),
        InboxSort::Subject => (
            "t.subject ASC, t.id ASC",
            f.after
                .map(|a| (Arg::Text(a.subject.clone()), a.id, "t.subject", ">")),
        ),
    };
    if let Some((value, id, column, op)) = key_after {
        let v = q.arg(value);
        let i = q.arg(Arg::Int(id));
        conds.push(format!(
            "({column} {op} {v} OR ({column} = {v} AND t.id {op} {i}))"
        ));
    }
    let search = search.map(|(how, text)| (how, q.arg(Arg::Text(text.to_string()))));
    let columns = format!("{THREAD_COLUMNS}, t.started_by_guest_email, a.name AS assignee_name");
    let assignee = "LEFT JOIN users a ON a.id = t.assignee_id";
    q.sql = match search {
        Some((how @ Search::Walk(threads), m)) => {
            let walked = q.arg(Arg::Int(threads));
            let limit = q.arg(Arg::Int(f.limit));
            format!(
                "SELECT {columns} FROM (SELECT * FROM threads t WHERE {} \
                   ORDER BY {order} LIMIT {walked}) t {assignee} \
                 WHERE {} ORDER BY {order} LIMIT {limit}",
                conds.join(" AND "),
                matches(backend, how, &m)
            )
        }
        _ => {
            if let Some((how, m)) = search {
                conds.push(matches(backend, how, &m));
            }
            let limit = q.arg(Arg::Int(f.limit));
            format!(
                "SELECT {columns} FROM threads t {assignee} \
                 WHERE {} ORDER BY {order} LIMIT {limit}",
                conds.join(" AND ")
            )
        }
    };
    let mut query = sqlx::query(&q.sql);
    for a in q.args {
        query = match a {
            Arg::Int(n) => query.bind(n),
            Arg::Text(s) => query.bind(s),
        };
    }
    let rows = query.fetch_all(&db.pool).await?;
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
}
