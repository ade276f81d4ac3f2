//! Accounts, sessions and rate limits at the database level, on both engines.
use crate::support;

use app::backend::db::{self, now_ms};
use app::backend::service::accounts::{self, StaffAccount};
use app::backend::service::rate_limit::{self, Limit};
use app::error::AppError;
use app::model::viewer::Permissions;
use support::{each_backend, make_member};

#[test]
fn email_addresses_are_unique_whatever_their_case() {
    support::run(each_backend(|t| async move {
        make_member(&t.db, "Ann@Example.com", "Ann").await;
        let again = accounts::create_user(
            &t.db,
            &StaffAccount {
                email: "ann@EXAMPLE.com".into(),
                name: "Other Ann".into(),
                password: "another-password".into(),
                is_admin: false,
                permissions: Permissions::default(),
            },
        )
        .await;
        assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");
        let found = db::users::find_by_email(t.db.reader(), " ANN@example.COM ")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            found.email, "Ann@Example.com",
            "the address is kept as typed"
        );
    }));
}

#[test]
fn permissions_can_be_granted_and_revoked() {
    support::run(each_backend(|t| async move {
        let id = make_member(&t.db, "ann@example.com", "Ann").await;
        let p = Permissions {
            access: true,
            assign_threads: true,
            ..Default::default()
        };
        accounts::set_permissions(&t.db, id, false, p)
            .await
            .unwrap();
        let u = db::users::find_by_id(t.db.reader(), id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(u.permissions, p);
        assert!(u.to_viewer().is_staff());
        accounts::set_permissions(&t.db, id, false, Permissions::default())
            .await
            .unwrap();
        let u = db::users::find_by_id(t.db.reader(), id)
            .await
            .unwrap()
            .unwrap();
        assert!(!u.to_viewer().is_staff());
        let missing = accounts::set_permissions(&t.db, 999_999, true, p).await;
        assert_eq!(missing, Err(AppError::NotFound));
    }));
}

#[test]
fn expired_sessions_find_nobody_and_are_purged() {
    support::run(each_backend(|t| async move {
        let id = make_member(&t.db, "ann@example.com", "Ann").await;
        let now = now_ms();
        db::sessions::insert(
            &mut t.db.write_single().await.unwrap(),
            "old",
            id,
            now - 10_000,
            now - 1,
        )
        .await
        .unwrap();
        db::sessions::insert(
            &mut t.db.write_single().await.unwrap(),
            "live",
            id,
            now,
            now + 60_000,
        )
        .await
        .unwrap();
        assert!(db::sessions::find_user(t.db.reader(), "old", now)
            .await
            .unwrap()
            .is_none());
        assert!(db::sessions::find_user(t.db.reader(), "live", now)
            .await
            .unwrap()
            .is_some());
        assert_eq!(
            db::purge_expired(&mut t.db.write_single().await.unwrap(), "sessions", now)
                .await
                .unwrap(),
            1
        );
    }));
}

#[test]
fn rate_limit_counters_are_exact_under_concurrency_across_processes() {
    support::run(each_backend(|t| async move {
        let other = t.second_pool().await;
        let limit = Limit {
            max: 30,
            window_s: 3600,
        };
        let mut calls = Vec::new();
        for i in 0..60 {
            let db = if i % 2 == 0 {
                t.db.clone()
            } else {
                other.clone()
            };
            calls.push(async move { rate_limit::check(&db, "test:bucket", limit).await });
        }
        let results = futures::future::join_all(calls).await;
        let allowed = results.iter().filter(|r| r.is_ok()).count();
        let limited = results
            .iter()
            .filter(|r| matches!(r, Err(AppError::RateLimited { .. })))
            .count();
        assert_eq!((allowed, limited), (30, 30), "{results:?}");
        other.close().await;
    }));
}

#[test]
fn a_new_window_starts_a_new_count() {
    support::run(each_backend(|t| async move {
        let window_start = 1_000;
        assert_eq!(
            db::rate_limits::hit(&mut t.db.write_single().await.unwrap(), "b", window_start)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            db::rate_limits::hit(&mut t.db.write_single().await.unwrap(), "b", window_start)
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            db::rate_limits::hit(
                &mut t.db.write_single().await.unwrap(),
                "b",
                window_start + 300_000
            )
            .await
            .unwrap(),
            1
        );
        assert_eq!(
            db::rate_limits::purge(&mut t.db.write_single().await.unwrap(), window_start + 1)
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            db::rate_limits::purge(
                &mut t.db.write_single().await.unwrap(),
                window_start + 300_001
            )
            .await
            .unwrap(),
            1
        );
    }));
}

#[test]
fn migrations_can_run_twice() {
    support::run(each_backend(|t| async move {
        t.db.migrate()
            .await
            .expect("a second migration run is a no-op");
    }));
}
