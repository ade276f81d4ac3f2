//! The staff inbox's reads: the awaiting-a-reply set (`awaiting`), one page of the inbox
//! (`filter`), its SQL (`query`) and its search (`search`).
mod awaiting;
mod filter;
mod query;
mod search;
mod words;

pub use awaiting::*;
pub use filter::*;
pub use query::{count, page};
pub use search::{engine_query, Search, SearchTuning};
pub use words::{prefix_query, search_words, MAX_SEARCH_WORDS};
