//! How an inbox row writes what it shows: counts with thousands, a person's initials and
//! colour, a message's first line, and a search's words marked in a text.

/// 1234567 as "1,234,567".
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

/// Up to two initials of a name ("Ann Lee" → "AL", "ann" → "A"; "?" for none).
pub fn initials(name: &str) -> String {
    let letters: Vec<char> = name
        .split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
        .collect();
    let picked: String = match letters.as_slice() {
        [] => "?".to_string(),
        [one] => one.to_string(),
        [first, .., last] => format!("{first}{last}"),
    };
    picked.to_uppercase()
}

/// A colour for a person, the same on every page and every visit: one of `AVATAR_COLOURS`.
pub fn avatar_colour(key: &str) -> usize {
    // FNV-1a: stable across builds and platforms, unlike the standard hasher.
    let mut h: u32 = 0x811c_9dc5;
    for b in key.trim().to_lowercase().bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    (h % AVATAR_COLOURS) as usize
}

/// How many avatar colours the style sheet defines (`.avatar-0` … `.avatar-7`).
pub const AVATAR_COLOURS: u32 = 8;

/// The first line of a message, at most 100 characters, for a preview.
pub fn first_line(body: &str) -> String {
    let line = body
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('>'))
        .unwrap_or("");
    let mut out: String = line.chars().take(100).collect();
    if line.chars().count() > 100 {
        out.push('\u{2026}');
    }
    out
}

/// Splits `text` into runs, each marked true when it is one of `words` (case-insensitive):
/// the inbox highlights a search's words with them.
pub fn highlight_runs(text: &str, words: &[String]) -> Vec<(String, bool)> {
    let lower = text.to_lowercase();
    // Matching works on the lower-cased text; a character that changes length when
    // lower-cased would shift the positions, so such text is left unmarked.
    if lower.len() != text.len() || words.is_empty() {
        return vec![(text.to_string(), false)];
    }
    let mut marked = vec![false; text.len()];
    for w in words.iter().filter(|w| !w.is_empty()) {
        let w = w.to_lowercase();
        let mut from = 0;
        while let Some(i) = lower[from..].find(&w) {
            let at = from + i;
            for m in &mut marked[at..at + w.len()] {
                *m = true;
            }
            from = at + w.len();
        }
    }
    let mut runs: Vec<(String, bool)> = Vec::new();
    for (i, c) in text.char_indices() {
        let m = marked[i];
        match runs.last_mut() {
            Some((run, was)) if *was == m => run.push(c),
            _ => runs.push((c.to_string(), m)),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_helpers() {
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(initials("Ann  Lee-Smith"), "AL");
        assert_eq!(initials("émile"), "É");
        assert_eq!(initials("  "), "?");
        assert_eq!(avatar_colour("Ann"), avatar_colour(" ann "));
        assert!(avatar_colour("Bob") < AVATAR_COLOURS as usize);
        assert_eq!(first_line("\n> quoted\n  Hello there\nmore"), "Hello there");
        assert_eq!(first_line(&"x".repeat(200)).chars().count(), 101);
        assert_eq!(
            highlight_runs("Refund for a refunded order", &["refund".into()]),
            vec![
                ("Refund".to_string(), true),
                (" for a ".to_string(), false),
                ("refund".to_string(), true),
                ("ed order".to_string(), false),
            ]
        );
        assert_eq!(
            highlight_runs("İx", &["x".into()]),
            vec![("İx".to_string(), false)]
        );
    }
}
