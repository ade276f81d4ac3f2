//! Every page path and every form action, in one place. Pages link and post with these,
//! the server reads and answers posts by them (`backend::web::actions`), the cross-site
//! guard lets through only the actions marked `from_any_site`, and the tests walk them.
//!
//! Adding a form action: write its server function (or, for a form other sites embed, a
//! handler in `backend::web::guest_forms`), declare it here and add it to `ACTIONS`, and
//! post to it from its page. Nothing else lists actions.
use server_fn::ServerFn;

use crate::api;

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
    pub const USERS: &str = "/admin/users";
    pub const MEMBER_THREADS: &str = "/pigeon/threads";

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
    const fn site(path: &'static str, shown_on: ShownOn) -> Action {
        Action {
            path,
            audience: Audience::Site,
            files: false,
            lists: &[],
            shown_on,
        }
    }

    const fn public(path: &'static str, shown_on: ShownOn) -> Action {
        Action {
            path,
            audience: Audience::Public,
            files: true,
            lists: &[],
            shown_on,
        }
    }

    const fn with_files(self) -> Action {
        Action {
            files: true,
            ..self
        }
    }

    const fn with_lists(self, lists: &'static [&'static str]) -> Action {
        Action { lists, ..self }
    }

    /// Whether any site may post it.
    pub fn from_any_site(&self) -> bool {
        self.audience == Audience::Public
    }
}

const fn path_of<F: ServerFn>() -> &'static str {
    F::PATH
}

use ShownOn::{GuestLink, MemberThread, Page, StaffThread};

// Guests (handlers in `backend::web::guest_forms`).
pub const GUEST_START: Action = Action::public("/actions/pigeon/guest/start", Page(page::CONTACT));
pub const GUEST_REPLY: Action = Action::public("/actions/pigeon/guest/reply", GuestLink);
pub const GUEST_REQUEST_LINK: Action = Action::public(
    "/actions/pigeon/guest/request-link",
    Page(page::REQUEST_LINK),
);

// Accounts.
pub const LOGIN: Action = Action::site(path_of::<api::account::Login>(), Page(page::LOGIN));
pub const LOGOUT: Action = Action::site(path_of::<api::account::Logout>(), Page(page::HOME));
pub const REGISTER: Action =
    Action::site(path_of::<api::account::Register>(), Page(page::REGISTER));
pub const FORGOT_PASSWORD: Action = Action::site(
    path_of::<api::account::ForgotPassword>(),
    Page(page::FORGOT_PASSWORD),
);
pub const RESET_PASSWORD: Action =
    Action::site(path_of::<api::account::ResetPassword>(), Page(page::HOME));
pub const RESEND_VERIFICATION: Action = Action::site(
    path_of::<api::account::ResendVerification>(),
    Page(page::HOME),
);

// Members.
pub const START_THREAD: Action = Action::site(
    path_of::<api::threads::StartThread>(),
    Page(page::MEMBER_THREADS),
)
.with_files()
.with_lists(&["recipients"]);
pub const MEMBER_REPLY: Action =
    Action::site(path_of::<api::threads::Reply>(), MemberThread).with_files();
pub const MARK_READ: Action = Action::site(path_of::<api::threads::MarkRead>(), MemberThread);
pub const MUTE: Action = Action::site(path_of::<api::threads::Mute>(), MemberThread);
pub const LEAVE: Action = Action::site(path_of::<api::threads::Leave>(), MemberThread);

// Staff.
pub const STAFF_REPLY: Action =
    Action::site(path_of::<api::staff::StaffReply>(), StaffThread).with_files();
pub const SET_STATUS: Action = Action::site(path_of::<api::staff::SetThreadStatus>(), StaffThread);
pub const ASSIGN: Action = Action::site(path_of::<api::staff::AssignThread>(), StaffThread);
pub const REVOKE_LINKS: Action =
    Action::site(path_of::<api::staff::RevokeGuestLinks>(), StaffThread);
pub const BULK: Action = Action::site(path_of::<api::staff::BulkThreads>(), Page(page::INBOX));
pub const TRASH: Action = Action::site(path_of::<api::staff::TrashThread>(), StaffThread);
pub const RESTORE: Action = Action::site(path_of::<api::staff::RestoreThread>(), StaffThread);
pub const DELETE: Action = Action::site(path_of::<api::staff::DeleteThread>(), StaffThread);
pub const FOLLOW: Action = Action::site(path_of::<api::staff::FollowThread>(), StaffThread);

// Administration.
pub const RETRY_OUTBOX: Action =
    Action::site(path_of::<api::admin::RetryOutbox>(), Page(page::OUTBOX));
pub const SAVE_SETTINGS: Action =
    Action::site(path_of::<api::admin::SaveSettings>(), Page(page::SETTINGS));
pub const CREATE_ACCOUNT: Action =
    Action::site(path_of::<api::admin::CreateAccount>(), Page(page::USERS));
pub const USER_ACCESS: Action =
    Action::site(path_of::<api::admin::UpdateUserAccess>(), Page(page::USERS));
pub const USER_DISABLED: Action =
    Action::site(path_of::<api::admin::SetUserDisabled>(), Page(page::USERS));

/// Every form action.
pub const ACTIONS: &[Action] = &[
    GUEST_START,
    GUEST_REPLY,
    GUEST_REQUEST_LINK,
    LOGIN,
    LOGOUT,
    REGISTER,
    FORGOT_PASSWORD,
    RESET_PASSWORD,
    RESEND_VERIFICATION,
    START_THREAD,
    MEMBER_REPLY,
    MARK_READ,
    MUTE,
    LEAVE,
    STAFF_REPLY,
    SET_STATUS,
    ASSIGN,
    REVOKE_LINKS,
    BULK,
    TRASH,
    RESTORE,
    DELETE,
    FOLLOW,
    RETRY_OUTBOX,
    SAVE_SETTINGS,
    CREATE_ACCOUNT,
    USER_ACCESS,
    USER_DISABLED,
];

/// The action posted to `path`.
pub fn action(path: &str) -> Option<&'static Action> {
    ACTIONS.iter().find(|a| a.path == path)
}
