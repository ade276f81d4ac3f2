//! The staff's "awaiting a reply" set (SPEC §3): support threads that need a reply and are
//! unassigned or assigned to the viewer (admins: all of them). The badge's count and the
//! dashboard's list come from the same condition, so they always agree.
use sqlx::{Any, Executor, Row};

use super::threads::{from_row, ThreadRow, THREAD_COLUMNS};
use super::{Backend, Db};
use crate::model::staff::{InboxSort, InboxSource};

const AWAITING: &str = "t.kind = 'support' AND t.status = 'pending' AND t.deleted_at IS NULL \
     AND (t.assignee_id IS NULL OR t.assignee_id = $1 OR $2 = 1)";

/// How many threads await a reply for a viewer (`all` for admins): unassigned ones and
/// their own, from the counts the triggers keep (one row read per assignee).
pub async fn awaiting_count<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    viewer_id: i64,
    all: bool,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM awaiting_counts \
         WHERE assignee_id = 0 OR assignee_id = $1 OR $2 = 1",
    )
    .bind(viewer_id)
    .bind(all as i64)
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

/// One page of the inbox, in the filter's order.
pub async fn list(db: &Db, f: &InboxFilter<'_>) -> Result<Vec<InboxRow>, sqlx::Error> {
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
    if !f.words.is_empty() {
        let cond = match backend {
            Backend::Sqlite => {
                let m = q.arg(Arg::Text(fts5_query(f.words)));
                format!("t.id IN (SELECT rowid >> 24 FROM search_fts WHERE search_fts MATCH {m})")
            }
            Backend::Postgres => {
                let m = q.arg(Arg::Text(tsquery(f.words)));
                let tq = format!("to_tsquery('simple', {m})");
                format!(
                    "t.id IN (SELECT s.id FROM threads s WHERE {} @@ {tq} \
                     UNION SELECT m.thread_id FROM messages m \
                       WHERE m.kind <> 'event' AND {} @@ {tq} \
                     UNION SELECT p.thread_id FROM participants p WHERE {} @@ {tq} \
                     UNION SELECT p.thread_id FROM participants p JOIN users u \
                       ON u.id = p.user_id WHERE {} @@ {tq})",
                    pg_vector("s.subject"),
                    pg_vector("m.body"),
                    pg_vector("p.display_name || ' ' || COALESCE(p.guest_email, '')"),
                    pg_vector("u.name || ' ' || u.email"),
                )
            }
        };
        conds.push(cond);
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
    let limit = q.arg(Arg::Int(f.limit));
    q.sql = format!(
        "SELECT {THREAD_COLUMNS}, t.started_by_guest_email, a.name AS assignee_name \
         FROM threads t LEFT JOIN users a ON a.id = t.assignee_id \
         WHERE {} ORDER BY {order} LIMIT {limit}",
        conds.join(" AND ")
    );
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

/// SQLite FTS5: every word as a phrase whose last run may be a prefix, all required.
fn fts5_query(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("\"{w}\"*"))
        .collect::<Vec<_>>()
        .join(" AND ")
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
