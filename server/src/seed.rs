//! `pigeon seed`: fills a database with a realistic data set for measuring.
use anyhow::Context;
use app::backend::auth::password;
use app::backend::db::{
    self, messages::NewMessage, now_ms, threads::NewThread, users::NewUser, Db,
};
use app::model::thread::{MessageKind, ThreadKind, ThreadStatus};
use app::model::viewer::Permissions;
use rand::{Rng, SeedableRng};

/// How much to make.
#[derive(Debug, Clone, Copy)]
pub struct SeedSize {
    pub threads: usize,
    pub members: usize,
    /// Average messages per thread (each thread has 1 to twice this, less one).
    pub messages_per_thread: usize,
}

/// Staff accounts made: `staff0@seed.test` is an admin, the others manage and assign.
pub const STAFF: usize = 20;
/// Messages in the one long thread (subject "Seeded long conversation").
pub const LONG_THREAD: usize = 200;

/// Words message bodies are made of, so that searches find some threads and not others.
const WORDS: &[&str] = &[
    "order",
    "refund",
    "invoice",
    "delivery",
    "parcel",
    "account",
    "password",
    "login",
    "payment",
    "card",
    "shipping",
    "address",
    "return",
    "exchange",
    "size",
    "colour",
    "broken",
    "missing",
    "late",
    "tracking",
    "courier",
    "discount",
    "coupon",
    "subscription",
    "cancel",
    "renew",
    "upgrade",
    "plan",
    "billing",
    "receipt",
    "warranty",
    "repair",
    "manual",
    "setup",
    "install",
    "error",
    "screen",
    "battery",
    "charger",
    "cable",
    "please",
    "thanks",
    "help",
    "question",
    "urgent",
    "today",
    "tomorrow",
    "week",
    "month",
    "again",
    "still",
    "waiting",
    "received",
    "sent",
    "email",
    "phone",
    "call",
    "back",
    "soon",
    "sorry",
    "great",
    "problem",
    "issue",
    "fixed",
    "works",
    "not",
    "yet",
    "when",
    "where",
    "why",
    "how",
    "what",
    "could",
    "would",
    "should",
    "can",
    "will",
    "need",
    "want",
    "hello",
    "hi",
    "regards",
    "best",
    "customer",
    "service",
    "team",
    "store",
    "online",
    "website",
    "app",
    "update",
    "version",
];

/// Creates staff (`staff<N>@seed.test`), members (`member<N>@seed.test`, `member0` a heavy
/// user in one thread of ten) and threads: nine in ten support threads (half from guests),
/// one in ten direct; a fifth closed, three in ten of the support threads assigned, one
/// message in twenty an internal note. Every password is `seed-password`.
pub async fn run(db: &Db, size: SeedSize) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let hash = password::hash("seed-password")
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let manager = Permissions {
        access: true,
        manage_threads: true,
        assign_threads: true,
        manage_settings: false,
    };
    let mut tx = db.write().await?;
    let mut staff = Vec::with_capacity(STAFF);
    for i in 0..STAFF {
        let (email, name) = (format!("staff{i}@seed.test"), format!("Staff {i}"));
        staff.push((
            insert_user(&mut tx, &email, &name, &hash, i == 0, manager).await?,
            name,
        ));
    }
    let mut members = Vec::with_capacity(size.members);
    for i in 0..size.members.max(2) {
        let (email, name) = (format!("member{i}@seed.test"), format!("Member {i}"));
        let id = insert_user(&mut tx, &email, &name, &hash, false, Permissions::default()).await?;
        members.push((id, name));
    }
    tx.commit().await?;
    let people = People {
        staff: &staff,
        members: &members,
    };
    let start_at = now_ms() - (size.threads as i64) * 60_000;
    let mut messages = 0usize;
    let mut long_id = 0;
    for batch in (0..size.threads).collect::<Vec<_>>().chunks(500) {
        let mut tx = db.write().await?;
        for &n in batch {
            let count = if n == size.threads / 2 {
                LONG_THREAD
            } else {
                rng.gen_range(1..size.messages_per_thread.max(1) * 2)
            };
            let at = start_at + n as i64 * 60_000;
            let id = seed_thread(&mut tx, &mut rng, n, at, &people, count).await?;
            if count == LONG_THREAD {
                long_id = id;
            }
            messages += count;
        }
        tx.commit().await?;
    }
    // Fresh statistics, so that the query planner knows the new sizes at once (PostgreSQL
    // chose nested loops over 9,000 × 5,000 rows for a search before its autovacuum ran).
    sqlx::query("ANALYZE").execute(&db.pool).await?;
    eprintln!(
        "seeded {} threads ({} messages), {} members, {} staff in {:.1} s; the long thread is {}",
        size.threads,
        messages,
        members.len(),
        staff.len(),
        started.elapsed().as_secs_f64(),
        long_id
    );
    Ok(())
}

async fn insert_user(
    tx: &mut app::backend::db::WriteTx,
    email: &str,
    name: &str,
    hash: &str,
    is_admin: bool,
    permissions: Permissions,
) -> anyhow::Result<i64> {
    let new = NewUser {
        email,
        name,
        password_hash: hash,
        is_admin,
        permissions,
        email_verified: true,
        created_at: now_ms(),
    };
    db::users::insert(&mut **tx, &new)
        .await?
        .context("seed accounts already exist")
}

struct People<'a> {
    staff: &'a [(i64, String)],
    members: &'a [(i64, String)],
}

/// Who a seeded thread is between.
enum Customer {
    Guest(String, String),
    Member(i64, String),
}

fn body_text(rng: &mut rand::rngs::StdRng, n: usize, m: usize) -> String {
    let len = rng.gen_range(8..30);
    let words: Vec<&str> = (0..len)
        .map(|_| WORDS[rng.gen_range(0..WORDS.len())])
        .collect();
    format!("{}. Order {n}-{m}.", words.join(" "))
}

async fn seed_thread(
    tx: &mut app::backend::db::WriteTx,
    rng: &mut rand::rngs::StdRng,
    n: usize,
    at: i64,
    people: &People<'_>,
    messages: usize,
) -> anyhow::Result<i64> {
    let pick_member = |rng: &mut rand::rngs::StdRng| {
        let i = if n.is_multiple_of(10) {
            0
        } else {
            rng.gen_range(1..people.members.len())
        };
        people.members[i].clone()
    };
    let direct = n % 10 == 3;
    let closed = n.is_multiple_of(5);
    let customer = if !direct && n % 2 == 1 {
        Customer::Guest(format!("guest{n}@seed.test"), format!("Guest {n}"))
    } else {
        let (id, name) = pick_member(rng);
        Customer::Member(id, name)
    };
    let status = match (closed, direct, rng.gen_bool(0.5)) {
        (true, ..) => ThreadStatus::Closed,
        (false, true, _) | (false, false, false) => ThreadStatus::Open,
        (false, false, true) => ThreadStatus::Pending,
    };
    let subject = if messages == LONG_THREAD {
        "Seeded long conversation".to_string()
    } else {
        format!(
            "{} {} {n}",
            WORDS[rng.gen_range(0..WORDS.len())],
            WORDS[rng.gen_range(0..WORDS.len())]
        )
    };
    let (started_by_user_id, started_by_guest_email, started_by_name) = match &customer {
        Customer::Guest(email, name) => (None, Some(email.as_str()), name.clone()),
        Customer::Member(id, name) => (Some(*id), None, name.clone()),
    };
    let new = NewThread {
        kind: if direct {
            ThreadKind::Direct
        } else {
            ThreadKind::Support
        },
        subject: &subject,
        status,
        started_by_user_id,
        started_by_guest_email,
        started_by_name: &started_by_name,
        now: at,
    };
    let id = db::threads::insert(&mut **tx, &new).await?;
    match &customer {
        Customer::Guest(email, name) => {
            db::participants::add_guest(&mut **tx, id, email, name, at).await?;
        }
        Customer::Member(uid, name) => {
            db::participants::add_user(&mut **tx, id, *uid, name, at).await?;
        }
    }
    // The other side: a member for direct threads, a member of staff for support threads.
    let other = if direct {
        let mut o = pick_member(rng);
        if let Customer::Member(uid, _) = &customer {
            if o.0 == *uid {
                o = people.members[(people.members.iter().position(|m| m.0 == o.0).unwrap_or(0)
                    + 1)
                    % people.members.len()]
                .clone();
            }
        }
        o
    } else {
        people.staff[rng.gen_range(0..people.staff.len())].clone()
    };
    if direct || messages > 1 {
        db::participants::add_user(&mut **tx, id, other.0, &other.1, at).await?;
    }
    if !direct && rng.gen_bool(0.3) {
        db::threads::set_assignee(&mut **tx, id, Some(other.0)).await?;
    }
    for m in 0..messages.max(1) {
        let now = at + m as i64;
        let from_customer = m % 2 == 0;
        let note = !direct && !from_customer && rng.gen_bool(0.1);
        let body = body_text(rng, n, m);
        let (kind, user_id, guest_email, name) = match (&customer, from_customer) {
            (Customer::Guest(email, name), true) => (
                MessageKind::Message,
                None,
                Some(email.as_str()),
                name.as_str(),
            ),
            (Customer::Member(uid, name), true) => {
                (MessageKind::Message, Some(*uid), None, name.as_str())
            }
            (_, false) if note => (MessageKind::Note, Some(other.0), None, other.1.as_str()),
            (_, false) => (MessageKind::Message, Some(other.0), None, other.1.as_str()),
        };
        let msg = NewMessage {
            thread_id: id,
            kind,
            author_user_id: user_id,
            author_guest_email: guest_email,
            author_name: name,
            body: &body,
            now,
        };
        let mid = db::messages::insert(&mut **tx, &msg).await?;
        if kind == MessageKind::Message {
            db::threads::advance_last_message(&mut **tx, id, mid, now, name).await?;
        }
        if let Some(uid) = user_id {
            db::participants::advance_read_mark(&mut **tx, id, uid, mid, now).await?;
        }
    }
    Ok(id)
}

/// Queues up to `n` notification emails about the newest message of seeded threads, one per
/// participant, as posting would.
pub async fn queue_emails(db: &Db, n: usize) -> anyhow::Result<u64> {
    let done = sqlx::query(
        "INSERT INTO outbox (kind, thread_id, message_id, participant_id, recipient_user_id, \
         created_at) \
         SELECT 'message', p.thread_id, t.last_message_id, p.id, p.user_id, $1 \
         FROM participants p JOIN threads t ON t.id = p.thread_id \
         WHERE p.user_id IS NOT NULL ORDER BY p.id LIMIT $2",
    )
    .bind(now_ms())
    .bind(n as i64)
    .execute(&db.pool)
    .await
    .context("queueing emails")?;
    Ok(done.rows_affected())
}
