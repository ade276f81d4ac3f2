//! Who hears of which change, as a table: every kind of listener × every kind of change ×
//! a support, a direct and a guest's conversation, on both engines. The expected answer is
//! worked out from the pages' own access rules (the staff thread page, the member's thread
//! page, the guest link), never written by hand: a listener hears of a change exactly when
//! it may open the page of that change's thread, and staff-only kinds reach staff only.
use crate::support;

use app::backend::auth::links::mint_guest_link;
use app::backend::db::events::{Change, ChangeKind};
use app::backend::service::guest::{self, check_contact, ContactForm};
use app::backend::service::live::{self, Listener};
use app::backend::service::{member_threads, staff_threads, threads};
use app::model::viewer::Permissions;
use support::{each_backend, make_admin, make_member, make_staff, viewer};

const KINDS: [ChangeKind; 6] = [
    ChangeKind::Message,
    ChangeKind::Staff,
    ChangeKind::Thread,
    ChangeKind::People,
    ChangeKind::Presence,
    ChangeKind::Access,
];

#[test]
fn every_listener_hears_exactly_what_its_pages_may_show() {
    support::run(each_backend(|t| async move {
        let db = &t.db;
        let admin = viewer(db, make_admin(db).await).await;
        let agent = Permissions {
            access: true,
            manage_threads: true,
            assign_threads: false,
            manage_settings: false,
        };
        let sam = make_staff(db, "sam@example.com", "Sam", agent).await;
        let settings_only = Permissions {
            access: false,
            manage_threads: false,
            assign_threads: false,
            manage_settings: true,
        };
        let nia = make_staff(db, "nia@example.com", "Nia", settings_only).await;
        let ann = viewer(db, make_member(db, "ann@example.com", "Ann").await).await;
        let bob = viewer(db, make_member(db, "bob@example.com", "Bob").await).await;
        let cid = viewer(db, make_member(db, "cid@example.com", "Cid").await).await;
        let support_thread = threads::start_support(db, &ann, "Billing", "Help")
            .await
            .unwrap();
        let direct = threads::start_direct(db, &ann, &[bob.id, cid.id], "Lunch", "Noon?")
            .await
            .unwrap();
        // Cid left the direct conversation: he no longer hears of it.
        threads::leave(db, &cid, direct).await.unwrap();
        let form = check_contact(&ContactForm {
            name: "Gwen".into(),
            email: "gwen@example.com".into(),
            subject: "Order".into(),
            body: "Where is it?".into(),
            submission_key: String::new(),
        })
        .unwrap();
        let guest_thread = guest::start(db, &form, &[]).await.unwrap();
        let gwen = app::backend::db::participants::list(db.reader(), guest_thread)
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.user_id.is_none())
            .unwrap();
        let token = mint_guest_link(db, guest_thread, gwen.id, 30)
            .await
            .unwrap();

        let listeners = vec![
            Listener::Staff {
                viewer: admin.clone(),
                thread: None,
            },
            Listener::Staff {
                viewer: sam.clone(),
                thread: None,
            },
            Listener::Staff {
                viewer: sam.clone(),
                thread: Some(support_thread),
            },
            Listener::Staff {
                viewer: nia.clone(),
                thread: None,
            },
            Listener::Member {
                viewer: ann.clone(),
                thread: None,
            },
            Listener::Member {
                viewer: ann.clone(),
                thread: Some(direct),
            },
            Listener::Member {
                viewer: bob.clone(),
                thread: None,
            },
            Listener::Member {
                viewer: cid.clone(),
                thread: None,
            },
            Listener::Guest {
                token: token.clone(),
                thread: guest_thread,
            },
        ];
        let mut id = 1_000_000_000;
        let (mut checked, mut heard_some) = (0, 0);
        let mut wrong = Vec::new();
        for thread in [support_thread, direct, guest_thread] {
            for kind in KINDS {
                id += 1;
                let change = Change {
                    id,
                    thread_id: thread,
                    kind,
                };
                for listener in &listeners {
                    let page = match listener {
                        Listener::Staff {
                            viewer,
                            thread: only,
                        } => {
                            only.is_none_or(|o| o == thread)
                                && staff_threads::view(db, viewer, thread).await.is_ok()
                        }
                        Listener::Member {
                            viewer,
                            thread: only,
                        } => {
                            only.is_none_or(|o| o == thread)
                                && member_threads::view(db, viewer, thread).await.is_ok()
                        }
                        Listener::Guest { token, .. } => guest::open_link(db, token)
                            .await
                            .is_ok_and(|access| access.thread_id == thread),
                    };
                    let staff = matches!(listener, Listener::Staff { .. });
                    let expected =
                        kind != ChangeKind::Access && page && (staff || !kind.staff_only());
                    let heard = live::may_hear(db, listener, &change).await.unwrap();
                    if heard != expected {
                        wrong.push(format!("{listener:?} × {kind:?} on thread {thread}: heard {heard}, page rules say {expected}"));
                    }
                    checked += 1;
                    heard_some += usize::from(heard);
                }
            }
        }
        assert_eq!(checked, 3 * KINDS.len() * listeners.len());
        assert!(
            heard_some >= 20,
            "the table is not all no ({heard_some} yes)"
        );
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }));
}
