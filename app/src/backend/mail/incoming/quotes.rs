//! The new text of a reply: what the writer typed above (or between) the quoted history.
//! Cut at the first quote header ("On … wrote:" in its usual languages and line wrappings,
//! Outlook's "From: / Sent:" block and "-----Original Message-----", Pigeon's own marker),
//! at a signature separator ("-- ") or a phone client's sign-off, and with `>` lines
//! dropped. The whole original stays with the message for staff.

/// Lines that end a reply in one language's "On <date>, <someone> wrote:".
const WROTE: &[(&str, &str)] = &[
    ("on ", "wrote:"),
    ("am ", "schrieb:"),
    ("am ", "geschrieben:"),
    ("le ", "a écrit :"),
    ("le ", "a écrit:"),
    ("el ", "escribió:"),
    ("il ", "ha scritto:"),
    ("op ", "geschreven:"),
    ("em ", "escreveu:"),
];

/// Lines after which only a client's quoted copy follows.
const SEPARATORS: &[&str] = &[
    "-----original message-----",
    "----- original message -----",
    "-------- original message --------",
    "________________________________",
    "##- please type your reply above this line -##",
];

/// Phone and web clients' sign-offs: cut when they end the text.
const SIGN_OFFS: &[&str] = &[
    "sent from my iphone",
    "sent from my ipad",
    "sent from my android",
    "sent from my mobile",
    "sent from my samsung",
    "sent from mail for windows",
    "sent from outlook",
    "get outlook for ios",
    "get outlook for android",
    "sent from yahoo mail",
    "sent with proton mail",
];

/// The new text of a reply, trimmed (empty when there is none).
pub fn new_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.lines().collect();
    let end = (0..lines.len())
        .find(|&i| starts_quote(&lines, i))
        .unwrap_or(lines.len());
    let mut kept: Vec<&str> = lines[..end]
        .iter()
        .copied()
        .filter(|l| !l.trim_start().starts_with('>'))
        .collect();
    if let Some(sig) = kept.iter().position(|l| *l == "-- " || *l == "--") {
        kept.truncate(sig);
    }
    // Blank lines and a sign-off at the end go.
    loop {
        match kept.last() {
            Some(l) if l.trim().is_empty() => {
                kept.pop();
            }
            Some(l) if is_sign_off(l) => {
                kept.pop();
            }
            _ => break,
        }
    }
    while kept.first().is_some_and(|l| l.trim().is_empty()) {
        kept.remove(0);
    }
    kept.iter()
        .map(|l| l.trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_sign_off(line: &str) -> bool {
    let l = line.trim().to_lowercase();
    SIGN_OFFS.iter().any(|s| l.starts_with(s))
}

/// Whether one of the two non-empty lines above `i` says a forwarded message follows.
fn after_forward_marker(lines: &[&str], i: usize) -> bool {
    lines[..i]
        .iter()
        .rev()
        .filter(|l| !l.trim().is_empty())
        .take(2)
        .any(|l| l.to_lowercase().contains("forwarded message"))
}

/// Whether the quoted history starts at line `i`.
fn starts_quote(lines: &[&str], i: usize) -> bool {
    let line = lines[i].trim().to_lowercase();
    if SEPARATORS.iter().any(|s| line.starts_with(s)) {
        return true;
    }
    // "On …, Someone <a@b> wrote:", on one line or wrapped over two or three.
    for (start, end) in WROTE {
        if line.starts_with(start) {
            let mut joined = line.clone();
            for next in lines.iter().skip(i + 1).take(2) {
                if joined.ends_with(end) {
                    break;
                }
                joined.push(' ');
                joined.push_str(&next.trim().to_lowercase());
            }
            if joined.ends_with(end) && joined.len() < 400 {
                return true;
            }
        }
    }
    // Outlook's header block: "From: …" with "Sent:"/"Date:" and "To:"/"Subject:" just below
    // (not the header of a message forwarded on purpose, which is part of the new text).
    if (line.starts_with("from:") || line.starts_with("*from:*")) && !after_forward_marker(lines, i)
    {
        let below: Vec<String> = lines
            .iter()
            .skip(i + 1)
            .take(5)
            .map(|l| l.trim().trim_start_matches('*').to_lowercase())
            .collect();
        let has = |name: &str| below.iter().any(|l| l.starts_with(name));
        return (has("sent:") || has("date:")) && (has("to:") || has("subject:"));
    }
    false
}
