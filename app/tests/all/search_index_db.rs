//! The text index is merged into one piece by the housekeeping (`search_index::tidy`), and
//! searches find the same threads before and after, and threads written since.
use crate::support;

use std::time::Duration;

use app::backend::db::staff_inbox::{self, InboxFilter};
use app::backend::db::{search_index, Backend, Db};
use app::backend::service::messages::post_message;
use app::backend::service::threads;
use app::model::staff::{InboxSort, InboxSource};
use app::model::thread::MessageKind;
use support::{each_backend, make_member, make_staff, staff, viewer, MANAGER};

async fn found(db: &Db, viewer_id: i64, text: &str) -> Vec<i64> {
    let words = staff_inbox::search_words(text);
    let f = InboxFilter {
        viewer_id,
        all_kinds: true,
        source: InboxSource::All,
        words: &words,
        sort: InboxSort::Activity,
        after: None,
        limit: 100,
    };
    let mut ids: Vec<i64> = staff_inbox::list(db, &f)
        .await
        .unwrap()
        .iter()
        .map(|r| r.0.id)
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn the_index_is_merged_into_one_piece_and_still_finds_every_thread() {
    support::run(each_backend(|t| async move {
        let ann = viewer(&t.db, make_member(&t.db, "ann@example.com", "Ann").await).await;
        let sam = make_staff(&t.db, "sam@example.com", "Sam", MANAGER).await;
        let mut parcels = Vec::new();
        for i in 0..24 {
            let body = if i % 3 == 0 {
                "Where is my parcel?"
            } else {
                "Hello"
            };
            let id = threads::start_support(&t.db, &ann, "Question", body)
                .await
                .unwrap();
            if i % 3 == 0 {
                parcels.push(id);
            }
            // Each write adds a piece to the index.
            let answer = if i % 4 == 0 {
                "Your parcel left today"
            } else {
                "On it"
            };
            post_message(&t.db, id, staff(&sam), MessageKind::Message, answer, None)
                .await
                .unwrap();
            if i % 4 == 0 && i % 3 != 0 {
                parcels.push(id);
            }
        }
        let before = found(&t.db, sam.id, "parcel").await;
        assert_eq!(before.len(), parcels.len());
        let pause = Duration::from_millis(1);
        if t.db.backend() == Backend::Postgres {
            assert_eq!(search_index::tidy(&t.db, 1, pause).await.unwrap(), 0);
            return;
        }
        let pieces = search_index::segments(&t.db).await.unwrap();
        assert!(pieces > 1, "{pieces} segments");
        // Within the limit: left as it is.
        assert_eq!(search_index::tidy(&t.db, pieces, pause).await.unwrap(), 0);
        assert_eq!(search_index::segments(&t.db).await.unwrap(), pieces);
        assert!(search_index::tidy(&t.db, 1, pause).await.unwrap() >= 1);
        assert_eq!(search_index::segments(&t.db).await.unwrap(), 1);
        assert_eq!(found(&t.db, sam.id, "parcel").await, before);
        assert_eq!(found(&t.db, sam.id, "parc").await, before);
        // Written after the merge: found too.
        let late = threads::start_support(&t.db, &ann, "Late", "A parcel again")
            .await
            .unwrap();
        let mut after = before.clone();
        after.push(late);
        assert_eq!(found(&t.db, sam.id, "parcel").await, after);
        assert!(search_index::tidy(&t.db, 1, pause).await.unwrap() >= 1);
        assert_eq!(search_index::segments(&t.db).await.unwrap(), 1);
        assert_eq!(found(&t.db, sam.id, "parcel").await, after);
    }));
}
