//! The status rules of SPEC §5, as one pure function.
use crate::model::thread::{MessageKind, ThreadKind, ThreadStatus};

/// The status a thread moves to when a message of `message` kind is posted.
///
/// - Support: a guest or member message makes it `pending` (a closed thread reopens);
///   a staff message makes it `open`, or the status the staff member chose.
/// - Direct: a reply reopens a closed thread; otherwise the status stays.
/// - Internal notes and system events change nothing.
pub fn next_status(
    kind: ThreadKind,
    current: ThreadStatus,
    message: MessageKind,
    by_staff: bool,
    status_after: Option<ThreadStatus>,
) -> ThreadStatus {
    if message != MessageKind::Message {
        return current;
    }
    match (kind, by_staff) {
        (ThreadKind::Support, false) => ThreadStatus::Pending,
        (ThreadKind::Support, true) => status_after.unwrap_or(ThreadStatus::Open),
        (ThreadKind::Direct, true) if status_after.is_some() => status_after.unwrap_or(current),
        (ThreadKind::Direct, _) if current == ThreadStatus::Closed => ThreadStatus::Open,
        (ThreadKind::Direct, _) => current,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MessageKind::*;
    use ThreadKind::*;
    use ThreadStatus::*;

    #[test]
    fn a_customer_message_on_a_support_thread_makes_it_pending_even_when_closed() {
        for current in [Open, Pending, Closed] {
            assert_eq!(next_status(Support, current, Message, false, None), Pending);
        }
    }

    #[test]
    fn a_staff_message_opens_a_support_thread_or_sets_the_chosen_status() {
        assert_eq!(next_status(Support, Pending, Message, true, None), Open);
        assert_eq!(
            next_status(Support, Pending, Message, true, Some(Closed)),
            Closed
        );
        assert_eq!(
            next_status(Support, Closed, Message, true, Some(Pending)),
            Pending
        );
    }

    #[test]
    fn notes_and_events_change_nothing() {
        for current in [Open, Pending, Closed] {
            for kind in [Support, Direct] {
                assert_eq!(
                    next_status(kind, current, Note, true, Some(Closed)),
                    current
                );
                assert_eq!(next_status(kind, current, Event, true, None), current);
            }
        }
    }

    #[test]
    fn a_reply_reopens_a_closed_direct_thread_and_keeps_an_open_one_open() {
        assert_eq!(next_status(Direct, Closed, Message, false, None), Open);
        assert_eq!(next_status(Direct, Open, Message, false, None), Open);
        assert_eq!(next_status(Direct, Pending, Message, false, None), Pending);
    }
}
