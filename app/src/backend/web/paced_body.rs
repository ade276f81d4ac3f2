//! A request body that must keep arriving: at most `idle` between two pieces, and after
//! `grace` at least `min_rate` bytes a second on average. A client that trickles a byte at
//! a time gets its request failed (the form reader answers 400) and its connection back.
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use tokio::time::{Instant, Sleep};

/// How fast a body must arrive.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    pub idle: Duration,
    pub grace: Duration,
    pub min_rate: u64,
}

impl Default for Pace {
    fn default() -> Pace {
        Pace {
            idle: Duration::from_secs(15),
            grace: Duration::from_secs(20),
            min_rate: 1024,
        }
    }
}

/// Why a body was cut off.
#[derive(Debug, thiserror::Error)]
pub enum PaceError {
    #[error("the request body stalled")]
    Stalled,
    #[error("the request body arrived too slowly")]
    TooSlow,
    #[error(transparent)]
    Inner(#[from] hyper::Error),
}

/// The wrapped body.
pub struct PacedBody {
    inner: hyper::body::Incoming,
    pace: Pace,
    started: Instant,
    received: u64,
    idle: Pin<Box<Sleep>>,
}

impl PacedBody {
    pub fn new(inner: hyper::body::Incoming, pace: Pace) -> PacedBody {
        PacedBody {
            inner,
            pace,
            started: Instant::now(),
            received: 0,
            idle: Box::pin(tokio::time::sleep(pace.idle)),
        }
    }

    fn too_slow(&self) -> bool {
        let elapsed = self.started.elapsed();
        elapsed > self.pace.grace
            && (self.received as f64) < self.pace.min_rate as f64 * elapsed.as_secs_f64()
    }
}

impl Body for PacedBody {
    type Data = Bytes;
    type Error = PaceError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, PaceError>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.received += data.len() as u64;
                }
                if this.too_slow() {
                    return Poll::Ready(Some(Err(PaceError::TooSlow)));
                }
                let next = Instant::now() + this.pace.idle;
                this.idle.as_mut().reset(next);
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e.into()))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => match this.idle.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Some(Err(PaceError::Stalled))),
                Poll::Pending => Poll::Pending,
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
