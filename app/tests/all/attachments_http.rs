//! Attachments through the real router, on both databases and both stores (a folder, and an
//! S3-compatible server when `PIGEON_TEST_S3_URL` names one): upload on every form, every
//! refusal rule, who may download (a table of roles), the download headers, and that
//! deleted threads and abandoned uploads leave no files behind.
use crate::support;

use app::backend::attachments::{self, store::Store};
use app::backend::db::{self, now_ms, Db};
use app::backend::settings;
use app::backend::state::AppState;
use app::model::viewer::Permissions;
use http::StatusCode;
use support::http_client::Browser;
use support::mail::deliver;
use support::thread_of_subject;
use support::{app_state, each_backend, make_admin, make_member, make_staff, temp_store};

const START: &str = "/actions/pigeon/guest/start";
const GUEST_REPLY: &str = "/actions/pigeon/guest/reply";
const MEMBER_START: &str = "/actions/pigeon/threads/start";
const MEMBER_REPLY: &str = "/actions/pigeon/messages/reply";
const STAFF_REPLY: &str = "/actions/pigeon/admin/reply";

const READER: Permissions = Permissions {
    access: true,
    manage_threads: false,
    assign_threads: false,
    manage_settings: false,
};
const MANAGER: Permissions = Permissions {
    access: true,
    manage_threads: true,
    assign_threads: false,
    manage_settings: false,
};

/// A tiny real PNG (1×1).
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\0\x05\0\x01\xff\x89\x99=\x1d\0\0\0\0IEND\xaeB`\x82";
const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// Files of a post: (name, bytes).
type Files<'a> = Vec<(&'a str, &'a [u8])>;

/// The stores to run against: a fresh folder, and the S3-compatible server if there is one.
fn stores() -> Vec<(&'static str, Store)> {
    let mut list = vec![("folder", temp_store())];
    match std::env::var("PIGEON_TEST_S3_URL") {
        Ok(url) if !url.is_empty() => {
            let prefix = format!(
                "{}/{}-{}",
                url.trim_end_matches('/'),
                std::process::id(),
                now_ms()
            );
            list.push((
                "s3",
                Store::open(Some(&prefix), std::path::Path::new(".")).unwrap(),
            ));
        }
        _ => eprintln!("PIGEON_TEST_S3_URL is not set: the S3 store is not tested in this run"),
    }
    list
}

fn state_with(db: &Db, store: &Store) -> AppState {
    let mut state = app_state(db.clone());
    state.files = store.clone();
    state
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(db.reader())
        .await
        .unwrap()
}

async fn keys(db: &Db) -> Vec<String> {
    sqlx::query_scalar("SELECT storage_key FROM attachments ORDER BY id")
        .fetch_all(db.reader())
        .await
        .unwrap()
}

async fn file_id(db: &Db, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM attachments WHERE file_name = $1")
        .bind(name)
        .fetch_one(db.reader())
        .await
        .unwrap()
}

/// A guest writes in with files (without JavaScript); returns their link's token.
async fn guest_writes_in(
    db: &Db,
    b: &mut Browser,
    email: &str,
    subject: &str,
    files: &[(&str, &[u8])],
) -> String {
    let r = b
        .post_files(
            "/contact",
            START,
            &[
                ("name", "Gus"),
                ("email", email),
                ("subject", subject),
                ("body", "Screenshot and invoice attached"),
            ],
            files,
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let emails = deliver(db).await;
    let to_gus = emails
        .iter()
        .find(|e| e.to.contains(email) && e.subject.contains(subject))
        .expect("the guest's email");
    for (name, _) in files {
        // The confirmation goes to whatever address was typed: it repeats nothing the
        // sender wrote, file names included (the files are behind the private link).
        assert!(!to_gus.text.contains(name), "{name} in:\n{}", to_gus.text);
        assert!(!to_gus.html.contains(name), "{name} in:\n{}", to_gus.html);
    }
    to_gus
        .link("/pigeon/t/")
        .trim_start_matches("/pigeon/t/")
        .to_string()
}

#[test]
fn files_go_up_with_every_form_and_come_down_only_to_those_who_may_read_them() {
    support::run(each_backend(|t| async move {
        let db = &t.db;
        make_admin(db).await;
        make_staff(db, "sam@example.com", "Sam", MANAGER).await;
        make_staff(db, "rita@example.com", "Rita", READER).await;
        make_member(db, "ann@example.com", "Ann").await;
        make_member(db, "bob@example.com", "Bob").await;
        make_member(db, "cy@example.com", "Cy").await;
        for (label, store) in stores() {
            for table in ["threads", "attachments", "rate_limits"] {
                sqlx::query(&format!("DELETE FROM {table}"))
                    .execute(db.reader())
                    .await
                    .unwrap();
            }
            let state = state_with(db, &store);
            let browser = || Browser::with_state(state.clone());
            // The contact form, with two files.
            let mut guest = browser();
            let token = guest_writes_in(
                db,
                &mut guest,
                "gus@example.com",
                "Broken checkout",
                &[("screen shot.png", PNG), ("invoice.pdf", PDF)],
            )
            .await;
            let support_id = thread_of_subject(db, "Broken checkout").await;
            let png = file_id(db, "screen shot.png").await;
            let pdf = file_id(db, "invoice.pdf").await;
            // The guest's reply through their link, with JavaScript (JSON answers).
            let r = guest
                .post_files(
                    &format!("/pigeon/t/{token}"),
                    GUEST_REPLY,
                    &[("token", &token), ("body", "One more")],
                    &[("notes.txt", b"order 1234\n")],
                    false,
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{label}: {}", r.body);
            assert!(r.location().starts_with("/pigeon/t/"), "{label}");
            let txt = file_id(db, "notes.txt").await;
            // Staff: a reply and an internal note, each with a file.
            let mut sam = browser();
            sam.log_in("sam@example.com", "staff-password").await;
            let page = format!("/admin/pigeon/threads/{support_id}");
            let id_text = support_id.to_string();
            let r = sam
                .post_files(
                    &page,
                    STAFF_REPLY,
                    &[("thread_id", &id_text), ("body", "Here is the fix")],
                    &[("fix.pdf", PDF)],
                    true,
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{label}: {}", r.body);
            let r = sam
                .post_files(
                    &page,
                    STAFF_REPLY,
                    &[
                        ("thread_id", &id_text),
                        ("body", "Card data visible in the shot"),
                        ("is_internal_note", "true"),
                    ],
                    &[("internal.png", PNG)],
                    false,
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "{label}: {}", r.body);
            let note_file = file_id(db, "internal.png").await;
            // The staff page shows every file; the guest's page only theirs and the reply's.
            let staff_page = sam.get(&page).await.body;
            for name in [
                "screen shot.png",
                "invoice.pdf",
                "notes.txt",
                "fix.pdf",
                "internal.png",
            ] {
                assert!(
                    staff_page.contains(name),
                    "{label}: staff page lacks {name}"
                );
            }
            let guest_page = guest.get(&format!("/pigeon/t/{token}")).await.body;
            assert!(guest_page.contains("fix.pdf") && guest_page.contains("invoice.pdf"));
            assert!(
                !guest_page.contains("internal.png"),
                "{label}: a note's file leaked"
            );
            assert!(guest_page.contains(&format!("/pigeon/attachments/{png}?t={token}")));
            // A member starts a direct thread with Bob, with a file; Bob replies with one.
            let mut ann = browser();
            ann.log_in("ann@example.com", "member-password").await;
            let bob_id: i64 =
                sqlx::query_scalar("SELECT id FROM users WHERE email = 'bob@example.com'")
                    .fetch_one(db.reader())
                    .await
                    .unwrap();
            let pick = format!("recipients[u{bob_id}]");
            let bob_text = bob_id.to_string();
            let r = ann
                .post_files(
                    "/pigeon/threads",
                    MEMBER_START,
                    &[
                        ("kind", "direct"),
                        ("subject", "Holiday photos"),
                        ("body", "From the trip"),
                        (&pick, &bob_text),
                    ],
                    &[("beach.png", PNG)],
                    true,
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{label}: {}", r.body);
            let direct_id = thread_of_subject(db, "Holiday photos").await;
            let mut bob = browser();
            bob.log_in("bob@example.com", "member-password").await;
            let direct_text = direct_id.to_string();
            let r = bob
                .post_files(
                    &format!("/pigeon/threads/{direct_id}"),
                    MEMBER_REPLY,
                    &[("thread_id", &direct_text), ("body", "Lovely")],
                    &[("list.csv", b"a,b\n1,2\n")],
                    true,
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{label}: {}", r.body);
            let beach = file_id(db, "beach.png").await;
            let csv = file_id(db, "list.csv").await;
            assert_eq!(keys(db).await.len(), 7);

            // Who may download what: (who, file, expected status).
            let mut admin = browser();
            admin.log_in("ada@example.com", "admin-password").await;
            let mut rita = browser();
            rita.log_in("rita@example.com", "staff-password").await;
            let mut cy = browser();
            cy.log_in("cy@example.com", "member-password").await;
            let mut nobody = browser();
            let other_token =
                guest_writes_in(db, &mut nobody, "ivy@example.com", "Another question", &[]).await;
            let mut anonymous = browser();
            let by_token = |id: i64, tok: &str| format!("/pigeon/attachments/{id}?t={tok}");
            let plain = |id: i64| format!("/pigeon/attachments/{id}");
            // Guest links work from any browser: the token is the key.
            let table = [
                ("guest, own file", by_token(png, &token), StatusCode::OK),
                (
                    "guest, their reply's file",
                    by_token(txt, &token),
                    StatusCode::OK,
                ),
                (
                    "guest, note's file",
                    by_token(note_file, &token),
                    StatusCode::NOT_FOUND,
                ),
                (
                    "another thread's link",
                    by_token(png, &other_token),
                    StatusCode::NOT_FOUND,
                ),
                (
                    "made-up token",
                    by_token(png, "made-up"),
                    StatusCode::NOT_FOUND,
                ),
            ];
            for (who, path, want) in table {
                let r = anonymous.get(&path).await;
                assert_eq!(r.status, want, "{label}: {who}: {path}");
            }
            let mut people = [
                ("anonymous", anonymous),
                ("rita", rita),
                ("admin", admin),
                ("ann", ann),
                ("bob", bob),
                ("cy", cy),
                ("sam", sam),
            ];
            let cases = [
                ("anonymous", png, StatusCode::UNAUTHORIZED),
                ("rita", pdf, StatusCode::OK),
                ("rita", note_file, StatusCode::OK),
                ("rita", beach, StatusCode::NOT_FOUND),
                ("admin", png, StatusCode::OK),
                ("admin", csv, StatusCode::OK),
                ("ann", beach, StatusCode::OK),
                ("bob", beach, StatusCode::OK),
                ("cy", beach, StatusCode::NOT_FOUND),
                ("ann", png, StatusCode::NOT_FOUND),
                ("sam", note_file, StatusCode::OK),
            ];
            for (who, id, want) in cases {
                let b = &mut people.iter_mut().find(|(n, _)| *n == who).unwrap().1;
                let r = b.get(&plain(id)).await;
                assert_eq!(r.status, want, "{label}: {who}: file {id}");
            }
            let [_, (_, mut rita), (_, mut admin), _, (_, mut bob), _, _] = people;

            // The bytes and the headers.
            let r = guest.get(&by_token(png, &token)).await;
            assert_eq!(r.raw, PNG, "{label}");
            assert_eq!(r.header("content-type"), "image/png");
            assert!(r.header("content-disposition").starts_with("inline;"));
            assert!(r
                .header("content-disposition")
                .contains("filename*=UTF-8''screen%20shot.png"));
            assert_eq!(r.header("x-content-type-options"), "nosniff");
            assert!(r.header("content-security-policy").contains("sandbox"));
            let r = admin.get(&plain(pdf)).await;
            assert_eq!(r.raw, PDF);
            assert_eq!(r.header("content-type"), "application/pdf");
            assert!(r.header("content-disposition").starts_with("attachment;"));
            let r = admin.get(&plain(txt)).await;
            assert_eq!(r.header("content-type"), "text/plain; charset=utf-8");
            assert!(r.header("content-disposition").starts_with("attachment;"));

            // The Trash cuts guests and members off; staff still read.
            let r = admin
                .post_form(
                    &page,
                    "/actions/pigeon/admin/trash",
                    &[("thread_id", &id_text)],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
            assert_eq!(
                guest.get(&by_token(png, &token)).await.status,
                StatusCode::NOT_FOUND
            );
            assert_eq!(rita.get(&plain(png)).await.status, StatusCode::OK);
            let direct_page = format!("/admin/pigeon/threads/{direct_id}");
            admin
                .post_form(
                    &direct_page,
                    "/actions/pigeon/admin/trash",
                    &[("thread_id", &direct_text)],
                )
                .await;
            assert_eq!(bob.get(&plain(beach)).await.status, StatusCode::NOT_FOUND);
            assert_eq!(admin.get(&plain(beach)).await.status, StatusCode::OK);

            // Deleting for good deletes the files from the store.
            let before = keys(db).await;
            for k in &before {
                assert!(store.exists(k).await.unwrap(), "{label}: {k} stored");
            }
            let r = admin
                .post_form(
                    "/admin/pigeon/trash",
                    "/actions/pigeon/admin/delete",
                    &[("thread_id", &id_text), ("confirm", "yes")],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
            let after = keys(db).await;
            assert_eq!(
                after.len(),
                2,
                "{label}: only the direct thread's files are left"
            );
            for k in before.iter().filter(|k| !after.contains(k)) {
                assert!(!store.exists(k).await.unwrap(), "{label}: {k} still stored");
            }
            assert_eq!(admin.get(&plain(png)).await.status, StatusCode::NOT_FOUND);
        }
    }));
}

#[test]
fn every_refused_file_is_named_with_its_rule_and_nothing_of_the_post_is_kept() {
    support::run(each_backend(|t| async move {
        let db = &t.db;
        let store = temp_store();
        let state = state_with(db, &store);
        settings::set(db, "attachments_max_files", "2")
            .await
            .unwrap();
        settings::set(db, "attachments_max_mb", "1").await.unwrap();
        settings::set(db, "attachments_extensions", "png, pdf, txt")
            .await
            .unwrap();
        let mut b = Browser::with_state(state.clone());
        let big = vec![b'a'; 1_000_001];
        let cases: Vec<(&str, Files, &str)> = vec![
            ("an extension not allowed", vec![("setup.exe", b"MZ\x90\0")], "\u{201c}setup.exe\u{201d} cannot be attached: .exe files are not allowed. Allowed: png, pdf, txt."),
            ("a known kind not allowed here", vec![("data.csv", b"a,b\n")], "\u{201c}data.csv\u{201d} cannot be attached: .csv files are not allowed."),
            ("no extension", vec![("README", b"hello")], "files without an extension are not allowed"),
            ("HTML named .txt", vec![("page.txt", b"<html><script>alert(1)</script></html>")], "\u{201c}page.txt\u{201d} is not plain text as its name says"),
            ("SVG named .png", vec![("logo.png", b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>")], "\u{201c}logo.png\u{201d} is not a PNG image as its name says"),
            ("script in text", vec![("notes.txt", b"hello\njavascript:alert(1)")], "is not plain text"),
            ("a PDF that is a PNG", vec![("doc.pdf", PNG)], "is not a PDF document"),
            ("too many files", vec![("a.txt", b"a"), ("b.txt", b"b"), ("c.txt", b"c")], "\u{201c}c.txt\u{201d} is one file too many: attach at most 2 files"),
            ("too large", vec![("big.txt", &big)], "\u{201c}big.txt\u{201d} is larger than 1 MB"),
            ("empty", vec![("empty.txt", b"")], "\u{201c}empty.txt\u{201d} is empty."),
        ];
        for (what, files, message) in &cases {
            let r = b
                .post_files(
                    "/contact",
                    START,
                    &[
                        ("email", "gus@example.com"),
                        ("subject", "Refused"),
                        ("body", "My carefully typed words"),
                    ],
                    files,
                    true,
                )
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{what}");
            let shown = r.body.replace("&quot;", "\"").replace("&#x27;", "'");
            assert!(shown.contains(message), "{what}: {message} not in page");
            assert!(
                shown.contains("My carefully typed words"),
                "{what}: text lost"
            );
            // The same through the hydrated app: JSON with the message.
            let r = b
                .post_files(
                    "/contact",
                    START,
                    &[("email", "gus@example.com"), ("body", "x")],
                    files,
                    false,
                )
                .await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{what} (JSON)");
            assert!(r.body.contains("attachments"), "{what}: {}", r.body);
        }
        assert_eq!(
            count(db, "SELECT COUNT(*) FROM threads").await,
            0,
            "nothing posted"
        );
        assert_eq!(
            count(db, "SELECT COUNT(*) FROM attachments").await,
            0,
            "no upload kept"
        );
        // A post larger than the rules allow is refused by its declared length.
        let cap = 1024 * 1024 + 2 * 1_000_000;
        let huge = vec![b'a'; cap + 10];
        let r = b
            .post_files(
                "/contact",
                START,
                &[("email", "gus@example.com"), ("body", "x")],
                &[("huge.txt", &huge)],
                false,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("attach at most 2 files of up to 1 MB each"),
            "{}",
            r.body
        );
        // Attachments turned off: a file is refused, not dropped.
        settings::set(db, "attachments_enabled", "false")
            .await
            .unwrap();
        let r = b
            .post_files(
                "/contact",
                START,
                &[("email", "gus@example.com"), ("body", "Words")],
                &[("a.txt", b"a")],
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("files cannot be attached on this site"));
        assert!(r.body.contains("Words"));
        // The member and staff forms follow the same rules and keep the text.
        settings::set(db, "attachments_enabled", "true")
            .await
            .unwrap();
        make_member(db, "ann@example.com", "Ann").await;
        let mut ann = Browser::with_state(state.clone());
        ann.log_in("ann@example.com", "member-password").await;
        let r = ann
            .post_files(
                "/pigeon/threads",
                MEMBER_START,
                &[("kind", "support"), ("body", "Member words kept")],
                &[("x.exe", b"MZ")],
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("Member words kept") && r.body.contains(".exe files are not allowed")
        );
        // Files only through the forms that take them, and only from people logged in.
        let r = ann
            .post_files(
                "/pigeon/threads",
                "/actions/pigeon/threads/mute",
                &[("thread_id", "1")],
                &[("a.txt", b"a")],
                false,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let mut anonymous = Browser::with_state(state.clone());
        let r = anonymous
            .post_files(
                "/pigeon/threads/1",
                MEMBER_REPLY,
                &[("thread_id", "1"), ("body", "x")],
                &[("a.txt", b"a")],
                false,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(count(db, "SELECT COUNT(*) FROM attachments").await, 0);
        // A good file on a post refused for another reason is not kept either.
        let r = ann
            .post_files(
                "/pigeon/threads",
                MEMBER_REPLY,
                &[("thread_id", "999999"), ("body", "x")],
                &[("a.txt", b"a")],
                false,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
        assert_eq!(count(db, "SELECT COUNT(*) FROM attachments").await, 0);
        assert!(dir_is_empty(&store).await, "no file left in the store");
    }));
}

async fn dir_is_empty(store: &Store) -> bool {
    let root = std::path::PathBuf::from(&store.label);
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                return false;
            }
        }
    }
    true
}

#[test]
fn the_sweep_deletes_abandoned_uploads_and_leaves_fresh_ones() {
    support::run(each_backend(|t| async move {
        for (label, store) in stores() {
            let db = &t.db;
            let now = now_ms();
            let put = |key: &'static str| {
                let store = store.clone();
                async move {
                    let mut w = store.writer(key).await.unwrap();
                    w.write(b"left over").await.unwrap();
                    w.finish().await.unwrap();
                }
            };
            put("aa/abandoned").await;
            put("bb/in-progress").await;
            let old = db::attachments::insert_unlinked(
                &mut db.write_single().await.unwrap(),
                "aa/abandoned",
                "a.txt",
                now - 2 * 3600 * 1000,
            )
            .await
            .unwrap();
            let fresh = db::attachments::insert_unlinked(
                &mut db.write_single().await.unwrap(),
                "bb/in-progress",
                "b.txt",
                now,
            )
            .await
            .unwrap();
            // A row whose file never arrived (a crash mid-upload) goes too.
            db::attachments::insert_unlinked(
                &mut db.write_single().await.unwrap(),
                "cc/never-stored",
                "c.txt",
                0,
            )
            .await
            .unwrap();
            let n = attachments::sweep(db, &store, now).await.unwrap();
            assert_eq!(n, 2, "{label}");
            assert!(!store.exists("aa/abandoned").await.unwrap(), "{label}");
            assert!(store.exists("bb/in-progress").await.unwrap(), "{label}");
            let left: Vec<i64> = sqlx::query_scalar("SELECT id FROM attachments ORDER BY id")
                .fetch_all(db.reader())
                .await
                .unwrap();
            assert_eq!(left, vec![fresh], "{label}: {old} swept");
            sqlx::query("DELETE FROM attachments")
                .execute(db.reader())
                .await
                .unwrap();
            store.delete("bb/in-progress").await.unwrap();
        }
    }));
}

#[test]
fn files_past_the_daily_quota_are_refused_before_they_are_kept() {
    support::run(each_backend(|t| async move {
        let db = &t.db;
        let store = temp_store();
        let state = state_with(db, &store);
        settings::set(db, "upload_quota_sender_mb", "1")
            .await
            .unwrap();
        settings::set(db, "upload_quota_thread_mb", "2")
            .await
            .unwrap();
        let part = vec![b'a'; 600_000];
        let mut guest = Browser::with_state(state.clone()).at_ip("192.0.2.7");
        let fields = [("email", "gus@example.com"), ("body", "Two big notes")];
        let first = guest
            .post_files("/contact", START, &fields, &[("one.txt", &part)], false)
            .await;
        assert!(first.status.is_success(), "{}", first.body);
        // The sender's second 600 KB would pass 1 MB a day.
        let r = guest
            .post_files("/contact", START, &fields, &[("two.txt", &part)], true)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let shown = r.body.replace("&quot;", "\"").replace("&#x27;", "'");
        assert!(
            shown.contains("\u{201c}two.txt\u{201d} was not attached"),
            "{shown}"
        );
        assert!(shown.contains("Two big notes"), "the text is kept");
        assert_eq!(count(db, "SELECT COUNT(*) FROM threads").await, 1);
        assert_eq!(count(db, "SELECT COUNT(*) FROM attachments").await, 1);
        // Another sender still may, and a small file still fits this one.
        let mut other = Browser::with_state(state.clone()).at_ip("192.0.2.8");
        let r = other
            .post_files("/contact", START, &fields, &[("three.txt", &part)], false)
            .await;
        assert!(r.status.is_success(), "{}", r.body);
        let r = guest
            .post_files("/contact", START, &fields, &[("small.txt", b"tiny")], false)
            .await;
        assert!(r.status.is_success(), "{}", r.body);
        assert_eq!(count(db, "SELECT COUNT(*) FROM attachments").await, 3);
    }));
}
