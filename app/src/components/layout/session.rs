//! The visitor's session, shared by every component, refreshed on navigation and after
//! account actions.
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::api::account::{Login, Logout, Register};
use crate::api::session::load_session;
use crate::error::AppError;
use crate::model::session::SessionInfo;

/// The account actions and the session resource they refresh.
#[derive(Clone, Copy)]
pub struct SessionContext {
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
    pub register: ServerAction<Register>,
    pub info: Resource<Result<SessionInfo, AppError>>,
    /// Bump to reload the session (e.g. after a thread was marked read).
    pub refresh: RwSignal<u64>,
}

/// Creates the session context; call once inside the router.
pub fn provide_session() {
    let login = ServerAction::<Login>::new();
    let logout = ServerAction::<Logout>::new();
    let register = ServerAction::<Register>::new();
    let location = use_location();
    let refresh = RwSignal::new(0u64);
    let info = Resource::new(
        move || {
            (
                location.pathname.get(),
                login.version().get(),
                logout.version().get(),
                register.version().get(),
                refresh.get(),
            )
        },
        |_| load_session(),
    );
    provide_context(SessionContext {
        login,
        logout,
        register,
        info,
        refresh,
    });
}
