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
mod hub;

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderValue};
use serde::Deserialize;
use tokio::sync::mpsc::{self, WeakSender};

use super::error_response;
use crate::backend::auth::session;
use crate::backend::service::live::{self, Asked, Change, Listener};
use crate::backend::state::AppState;
use crate::error::AppError;
use hub::Sent;

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
    // In the hub before answering, so that nothing committed from now on is missed.
    let weak = out.downgrade();
    let hub = hub::of(&state).await;
    let registration = hub.register(listener.clone(), out);
    tokio::spawn(serve(
        state,
        headers,
        asked,
        listener,
        resume,
        (hub, registration, weak),
    ));
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

/// One listener's task: joins the hub (which sends it what it may hear), catches up on
/// what the page missed, then checks the listener again whenever the hub says its rights
/// may have moved, and every 30 s anyway. The stream ends when the task does (leaving the
/// hub drops the stream's only sender) or when the page goes away.
async fn serve(
    state: AppState,
    headers: HeaderMap,
    asked: Asked,
    listener: Listener,
    resume: Option<i64>,
    (hub, registration, weak): (Arc<hub::Hub>, hub::Registration, WeakSender<Event>),
) {
    let sent = registration.sent.clone();
    if let Some(since) = resume {
        if catch_up(&state, &listener, since, &sent, &weak)
            .await
            .is_err()
        {
            return;
        }
    }
    for change in hub.ready(registration.id) {
        let first = sent.lock().expect("sent lock").first_time(change.id);
        if first
            && send_if_allowed(&state, &listener, &change, &weak)
                .await
                .is_err()
        {
            return;
        }
    }
    let mut anyway = tokio::time::interval(RECHECK_ANYWAY);
    anyway.tick().await;
    loop {
        tokio::select! {
            _ = registration.recheck.notified() => {
                // Such changes come in bursts (a bulk logout): one check answers them all.
                tokio::time::sleep(RECHECK_SOON).await;
            }
            _ = anyway.tick() => {
                if weak.upgrade().is_none_or(|out| out.is_closed()) {
                    return;
                }
            }
        }
        match again(&state, &headers, &asked).await {
            Some(now) => hub.update(registration.id, now),
            None => return,
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
    sent: &Mutex<Sent>,
    out: &WeakSender<Event>,
) -> Result<(), ()> {
    let Some(missed) = live::missed(&state.db, since, REPLAY)
        .await
        .map_err(|_| ())?
    else {
        return send(out, reload()).await;
    };
    for change in missed {
        if sent.lock().expect("sent lock").first_time(change.id) {
            send_if_allowed(state, listener, &change, out).await?;
        }
    }
    Ok(())
}

async fn send_if_allowed(
    state: &AppState,
    listener: &Listener,
    change: &Change,
    out: &WeakSender<Event>,
) -> Result<(), ()> {
    match live::may_hear(&state.db, listener, change).await {
        Ok(true) => send(out, event(change)).await,
        Ok(false) => Ok(()),
        // A database hiccup: the page reloads what it shows rather than miss a change.
        Err(AppError::Unavailable { .. }) => send(out, reload()).await,
        Err(_) => Err(()),
    }
}

/// Sends on the stream while it is open.
async fn send(out: &WeakSender<Event>, event: Event) -> Result<(), ()> {
    let out = out.upgrade().ok_or(())?;
    out.send(event).await.map_err(|_| ())
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
