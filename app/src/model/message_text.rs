//! Message bodies are plain text: shown with their line breaks and with web addresses as
//! links. This splits a body into pieces; the view escapes every piece.

/// A piece of a message body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Link(String),
    LineBreak,
}

/// Splits text into plain pieces, `http(s)://` links and line breaks.
pub fn pieces(text: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push(Piece::LineBreak);
        }
        split_links(line.trim_end_matches('\r'), &mut out);
    }
    out
}

fn split_links(line: &str, out: &mut Vec<Piece>) {
    let mut rest = line;
    while let Some(start) = find_link_start(rest) {
        if start > 0 {
            out.push(Piece::Text(rest[..start].to_string()));
        }
        let tail = &rest[start..];
        let mut end = tail.find(char::is_whitespace).unwrap_or(tail.len());
        // Punctuation that ends a sentence is not part of the address.
        while end > 0 && tail[..end].ends_with(['.', ',', ')', '!', '?', ';', ':', '"', '\'']) {
            end -= 1;
        }
        let link = &tail[..end];
        if link.len() <= "https://".len() {
            out.push(Piece::Text(link.to_string()));
        } else {
            out.push(Piece::Link(link.to_string()));
        }
        rest = &tail[end..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_string()));
    }
}

fn find_link_start(s: &str) -> Option<usize> {
    let http = s.find("http://");
    let https = s.find("https://");
    match (http, https) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_line_breaks_are_found_and_the_rest_is_text() {
        let p = pieces("Hi <b>\nsee https://example.com/a?b=1, thanks.");
        assert_eq!(
            p,
            vec![
                Piece::Text("Hi <b>".into()),
                Piece::LineBreak,
                Piece::Text("see ".into()),
                Piece::Link("https://example.com/a?b=1".into()),
                Piece::Text(", thanks.".into()),
            ]
        );
    }

    #[test]
    fn only_web_addresses_become_links() {
        assert_eq!(
            pieces("javascript:alert(1) http://"),
            vec![
                Piece::Text("javascript:alert(1) ".into()),
                Piece::Text("http://".into())
            ]
        );
    }
}
