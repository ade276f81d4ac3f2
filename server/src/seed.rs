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
    pub messages_per_thread: usize,
}

/// Creates members (password `seed-password`, email `member<N>@seed.test`) and threads among
/// them; `member0@seed.test` takes part in one thread in ten, a heavy user.
pub async fn run(db: &Db, size: SeedSize) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let hash = password::hash("seed-password")
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut members = Vec::with_capacity(size.members);
    let mut tx = db.write().await?;
    for i in 0..size.members.max(2) {
        let (email, name) = (format!("member{i}@seed.test"), format!("Member {i}"));
        let new = NewUser {
            email: &email,
            name: &name,
            password_hash: &hash,
            is_admin: false,
            permissions: Permissions::default(),
            email_verified: true,
            created_at: now_ms(),
        };
        let id = db::users::insert(&mut *tx, &new)
            .await?
            .context("seed members already exist")?;
        members.push((id, name));
    }
    tx.commit().await?;
    let start_at = now_ms() - (size.threads as i64) * 60_000;
    for batch in (0..size.threads).collect::<Vec<_>>().chunks(500) {
        let mut tx = db.write().await?;
        for &n in batch {
            let a = if n.is_multiple_of(10) {
                0
            } else {
                rng.gen_range(1..members.len())
            };
            let mut b = rng.gen_range(0..members.len());
            if b == a {
                b = (a + 1) % members.len();
            }
            let at = start_at + n as i64 * 60_000;
            seed_thread(
                &mut tx,
                n,
                at,
                &members[a],
                &members[b],
                size.messages_per_thread,
            )
            .await?;
        }
        tx.commit().await?;
    }
    eprintln!(
        "seeded {} threads, {} members in {:.1} s",
        size.threads,
        members.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn seed_thread(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    n: usize,
    at: i64,
    a: &(i64, String),
    b: &(i64, String),
    messages: usize,
) -> anyhow::Result<()> {
    let subject = format!("Seeded conversation {n}");
    let new = NewThread {
        kind: ThreadKind::Direct,
        subject: &subject,
        status: if n.is_multiple_of(5) {
            ThreadStatus::Closed
        } else {
            ThreadStatus::Open
        },
        started_by_user_id: Some(a.0),
        started_by_guest_email: None,
        started_by_name: &a.1,
        now: at,
    };
    let id = db::threads::insert(&mut **tx, &new).await?;
    db::participants::add_user(&mut **tx, id, a.0, &a.1, at).await?;
    db::participants::add_user(&mut **tx, id, b.0, &b.1, at).await?;
    for m in 0..messages.max(1) {
        let author = if m % 2 == 0 { a } else { b };
        let body = format!(
            "Message {m} of conversation {n}.\nSeeded text with a link https://example.com/{n}/{m}"
        );
        let msg = NewMessage {
            thread_id: id,
            kind: MessageKind::Message,
            author_user_id: Some(author.0),
            author_guest_email: None,
            author_name: &author.1,
            body: &body,
            now: at + m as i64,
        };
        let mid = db::messages::insert(&mut **tx, &msg).await?;
        db::threads::advance_last_message(&mut **tx, id, mid, at + m as i64, &author.1).await?;
        db::participants::advance_read_mark(&mut **tx, id, author.0, mid, at).await?;
    }
    Ok(())
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
