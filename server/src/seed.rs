//! `pigeon seed`: fills a database with a realistic data set for measuring.
use anyhow::Context;
use app::backend::auth::password;
use app::backend::db::{self, now_ms, users::NewUser, Db};
use app::model::thread::{MessageKind, ThreadStatus};
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
    let mut files = 0usize;
    let mut long_id = 0;
    let mut ids = Ids {
        thread: next_id(db, "threads").await?,
        participant: next_id(db, "participants").await?,
        message: next_id(db, "messages").await?,
    };
    for batch in (0..size.threads).collect::<Vec<_>>().chunks(BATCH) {
        let mut rows = Batch::default();
        for &n in batch {
            let count = if n == size.threads / 2 {
                LONG_THREAD
            } else {
                rng.gen_range(1..size.messages_per_thread.max(1) * 2)
            };
            let at = start_at + n as i64 * 60_000;
            let id = seed_thread(&mut rows, &mut ids, &mut rng, n, at, &people, count);
            if count == LONG_THREAD {
                long_id = id;
            }
            messages += count;
        }
        files += rows.files.len();
        let mut tx = db.write().await?;
        rows.insert(&mut tx).await?;
        tx.commit().await?;
    }
    // Sequences past the written ids, the text index in one piece, fresh statistics.
    db::bulk::settle(db).await?;
    eprintln!(
        "seeded {} threads ({} messages, {} files), {} members, {} staff in {:.1} s; the long thread is {}",
        size.threads,
        messages,
        files,
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
    db::users::insert(tx, &new)
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

/// Threads written per transaction.
const BATCH: usize = 500;

/// The next ids to give: rows are written with their ids, so that a batch is a few
/// multi-row statements instead of one statement per row.
struct Ids {
    thread: i64,
    participant: i64,
    message: i64,
}

use db::bulk::{insert_rows, next_id, Value as V};

fn int(v: i64) -> V {
    V::Int(Some(v))
}

fn text(v: &str) -> V {
    V::Text(Some(v.to_string()))
}

/// The rows of a batch of threads, table by table.
#[derive(Default)]
struct Batch {
    threads: Vec<Vec<V>>,
    participants: Vec<Vec<V>>,
    messages: Vec<Vec<V>>,
    files: Vec<Vec<V>>,
}

impl Batch {
    async fn insert(&self, tx: &mut app::backend::db::WriteTx) -> anyhow::Result<()> {
        // Threads first, with their final last message: the participant and search triggers
        // read them.
        insert_rows(
            tx,
            "threads",
            &[
                "id",
                "kind",
                "subject",
                "status",
                "assignee_id",
                "started_by_user_id",
                "started_by_guest_email",
                "started_by_name",
                "created_at",
                "last_message_id",
                "last_message_at",
                "last_author_name",
                "closed_at",
            ],
            &self.threads,
        )
        .await?;
        insert_rows(
            tx,
            "participants",
            &[
                "id",
                "thread_id",
                "user_id",
                "guest_email",
                "guest_email_lower",
                "display_name",
                "last_read_message_id",
                "last_read_at",
                "joined_at",
            ],
            &self.participants,
        )
        .await?;
        insert_rows(
            tx,
            "messages",
            &[
                "id",
                "thread_id",
                "kind",
                "author_user_id",
                "author_guest_email",
                "author_name",
                "body",
                "created_at",
            ],
            &self.messages,
        )
        .await?;
        insert_rows(
            tx,
            "attachments",
            &[
                "message_id",
                "storage_key",
                "file_name",
                "content_type",
                "size_bytes",
                "created_at",
            ],
            &self.files,
        )
        .await?;
        Ok(())
    }
}

/// Adds one thread's rows to the batch; returns its id.
fn seed_thread(
    batch: &mut Batch,
    ids: &mut Ids,
    rng: &mut rand::rngs::StdRng,
    n: usize,
    at: i64,
    people: &People<'_>,
    messages: usize,
) -> i64 {
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
    let id = ids.thread;
    ids.thread += 1;
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
    let assignee = (!direct && rng.gen_bool(0.3)).then_some(other.0);
    // Messages: the customer and the other side take turns; one staff turn in ten a note.
    let mut last_visible = (0, at, String::new());
    let mut customer_read = 0;
    let mut other_read = 0;
    let with_file = rng.gen_bool(0.05);
    for m in 0..messages.max(1) {
        let now = at + m as i64;
        let from_customer = m % 2 == 0;
        let note = !direct && !from_customer && rng.gen_bool(0.1);
        let body = body_text(rng, n, m);
        let (kind, user_id, guest_email, name) = match (&customer, from_customer) {
            (Customer::Guest(email, name), true) => (
                MessageKind::Message,
                None,
                Some(email.clone()),
                name.clone(),
            ),
            (Customer::Member(uid, name), true) => {
                (MessageKind::Message, Some(*uid), None, name.clone())
            }
            (_, false) if note => (MessageKind::Note, Some(other.0), None, other.1.clone()),
            (_, false) => (MessageKind::Message, Some(other.0), None, other.1.clone()),
        };
        let mid = ids.message;
        ids.message += 1;
        if kind == MessageKind::Message {
            last_visible = (mid, now, name.clone());
        }
        match (user_id, from_customer) {
            (Some(_), true) => customer_read = mid,
            (Some(_), false) => other_read = mid,
            _ => {}
        }
        if with_file && m == 0 {
            batch.files.push(vec![
                int(mid),
                text(&format!("seed/{mid}")),
                text("photo.jpg"),
                text("image/jpeg"),
                int(rng.gen_range(20_000..3_000_000)),
                int(now),
            ]);
        }
        batch.messages.push(vec![
            int(mid),
            int(id),
            text(kind.as_str()),
            V::Int(user_id),
            V::Text(guest_email),
            text(&name),
            text(&body),
            int(now),
        ]);
    }
    let (started_by_user_id, started_by_guest_email, started_by_name) = match &customer {
        Customer::Guest(email, name) => (None, Some(email.clone()), name.clone()),
        Customer::Member(id, name) => (Some(*id), None, name.clone()),
    };
    batch.threads.push(vec![
        int(id),
        text(if direct { "direct" } else { "support" }),
        text(&subject),
        text(status.as_str()),
        V::Int(assignee),
        V::Int(started_by_user_id),
        V::Text(started_by_guest_email),
        text(&started_by_name),
        int(at),
        int(last_visible.0),
        int(last_visible.1),
        text(&last_visible.2),
        V::Int(closed.then_some(last_visible.1)),
    ]);
    let mut participant = |user: Option<i64>, guest: Option<&str>, name: &str, read: i64| {
        batch.participants.push(vec![
            int(ids.participant),
            int(id),
            V::Int(user),
            V::Text(guest.map(str::to_string)),
            V::Text(guest.map(str::to_lowercase)),
            text(name),
            int(read),
            V::Int((read > 0).then_some(at)),
            int(at),
        ]);
        ids.participant += 1;
    };
    match &customer {
        Customer::Guest(email, name) => participant(None, Some(email), name, 0),
        Customer::Member(uid, name) => participant(Some(*uid), None, name, customer_read),
    }
    if direct || messages > 1 {
        participant(Some(other.0), None, &other.1, other_read);
    }
    id
}

/// Queues up to `n` notification emails about the newest message of seeded threads, one per
/// participant, as posting would.
pub async fn queue_emails(db: &Db, n: usize) -> anyhow::Result<u64> {
    db::bulk::queue_emails(db, n)
        .await
        .context("queueing emails")
}
