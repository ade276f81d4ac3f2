//! The receiver's wire: answers written out whole, and lines read with a bound on their
//! length (a client cannot make the receiver hold an endless line).
use mailin::Response;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};

pub(super) async fn send<W: AsyncWrite + Unpin>(
    w: &mut W,
    response: &Response,
) -> std::io::Result<()> {
    let mut out = Vec::new();
    response.write_to(&mut out)?;
    w.write_all(&out).await?;
    w.flush().await
}

/// Reads one line (up to and with its LF) into `line`; 0 at the end of the stream. A line
/// longer than `max` is an `InvalidData` error.
pub(super) async fn read_line<R: AsyncRead + Unpin>(
    r: &mut BufReader<R>,
    line: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<usize> {
    line.clear();
    loop {
        let buf = r.fill_buf().await?;
        if buf.is_empty() {
            return Ok(line.len());
        }
        let (take, done) = match buf.iter().position(|b| *b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if line.len() + take > max {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "line too long",
            ));
        }
        line.extend_from_slice(&buf[..take]);
        r.consume(take);
        if done {
            return Ok(line.len());
        }
    }
}
