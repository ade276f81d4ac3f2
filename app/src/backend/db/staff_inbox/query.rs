//! The inbox's SQL: one statement built from the filter, the order, the page's cursor and
//! the search (its way and the engine's query), with its arguments numbered as added.
use sqlx::{Any, Row};

use super::filter::{InboxFilter, InboxRow};
use super::search::{matches, Search};
use crate::backend::db::threads::{
    from_packed, from_row, PackedThread, ThreadRow, PACKED_THREAD, THREAD_COLUMNS,
};
use crate::backend::db::{Backend, Db};
use crate::model::staff::{InboxSort, InboxSource};

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
    let mut conds = conditions(f, &mut q);
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
        let sql = crate::backend::db::packed::statement(&columns, &q.sql, &order.replace("t.", ""));
        let rows: Vec<(PackedThread, Option<String>, Option<String>)> =
            crate::backend::db::packed::fetch(bind_all(sqlx::query(&sql), q.args), &db.pool)
                .await?;
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

/// The filter's conditions (source, kinds, Trash), without the page's cursor or search.
fn conditions(f: &InboxFilter<'_>, q: &mut Query) -> Vec<String> {
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
    conds
}

/// How many threads the filter holds (answering the engine's search query, if any),
/// counting at most `cap`.
pub async fn count(
    db: &Db,
    f: &InboxFilter<'_>,
    search: Option<&str>,
    cap: i64,
) -> Result<i64, sqlx::Error> {
    let mut q = Query {
        sql: String::new(),
        args: Vec::new(),
    };
    let mut conds = conditions(f, &mut q);
    if let Some(text) = search {
        let m = q.arg(Arg::Text(text.to_string()));
        conds.push(matches(db.backend, Search::Gather, &m, text.contains('*')));
    }
    let cap = q.arg(Arg::Int(cap));
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM threads t WHERE {} LIMIT {cap}) capped",
        conds.join(" AND ")
    );
    let row = bind_all(sqlx::query(&sql), q.args)
        .fetch_one(db.reader())
        .await?;
    row.try_get::<i64, _>(0)
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
