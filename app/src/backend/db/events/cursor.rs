//! The feed's place in the change rows, which may become visible out of id order.
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use super::Change;

/// A missing id (a transaction that took it has not committed yet, or rolled back) is
/// waited for this long before the feed moves past it.
pub(super) const GAP_WAIT: Duration = Duration::from_secs(60);

/// Where the feed is: every id up to `low` was handed on (or given up); ids above it were
/// handed on if in `seen`. Ids are handed out when a transaction writes its row but become
/// visible when it commits, so a lower id can appear after a higher one: a gap is waited for.
pub(super) struct Cursor {
    /// Every id up to here was handed on (or given up).
    pub(super) low: i64,
    seen: BTreeSet<i64>,
    gaps: BTreeMap<i64, Instant>,
}

impl Cursor {
    pub(super) fn new(low: i64) -> Cursor {
        Cursor {
            low,
            seen: BTreeSet::new(),
            gaps: BTreeMap::new(),
        }
    }

    /// The rows not handed on before, in order; moves `low` past what is complete.
    pub(super) fn take(&mut self, rows: Vec<Change>, now: Instant) -> Vec<Change> {
        let fresh: Vec<Change> = rows
            .into_iter()
            .filter(|c| c.id > self.low && self.seen.insert(c.id))
            .collect();
        while let Some(&next) = self.seen.first() {
            if next == self.low + 1 {
                self.seen.pop_first();
                self.gaps.remove(&next);
                self.low = next;
                continue;
            }
            // A hole below `next`: wait for it a while, then move past it.
            let since = *self.gaps.entry(self.low + 1).or_insert(now);
            if now.duration_since(since) < GAP_WAIT {
                break;
            }
            self.gaps.remove(&(self.low + 1));
            self.low += 1;
        }
        fresh
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::db::events::ChangeKind;

    fn change(id: i64) -> Change {
        Change {
            id,
            thread_id: 1,
            kind: ChangeKind::Message,
        }
    }

    #[test]
    fn a_late_commit_of_a_lower_id_is_still_handed_on_once() {
        let t0 = Instant::now();
        let mut cursor = Cursor::new(10);
        let ids = |v: Vec<Change>| v.into_iter().map(|c| c.id).collect::<Vec<_>>();
        assert_eq!(ids(cursor.take(vec![change(11), change(13)], t0)), [11, 13]);
        assert_eq!(cursor.low, 11, "12 is not committed yet");
        // Read again: 13 is not handed on twice; 12 arrives late.
        assert_eq!(ids(cursor.take(vec![change(12), change(13)], t0)), [12]);
        assert_eq!(cursor.low, 13);
        // A hole that never fills (a rolled-back transaction) is passed after the wait.
        assert_eq!(ids(cursor.take(vec![change(15)], t0)), [15]);
        assert_eq!(cursor.low, 13);
        assert!(cursor.take(vec![change(15)], t0 + GAP_WAIT).is_empty());
        assert_eq!(cursor.low, 15);
    }
}
