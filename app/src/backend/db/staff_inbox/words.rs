//! The words of a search and the engine's query for them: SQLite FTS5 or PostgreSQL
//! tsquery, with the same meaning. Nothing typed can change the query's syntax.
use crate::backend::db::Backend;

/// Most words one search looks for.
pub const MAX_SEARCH_WORDS: usize = 8;

/// The words of a search: each is a list of letter-and-digit runs (an email address is one
/// word of several runs, matched in order). Anything else is dropped, so nothing typed can
/// change the meaning of the engine's query syntax.
pub fn search_words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| {
            w.split(|c: char| !c.is_alphanumeric())
                .filter(|r| !r.is_empty())
                .map(|r| r.chars().take(64).collect::<String>().to_lowercase())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|w| !w.is_empty())
        .take(MAX_SEARCH_WORDS)
        .collect()
}

/// The engine's query for the words with their prefixes left as prefixes.
pub fn prefix_query(backend: Backend, words: &[String]) -> String {
    match backend {
        Backend::Sqlite => fts5_query(words),
        Backend::Postgres => tsquery(words),
    }
}

/// SQLite FTS5: every word as a phrase whose last run may be a prefix, all required.
fn fts5_query(words: &[String]) -> String {
    words
        .iter()
        .map(|w| fts5_prefix(w))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// One word as an FTS5 phrase whose last run may be a prefix.
pub(super) fn fts5_prefix(word: &str) -> String {
    format!("\"{word}\"*")
}

/// PostgreSQL tsquery: the same meaning as `fts5_query`.
pub(super) fn tsquery(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("({}:*)", w.split(' ').collect::<Vec<_>>().join(" <-> ")))
        .collect::<Vec<_>>()
        .join(" & ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_becomes_safe_engine_queries() {
        let words = search_words("  Jo@Example.com \"refund\" OR* ");
        assert_eq!(words, vec!["jo example com", "refund", "or"]);
        assert_eq!(
            fts5_query(&words),
            "\"jo example com\"* AND \"refund\"* AND \"or\"*"
        );
        assert_eq!(
            tsquery(&words),
            "(jo <-> example <-> com:*) & (refund:*) & (or:*)"
        );
        assert!(search_words(" !!! ").is_empty());
        assert_eq!(search_words("a b c d e f g h i j").len(), MAX_SEARCH_WORDS);
    }
}
