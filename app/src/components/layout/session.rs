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
}

/// Creates the session context; call once inside the router.
pub fn provide_session() {
    let login = ServerAction::<Login>::new();
    let logout = ServerAction::<Logout>::new();
    let register = ServerAction::<Register>::new();
    let location = use_location();
    let info = Resource::new(
        move || {
            (
                location.pathname.get(),
                login.version().get(),
                logout.version().get(),
                register.version().get(),
            )
        },
        |_| load_session(),
    );
    provide_context(SessionContext {
        login,
        logout,
        register,
        info,
    });
}
