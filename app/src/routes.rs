//! Every page path, and what a form action is. Pages link and post with these, the server
//! reads and answers posts by them (`backend::web::actions`), the cross-site guard lets
//! through only the actions marked `from_any_site`, and the tests walk them.
//!
//! Adding a form action: write its service function, its server function in `crate::api`
//! with `declare_action!` right below it, and post to it from its page. Nothing else lists
//! actions. (The guest forms, which other sites embed, are declared here: their handlers
//! are in `backend::web::guest_forms`.)
use server_fn::ServerFn;

/// Page paths.
pub mod page {
    pub const HOME: &str = "/";
    pub const CONTACT: &str = "/contact";
    pub const CONTACT_SENT: &str = "/contact/sent";
    pub const REQUEST_LINK: &str = "/pigeon/request-link";
    pub const LOGIN: &str = "/login";
    pub const REGISTER: &str = "/register";
    pub const LOGOUT: &str = "/logout";
    pub const FORGOT_PASSWORD: &str = "/password/forgot";
    pub const DASHBOARD: &str = "/admin";
    pub const INBOX: &str = "/admin/pigeon";
    pub const TRASH: &str = "/admin/pigeon/trash";
    pub const SETTINGS: &str = "/admin/pigeon/settings";
    pub const OUTBOX: &str = "/admin/pigeon/outbox";
    pub const INBOUND: &str = "/admin/pigeon/inbound";
    pub const SAVED_REPLIES: &str = "/admin/pigeon/saved-replies";
    pub const USERS: &str = "/admin/users";
    pub const MEMBER_THREADS: &str = "/pigeon/threads";
    pub const SETUP: &str = "/setup";

    /// A conversation in the staff area.
    pub fn staff_thread(id: i64) -> String {
        format!("/admin/pigeon/threads/{id}")
    }

    /// A conversation in the member area.
    pub fn member_thread(id: i64) -> String {
        format!("/pigeon/threads/{id}")
    }

    /// A guest's conversation through their private link.
    pub fn guest_link(token: &str) -> String {
        format!("/pigeon/t/{token}")
    }

    /// What a page is called in the browser's tab ("Inbox", "Conversation #12"), if it
    /// has a name of its own.
    pub fn name_of(path: &str) -> Option<String> {
        let path = path.trim_end_matches('/');
        let fixed = match path {
            "" => return None,
            CONTACT | CONTACT_SENT => "Contact",
            REQUEST_LINK => "Get a new link",
            LOGIN => "Log in",
            REGISTER => "Register",
            FORGOT_PASSWORD => "Forgotten password",
            DASHBOARD => "Dashboard",
            INBOX => "Inbox",
            TRASH => "Trash",
            SETTINGS => "Settings",
            OUTBOX => "Outbox",
            INBOUND => "Inbound mail",
            SAVED_REPLIES => "Saved replies",
            USERS => "Users",
            MEMBER_THREADS => "Messages",
            SETUP => "Set up Pigeon",
            _ => {
                let number = path
                    .strip_prefix("/admin/pigeon/threads/")
                    .or_else(|| path.strip_prefix("/pigeon/threads/"))
                    .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
                return match number {
                    Some(n) => Some(format!("Conversation #{n}")),
                    None if path.starts_with("/pigeon/t/") => Some("Your conversation".into()),
                    None => None,
                };
            }
        };
        Some(fixed.to_string())
    }
}

/// Who may post a form, and so how its post is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Anyone, from any site (the contact form is embedded elsewhere): no cross-site
    /// check, a small body, files counted per client address, answered as a page unless
    /// JSON is asked for.
    Public,
    /// Visitors of this site (logged in or about to be): same-site posts only; files only
    /// for someone logged in.
    Site,
}

/// Where a failed post without JavaScript is shown again, when its Referer does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShownOn {
    /// A fixed page.
    Page(&'static str),
    /// The staff view of the post's `thread_id`.
    StaffThread,
    /// The member view of the post's `thread_id`.
    MemberThread,
    /// The guest link of the post's `token`, whatever the Referer says.
    GuestLink,
}

/// A form action: where it is posted and how its post is read and answered.
#[derive(Debug, Clone, Copy)]
pub struct Action {
    pub path: &'static str,
    pub audience: Audience,
    /// Whether its form may carry files (`multipart/form-data`).
    pub files: bool,
    /// Fields a plain form sends as a repeated list (`recipients=4&recipients=9`).
    pub lists: &'static [&'static str],
    pub shown_on: ShownOn,
}

impl Action {
    pub const fn site(path: &'static str, shown_on: ShownOn) -> Action {
        Action {
            path,
            audience: Audience::Site,
            files: false,
            lists: &[],
            shown_on,
        }
    }

    pub const fn public(path: &'static str, shown_on: ShownOn) -> Action {
        Action {
            path,
            audience: Audience::Public,
            files: true,
            lists: &[],
            shown_on,
        }
    }

    pub const fn with_files(self) -> Action {
        Action {
            files: true,
            ..self
        }
    }

    pub const fn with_lists(self, lists: &'static [&'static str]) -> Action {
        Action { lists, ..self }
    }

    /// Whether any site may post it.
    pub fn from_any_site(&self) -> bool {
        self.audience == Audience::Public
    }
}

pub const fn path_of<F: ServerFn>() -> &'static str {
    F::PATH
}

use ShownOn::{GuestLink, Page};

// Guests (handlers in `backend::web::guest_forms`).
pub const GUEST_START: Action = Action::public("/actions/pigeon/guest/start", Page(page::CONTACT));
pub const GUEST_REPLY: Action = Action::public("/actions/pigeon/guest/reply", GuestLink);
pub const GUEST_REQUEST_LINK: Action = Action::public(
    "/actions/pigeon/guest/request-link",
    Page(page::REQUEST_LINK),
);

/// Every form action: the guest forms above and the server functions' declarations
/// (`declare_action!` beside each of them in `crate::api`).
#[cfg(feature = "ssr")]
pub fn actions() -> impl Iterator<Item = &'static Action> {
    [&GUEST_START, &GUEST_REPLY, &GUEST_REQUEST_LINK]
        .into_iter()
        .chain(inventory::iter::<Action>)
}

#[cfg(feature = "ssr")]
inventory::collect!(Action);

/// Declares a server function as a form action, beside the function: a constant the page
/// posts to (`NAME.path`), collected for the action path and the tests.
///
/// `declare_action!(LOGIN = Action::site(path_of::<Login>(), ShownOn::Page(page::LOGIN)));`
#[macro_export]
macro_rules! declare_action {
    ($(#[$doc:meta])* $name:ident = $action:expr) => {
        $(#[$doc])*
        pub const $name: $crate::routes::Action = $action;
        #[cfg(feature = "ssr")]
        inventory::submit! { $name }
    };
}

/// The action posted to `path`.
#[cfg(feature = "ssr")]
pub fn action(path: &str) -> Option<&'static Action> {
    actions().find(|a| a.path == path)
}
