//! The visitor's session, shared by every component, refreshed on navigation and after
//! account actions.
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::api::account::{Login, Logout, Register};
use crate::api::session::load_session;
use crate::components::live::{live_path, provide_live};
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
    /// The notice's "Undo": pages showing threads reload when it is done.
    pub undo: ServerAction<crate::api::inbox::UndoChange>,
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
    // The page's live connection: staff hear of every thread they may read, members of
    // theirs; a guest's page starts its own (see the guest page).
    let live = provide_live();
    Effect::new(move |_| {
        let Some(Ok(session)) = info.get() else {
            return;
        };
        match &session.viewer {
            Some(viewer) => {
                let scope = if viewer.can(crate::model::viewer::Permission::Access) {
                    "staff"
                } else {
                    "member"
                };
                live.listen_at(
                    format!("{}&viewer={}", live_path(scope, None, None), viewer.id),
                    session.live_since,
                );
            }
            None => {
                if live
                    .path
                    .with_untracked(|p| p.as_deref().is_some_and(|p| !p.contains("scope=guest")))
                {
                    live.path.set(None);
                }
            }
        }
    });
    // Any change the page may see can move the header's counts.
    Effect::new(move |_| {
        if live.batch.with(|b| b.n > 0) {
            refresh.update(|n| *n += 1);
        }
    });
    provide_context(SessionContext {
        undo: ServerAction::new(),
        login,
        logout,
        register,
        info,
        refresh,
    });
}
