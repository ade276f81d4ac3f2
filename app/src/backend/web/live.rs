//! `GET /pigeon/live`: a page's live updates, as Server-Sent Events on the page's own origin
//! (plain HTTP: no websocket, nothing a default proxy needs to know beyond not buffering,
//! which `X-Accel-Buffering: no` asks of nginx). Authenticated like the page: by the
//! session cookie, or by the guest link's token. Each change is checked against the
//! listener's rights when it is sent (`service::live`), and the listener itself as soon as
//! it hears that who may hear what changed (a session ended, rights or links changed, its
//! thread trashed or left: those are changes too), and every 30 s anyway: the stream ends
//! within a second of losing access. A page that reconnects sends
//! `Last-Event-ID` (or `since`, the id its data was read at) and gets what it missed; when
//! that is no longer kept, it is told to reload.
use std::collections::{HashSet, VecDeque};
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue};
use serde::Deserialize;
use tokio::sync::{broadcast, mpsc};

use super::error_response;
use crate::backend::auth::session;
use crate::backend::service::live::{self, Asked, Change, Listener};
use crate::backend::state::AppState;
use crate::error::AppError;

/// The path pages listen on.
pub const PATH: &str = "/pigeon/live";

/// How soon after hearing of a change to who may hear what (`live::touches_access`) the
/// listener is checked again: such changes come in bursts (a bulk logout), one check
/// answers them all.
const RECHECK_SOON: Duration = Duration::from_millis(200);
/// How often the listener is checked again anyway (what ends by time alone: a session's or
/// a link's expiry).
const RECHECK_ANYWAY: Duration = Duration::from_secs(30);
/// Changes sent on a reconnect, at most (more: the page reloads instead).
const REPLAY: i64 = 500;

#[derive(Debug, Deserialize)]
pub struct LiveQuery {
    scope: String,
    thread: Option<i64>,
    token: Option<String>,
    since: Option<i64>,
}

/// The handler.
pub async fn listen(
    State(state): State<AppState>,
    Query(q): Query<LiveQuery>,
    headers: HeaderMap,
) -> Response {
    let asked = Asked {
        scope: q.scope,
        thread: q.thread,
        token: q.token,
    };
    let viewer = match session::viewer(&state, &headers).await {
        Ok(v) => v,
        Err(e) => return error_response::json(&e),
    };
    // Listening first, so that nothing committed while the missed changes are read is lost.
    let changes = live::subscribe(&state.db).await;
    let listener = match live::listener(&state.db, viewer, &asked).await {
        Ok(l) => l,
        Err(e) => return error_response::json(&e),
    };
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(q.since)
        .filter(|id| *id >= 0);
    let (out, rx) = mpsc::channel::<Event>(64);
    tokio::spawn(serve(state, headers, asked, listener, changes, resume, out));
    let stream = futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|e| (Ok::<_, Infallible>(e), rx))
    });
    let mut res = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    let h = res.headers_mut();
    h.insert("cache-control", HeaderValue::from_static("no-cache"));
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    res
}

/// One listener's task: sends what it may hear until it goes away or loses access.
async fn serve(
    state: AppState,
    headers: HeaderMap,
    asked: Asked,
    mut listener: Listener,
    mut changes: broadcast::Receiver<Change>,
    resume: Option<i64>,
    out: mpsc::Sender<Event>,
) {
    let mut sent = Sent::default();
    if let Some(since) = resume {
        if catch_up(&state, &listener, since, &mut sent, &out)
            .await
            .is_err()
        {
            return;
        }
    }
    let mut anyway = tokio::time::interval(RECHECK_ANYWAY);
    anyway.tick().await;
    // When set, the listener is checked again at that moment.
    let mut soon: Option<tokio::time::Instant> = None;
    loop {
        let recheck_at = soon.unwrap_or_else(|| tokio::time::Instant::now() + RECHECK_ANYWAY);
        tokio::select! {
            change = changes.recv() => match change {
                Ok(change) => {
                    if live::touches_access(&listener, &change) && soon.is_none() {
                        soon = Some(tokio::time::Instant::now() + RECHECK_SOON);
                    }
                    if sent.first_time(change.id)
                        && send_if_allowed(&state, &listener, &change, &out).await.is_err()
                    {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    soon = Some(tokio::time::Instant::now());
                    if out.send(reload()).await.is_err() {
                        return;
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
            _ = tokio::time::sleep_until(recheck_at), if soon.is_some() => {
                soon = None;
                match again(&state, &headers, &asked).await {
                    Some(now) => listener = now,
                    None => return,
                }
            }
            _ = anyway.tick() => match again(&state, &headers, &asked).await {
                Some(now) => listener = now,
                None => return,
            },
            _ = out.closed() => return,
        }
    }
}

/// The listener as the request's credentials give it now; None once they no longer do.
async fn again(state: &AppState, headers: &HeaderMap, asked: &Asked) -> Option<Listener> {
    let viewer = session::viewer(state, headers).await.ok()?;
    live::listener(&state.db, viewer, asked).await.ok()
}

/// The changes after `since` that the listener may hear, or a reload when they are gone.
async fn catch_up(
    state: &AppState,
    listener: &Listener,
    since: i64,
    sent: &mut Sent,
    out: &mpsc::Sender<Event>,
) -> Result<(), ()> {
    let Some(missed) = live::missed(&state.db, since, REPLAY)
        .await
        .map_err(|_| ())?
    else {
        return out.send(reload()).await.map_err(|_| ());
    };
    for change in missed {
        if sent.first_time(change.id) {
            send_if_allowed(state, listener, &change, out).await?;
        }
    }
    Ok(())
}

async fn send_if_allowed(
    state: &AppState,
    listener: &Listener,
    change: &Change,
    out: &mpsc::Sender<Event>,
) -> Result<(), ()> {
    match live::may_hear(&state.db, listener, change).await {
        Ok(true) => out.send(event(change)).await.map_err(|_| ()),
        Ok(false) => Ok(()),
        // A database hiccup: the page reloads what it shows rather than miss a change.
        Err(AppError::Unavailable { .. }) => out.send(reload()).await.map_err(|_| ()),
        Err(_) => Err(()),
    }
}

fn event(change: &Change) -> Event {
    Event::default()
        .id(change.id.to_string())
        .event("change")
        .data(format!(
            "{{\"thread\":{},\"kind\":\"{}\"}}",
            change.thread_id,
            change.kind.name()
        ))
}

fn reload() -> Event {
    Event::default().event("reload").data("{}")
}

/// The ids sent lately (a change may come both from the catch-up and the feed).
#[derive(Default)]
struct Sent {
    ids: HashSet<i64>,
    order: VecDeque<i64>,
}

impl Sent {
    const KEPT: usize = 4096;

    fn first_time(&mut self, id: i64) -> bool {
        if !self.ids.insert(id) {
            return false;
        }
        self.order.push_back(id);
        if self.order.len() > Self::KEPT {
            if let Some(old) = self.order.pop_front() {
                self.ids.remove(&old);
            }
        }
        true
    }
}
