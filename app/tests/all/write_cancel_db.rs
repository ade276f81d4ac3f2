//! A write whose caller goes away part-way through beginning it (a client that disconnects
//! while its post waits) leaves no transaction open behind it, on both engines.
use crate::support;

use std::future::Future;
use std::task::{Context, Poll};
use std::time::Duration;

use support::each_backend;

#[test]
fn a_write_abandoned_at_any_moment_of_its_beginning_leaves_the_database_writable() {
    support::run(each_backend(|t| async move {
        for step in 0..200u32 {
            // Poll the beginning `step` times, 20 µs apart, then drop it: the sweep stops
            // it before, during and after each of its round trips to the database.
            let mut abandoned = Box::pin(t.db.write());
            let waker = futures::task::noop_waker();
            let mut cx = Context::from_waker(&waker);
            for _ in 0..step {
                if let Poll::Ready(tx) = abandoned.as_mut().poll(&mut cx) {
                    drop(tx);
                    break;
                }
                std::thread::sleep(Duration::from_micros(20));
            }
            drop(abandoned);
            let next = tokio::time::timeout(Duration::from_secs(3), t.db.write())
                .await
                .unwrap_or_else(|_| panic!("step {step}: the next write waited for a lock"))
                .unwrap_or_else(|e| panic!("step {step}: the next write failed: {e}"));
            next.commit().await.unwrap();
        }
    }));
}
