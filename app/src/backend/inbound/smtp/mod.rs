//! The built-in SMTP receiver: takes mail for reply addresses (`reply+…@<reply domain>`)
//! and the support address, and for nothing else (not a relay). `mailin` runs the protocol;
//! the I/O, the limits and the durable keeping are here. A message is answered 250 only once
//! it is kept in the database (`service::inbound::receive`); a failure to keep it is a 451,
//! so the sending server tries again and nothing is lost.
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mailin::{Action, Handler, Response, SessionBuilder};
use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify, Semaphore};

mod lines;

use lines::{read_line, send};

use crate::backend::mail::reply_address::PREFIX;
use crate::backend::service::inbound::{self, Received};
use crate::backend::state::AppState;
use crate::error::AppError;

/// Recipients one message may name.
const MAX_RECIPIENTS: usize = 20;
/// Longest command line (RFC 5321 allows 512; some clients send more).
const MAX_COMMAND_LINE: usize = 4096;
/// Longest line inside a message (RFC 5322's limit is 998; HTML mail often ignores it).
const MAX_DATA_LINE: usize = 1_000_000;
/// How long the receiver waits for the next line.
const IDLE: Duration = Duration::from_secs(120);
/// Connections served at once.
const MAX_CONNECTIONS: usize = 50;

/// The envelope of the message being received, shared with the protocol's handler.
#[derive(Default)]
struct Envelope {
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
    too_big: bool,
    /// Set when the message's end was seen: the I/O loop keeps it and answers.
    complete: bool,
}

struct Rules {
    reply_domain: Option<String>,
    support_address: Option<String>,
    max_bytes: usize,
}

impl Rules {
    fn accepts(&self, to: &str) -> bool {
        let to = to.trim().trim_matches(['<', '>']).to_ascii_lowercase();
        let reply = self.reply_domain.as_deref().is_some_and(|d| {
            to.starts_with(PREFIX) && to.rsplit_once('@').is_some_and(|(_, host)| host == d)
        });
        reply || self.support_address.as_deref() == Some(to.as_str())
    }
}

struct Session {
    envelope: Arc<Mutex<Envelope>>,
    rules: Arc<Rules>,
}

impl Handler for Session {
    fn mail(&mut self, _ip: IpAddr, _domain: &str, from: &str) -> Response {
        let mut e = self.envelope.lock().expect("envelope lock");
        *e = Envelope {
            from: from.trim().trim_matches(['<', '>']).to_ascii_lowercase(),
            ..Envelope::default()
        };
        mailin::response::OK
    }

    fn rcpt(&mut self, to: &str) -> Response {
        let mut e = self.envelope.lock().expect("envelope lock");
        if e.to.len() >= MAX_RECIPIENTS {
            return Response::custom(452, "4.5.3 Too many recipients".into());
        }
        if !self.rules.accepts(to) {
            return Response::custom(
                550,
                "5.1.1 No such mailbox here (this server relays nothing)".into(),
            );
        }
        e.to.push(to.trim().trim_matches(['<', '>']).to_ascii_lowercase());
        mailin::response::OK
    }

    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        _to: &[String],
    ) -> Response {
        let mut e = self.envelope.lock().expect("envelope lock");
        e.data.clear();
        e.too_big = false;
        mailin::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        let mut e = self.envelope.lock().expect("envelope lock");
        if e.data.len() + buf.len() > self.rules.max_bytes {
            e.too_big = true;
            e.data = Vec::new();
        } else if !e.too_big {
            e.data.extend_from_slice(buf);
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        self.envelope.lock().expect("envelope lock").complete = true;
        mailin::response::OK
    }
}

/// Serves SMTP on `listener` until `stop` turns true; `arrived` is told of every kept message.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    mut stop: watch::Receiver<bool>,
    arrived: Arc<Notify>,
) {
    let rules = Arc::new(Rules {
        reply_domain: state.config.reply_domain(),
        support_address: state.config.inbound.support_address.clone(),
        max_bytes: state.config.inbound.max_message_bytes,
    });
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stop.changed() => return,
        };
        let (stream, peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!(error = %e, "SMTP accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            let mut stream = stream;
            let _ = stream
                .write_all(b"421 4.3.2 Too busy, try again later\r\n")
                .await;
            continue;
        };
        let (state, rules, arrived) = (state.clone(), rules.clone(), arrived.clone());
        tokio::spawn(async move {
            if let Err(e) = connection(&state, rules, stream, peer, &arrived).await {
                tracing::debug!(error = %e, %peer, "SMTP connection ended");
            }
            drop(slot);
        });
    }
}

async fn connection(
    state: &AppState,
    rules: Arc<Rules>,
    stream: TcpStream,
    peer: SocketAddr,
    arrived: &Notify,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    let envelope = Arc::new(Mutex::new(Envelope::default()));
    let name = state
        .config
        .reply_domain()
        .unwrap_or_else(|| "pigeon".into());
    let mut session = SessionBuilder::new(name).build(
        peer.ip(),
        Session {
            envelope: envelope.clone(),
            rules: rules.clone(),
        },
    );
    send(&mut write, &session.greeting()).await?;
    let mut line = Vec::new();
    loop {
        // Once a recipient is named, message lines may follow (DATA), which may be long.
        let named = !envelope.lock().expect("envelope lock").to.is_empty();
        let max = if named {
            MAX_DATA_LINE
        } else {
            MAX_COMMAND_LINE
        };
        match tokio::time::timeout(IDLE, read_line(&mut read, &mut line, max)).await {
            Err(_) => {
                let _ = write
                    .write_all(b"421 4.4.2 Idle too long, closing\r\n")
                    .await;
                return Ok(());
            }
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::InvalidData => {
                let _ = write.write_all(b"500 5.5.2 Line too long\r\n").await;
                return Ok(());
            }
            Ok(Err(e)) => return Err(e),
            Ok(Ok(0)) => return Ok(()),
            Ok(Ok(_)) => {}
        }
        // mailin wants lines ending in CRLF; a bare LF is read as one, and a last line
        // without any end means the client went away mid-line.
        if !line.ends_with(b"\n") {
            return Ok(());
        }
        if !line.ends_with(b"\r\n") {
            line.pop();
            line.extend_from_slice(b"\r\n");
        }
        let mut response = session.process(&line);
        let complete = std::mem::take(&mut envelope.lock().expect("envelope lock").complete);
        if complete {
            let taken = std::mem::take(&mut *envelope.lock().expect("envelope lock"));
            response = keep(state, taken, arrived).await;
        }
        match response.action {
            Action::NoReply => {}
            Action::Close => {
                send(&mut write, &response).await?;
                return Ok(());
            }
            _ => send(&mut write, &response).await?,
        }
    }
}

/// Keeps a received message and says how it went.
async fn keep(state: &AppState, e: Envelope, arrived: &Notify) -> Response {
    if e.too_big {
        let mb = state.config.inbound.max_message_bytes / 1_000_000;
        return Response::custom(552, format!("5.3.4 Message too big (at most {mb} MB)"));
    }
    match inbound::admit(state, &e.from).await {
        Ok(()) => {}
        Err(AppError::RateLimited { .. }) => {
            return Response::custom(
                450,
                "4.7.1 Too many messages from this sender; try again later".into(),
            )
        }
        Err(_) => {
            return Response::custom(451, "4.3.0 Cannot take mail now; try again later".into())
        }
    }
    match inbound::receive(state, "smtp", &e.from, &e.to, &e.data).await {
        Ok(Received::Kept(id)) => {
            arrived.notify_one();
            Response::custom(250, format!("2.0.0 Kept as message {id}"))
        }
        Ok(Received::Duplicate) => {
            Response::custom(250, "2.0.0 Already received; kept once".into())
        }
        Err(e) => {
            tracing::warn!(error = %e, "an incoming message could not be kept; the sender will retry");
            Response::custom(
                451,
                "4.3.0 Cannot keep the message now; try again later".into(),
            )
        }
    }
}
