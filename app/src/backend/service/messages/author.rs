//! Who writes a message and what: the author, the draft (text, files, submission key),
//! and what a post returns.
use crate::backend::attachments::upload::Uploaded;
use crate::model::thread::ThreadStatus;

/// Who writes a message.
#[derive(Debug, Clone, Copy)]
pub enum Author<'a> {
    /// A logged-in user; `as_staff` when posting from the staff inbox.
    User {
        id: i64,
        name: &'a str,
        as_staff: bool,
    },
    /// A guest, known by email address.
    Guest { email: &'a str, name: &'a str },
}

/// An `Author` that owns its strings, to be moved to the writer thread.
pub(super) enum OwnedAuthor {
    User {
        id: i64,
        name: String,
        as_staff: bool,
    },
    Guest {
        email: String,
        name: String,
    },
}

impl From<Author<'_>> for OwnedAuthor {
    fn from(author: Author<'_>) -> Self {
        match author {
            Author::User { id, name, as_staff } => OwnedAuthor::User {
                id,
                name: name.to_string(),
                as_staff,
            },
            Author::Guest { email, name } => OwnedAuthor::Guest {
                email: email.to_string(),
                name: name.to_string(),
            },
        }
    }
}

impl OwnedAuthor {
    pub(super) fn borrow(&self) -> Author<'_> {
        match self {
            OwnedAuthor::User { id, name, as_staff } => Author::User {
                id: *id,
                name,
                as_staff: *as_staff,
            },
            OwnedAuthor::Guest { email, name } => Author::Guest { email, name },
        }
    }
}

impl Author<'_> {
    pub(super) fn name(&self) -> &str {
        match self {
            Author::User { name, .. } | Author::Guest { name, .. } => name,
        }
    }

    pub(super) fn is_staff(&self) -> bool {
        matches!(self, Author::User { as_staff: true, .. })
    }
}

/// What a message says, the files stored for it, and the form's one-time submission key
/// (a second post with the same key from the same author stores nothing).
#[derive(Debug, Clone, Copy)]
pub struct Draft<'a> {
    pub body: &'a str,
    pub files: &'a [Uploaded],
    pub key: Option<&'a str>,
    /// For a staff reply or note: the newest visible message its writer saw. When someone
    /// else's visible message came after it, nothing is posted (`AppError::NewerMessages`).
    pub seen_up_to: Option<i64>,
}

impl<'a> From<&'a str> for Draft<'a> {
    fn from(body: &'a str) -> Self {
        Draft {
            body,
            files: &[],
            key: None,
            seen_up_to: None,
        }
    }
}

impl<'a> From<&'a String> for Draft<'a> {
    fn from(body: &'a String) -> Self {
        Draft {
            body,
            files: &[],
            key: None,
            seen_up_to: None,
        }
    }
}

/// What posting did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posted {
    pub message_id: i64,
    pub author_participant_id: i64,
    pub status: ThreadStatus,
    /// How many notifications were queued.
    pub notified: u64,
    /// The draft's key was used before: nothing was stored, `message_id` is the first's.
    pub repeated: bool,
}
