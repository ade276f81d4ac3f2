//! The inbox answers a search in two ways: gathering the matches from the text index, or
//! walking threads in the page's order and testing each (for common words). Both must list
//! the same threads, page after page, for every source, order and search, on both engines.
use crate::support;

use app::backend::db::staff_inbox::{self, InboxFilter, InboxRow, Search, SearchTuning};
use app::backend::db::{Backend, Db};
use app::backend::service::messages::post_message;
use app::backend::service::{guest, threads};
use app::model::staff::{InboxSort, InboxSource};
use app::model::thread::{MessageKind, ThreadStatus};
use support::{each_backend, make_member, make_staff, staff, viewer, MANAGER};

/// A way to list: `list` with thresholds, or one way on its own with the words as the
/// engine's query expands them (`exact`) or with prefixes left as prefixes.
#[derive(Clone, Copy)]
enum How {
    Tuned(SearchTuning),
    Only(Search, bool),
}

/// Every page of one listing, `limit` threads at a time, as thread ids.
async fn all_pages(db: &Db, base: &InboxFilter<'_>, how: How) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut last: Option<InboxRow> = None;
    loop {
        let f = InboxFilter {
            after: last.as_ref().map(|r| &r.0),
            ..base.clone()
        };
        let page = match how {
            How::Tuned(tuning) => staff_inbox::list_tuned(db, &f, tuning).await,
            How::Only(way, exact) => {
                let text = if exact {
                    match staff_inbox::engine_query(db, f.words).await.unwrap() {
                        Some(q) => q,
                        None => return ids,
                    }
                } else {
                    staff_inbox::prefix_query(db.backend(), f.words)
                };
                staff_inbox::page(db, &f, Some((way, &text))).await
            }
        }
        .unwrap();
        assert!(page.len() as i64 <= base.limit);
        ids.extend(page.iter().map(|r| r.0.id));
        if (page.len() as i64) < base.limit {
            return ids;
        }
        last = page.last().cloned();
    }
}

#[test]
fn walking_and_gathering_list_the_same_threads() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        let bob = make_member(&t.db, "bob@example.com", "Bob").await;
        let sam = make_staff(&t.db, "sam@example.com", "Sam", MANAGER).await;
        let mut apples = 0;
        let mut ids = Vec::new();
        for i in 0..36 {
            let fruit = match i % 3 {
                0 => "apple and pear",
                1 => "apple",
                _ => "plum",
            };
            if i % 3 < 2 {
                apples += 1;
            }
            let subject = if i % 5 == 0 { "Banana split" } else { "Order" };
            // Subjects repeat, so the subject order leans on the id to break ties.
            let id =
                threads::start_support(&t.db, &ann, subject, format!("About the {fruit}").as_str())
                    .await
                    .unwrap();
            ids.push(id);
        }
        let form = guest::check_contact(&guest::ContactForm {
            name: "Gail".into(),
            email: "gail.guest@example.org".into(),
            subject: "Shipping".into(),
            body: "An apple arrived bruised".into(),
            ..Default::default()
        })
        .unwrap();
        ids.push(guest::start(&t.db, &form, &[]).await.unwrap());
        apples += 1;
        let direct = threads::start_direct(&t.db, &ann, &[bob], "Private", "apple pie recipe")
            .await
            .unwrap();
        ids.push(direct);
        // Words in later messages and notes, on enough threads to fill pages, so that the
        // walk (not only its fallback) must find them.
        for &i in ids.iter().step_by(4) {
            post_message(
                &t.db,
                i,
                staff(&sam),
                MessageKind::Message,
                "pear for you",
                None,
            )
            .await
            .unwrap();
        }
        // Accents the index folds away, and a prefix of more words than a search expands.
        post_message(
            &t.db,
            ids[9],
            staff(&sam),
            MessageKind::Message,
            "Café crème",
            None,
        )
        .await
        .unwrap();
        let many: Vec<String> = (b'a'..=b't').map(|c| format!("zz{}", c as char)).collect();
        post_message(
            &t.db,
            ids[11],
            staff(&sam),
            MessageKind::Message,
            many.join(" ").as_str(),
            None,
        )
        .await
        .unwrap();
        for &i in ids.iter().skip(1).step_by(5) {
            post_message(&t.db, i, staff(&sam), MessageKind::Note, "kiwi note", None)
                .await
                .unwrap();
        }
        for &i in &ids[10..16] {
            threads::change_status(&t.db, &sam, i, ThreadStatus::Closed)
                .await
                .unwrap();
        }
        for &i in &ids[16..22] {
            threads::assign(&t.db, &sam, i, Some(sam.id)).await.unwrap();
        }
        threads::set_trashed(&t.db, &sam, ids[0], true)
            .await
            .unwrap();

        // Gathering alone; walking alone (far enough to see every thread); `list` when it
        // always walks first, and when its walks are too short to fill a page.
        let gather = How::Only(Search::Gather, false);
        let gather_exact = How::Only(Search::Gather, true);
        let walk = How::Only(Search::Walk(1_000), true);
        let walk_first = How::Tuned(SearchTuning {
            sample_entries: 0,
            walk_threads: 1_000,
            ..SearchTuning::default()
        });
        let short_walk = How::Tuned(SearchTuning {
            sample_entries: 0,
            walk_threads: 6,
            ..SearchTuning::default()
        });
        // Judged from a sample of the newest matches, with testing a thread made cheap.
        let sampled = How::Tuned(SearchTuning {
            sample_entries: 3,
            probe_cost: 1,
            walk_threads: 1_000,
        });
        let mut compared = 0;
        for text in [
            "apple",
            "pear",
            "pe",
            "appl pea",
            "kiwi note",
            "café",
            "cafe",
            "zz",
            "zzt",
            "zzz",
            "pear apple",
            "banana",
            "kiwi",
            "gail.guest@example",
            "ann",
            "nothing",
        ] {
            let words = staff_inbox::search_words(text);
            for source in InboxSource::ALL {
                for sort in InboxSort::ALL {
                    for all_kinds in [false, true] {
                        let f = InboxFilter {
                            viewer_id: sam.id,
                            all_kinds,
                            source,
                            words: &words,
                            sort,
                            after: None,
                            limit: 4,
                        };
                        let expected = all_pages(&t.db, &f, gather).await;
                        let case =
                            format!("{text:?} in {source:?} by {sort:?} (all kinds: {all_kinds})");
                        for (name, how) in [
                            ("gather exact words", gather_exact),
                            ("walk", walk),
                            ("walk first", walk_first),
                            ("short walk", short_walk),
                            ("sampled", sampled),
                        ] {
                            assert_eq!(all_pages(&t.db, &f, how).await, expected, "{name}: {case}");
                        }
                        compared += expected.len();
                    }
                }
            }
        }
        // The gathered listings themselves are right where it is easy to count.
        let words = staff_inbox::search_words("apple");
        let all = InboxFilter {
            viewer_id: sam.id,
            all_kinds: true,
            source: InboxSource::All,
            words: &words,
            sort: InboxSort::Activity,
            after: None,
            limit: 4,
        };
        // Thread 0 (an apple) is in the Trash; the direct thread has one too.
        assert_eq!(all_pages(&t.db, &all, walk).await.len(), apples - 1 + 1);
        let kiwi = staff_inbox::search_words("kiwi");
        let notes = InboxFilter {
            words: &kiwi,
            ..all.clone()
        };
        assert_eq!(all_pages(&t.db, &notes, walk).await.len(), 8);
        assert!(compared > 1_000, "only {compared} rows compared");
        // SQLite's index also folds accents away ("cafe" finds "Café"); PostgreSQL's
        // 'simple' configuration keeps them.
        let folded: &[&str] = match t.db.backend() {
            Backend::Sqlite => &["café", "CAFÉ", "caf", "cafe"],
            Backend::Postgres => &["café", "CAFÉ", "caf"],
        };
        for &text in folded {
            let words = staff_inbox::search_words(text);
            let f = InboxFilter {
                words: &words,
                ..all.clone()
            };
            assert_eq!(
                all_pages(&t.db, &f, walk_first).await,
                vec![ids[9]],
                "{text}"
            );
        }
        if t.db.backend() == Backend::Sqlite {
            let query = |text: &'static str| {
                let db = t.db.clone();
                async move {
                    staff_inbox::engine_query(&db, &staff_inbox::search_words(text))
                        .await
                        .unwrap()
                }
            };
            assert_eq!(
                query("appl pe").await,
                Some("(\"apple\") AND (\"pear\")".to_string())
            );
            assert_eq!(
                query("gail.guest@exam").await,
                Some("(\"gail guest example\")".to_string())
            );
            assert_eq!(query("zz").await, Some("\"zz\"*".to_string()));
            assert_eq!(query("café").await, Some("\"café\"*".to_string()));
            assert_eq!(query("apple zzz").await, None);
        }
    }));
}
