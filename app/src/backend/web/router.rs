//! The one router `pigeon serve` and the HTTP tests use.
use axum::extract::{FromRef, Request, State};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use http::StatusCode;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};

use super::{
    attachment_download, client_ip, form_fallback, guest_actions, json_api, mark_read_on_view,
    request_memo, security_headers, unsubscribe,
};
use crate::app::{shell, App};
use crate::backend::auth::origin_guard;
use crate::backend::state::AppState;

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

/// Builds the application: pages, server functions, static files, health check.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let page_state = state.clone();
    let page_context = move || provide_context(page_state.clone());
    let options = state.leptos.clone();
    Router::new()
        .route("/healthz", get(healthz))
        .merge(json_api::routes())
        .route(
            "/pigeon/unsubscribe/{participant}/{signature}",
            post(unsubscribe::one_click),
        )
        .route(
            "/pigeon/attachments/{id}",
            get(attachment_download::download),
        )
        .route(guest_actions::START, post(guest_actions::start))
        .route(guest_actions::REPLY, post(guest_actions::reply))
        .route(
            guest_actions::REQUEST_LINK,
            post(guest_actions::request_link),
        )
        .route("/actions/{*name}", post(server_fn))
        .route("/api/{*name}", get(server_fn).post(server_fn))
        .leptos_routes_with_context(&state, routes, page_context, move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(|| (), shell))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            form_fallback::handle,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            mark_read_on_view::handle,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            origin_guard::refuse_cross_site,
        ))
        .layer(middleware::from_fn(security_headers::add))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            client_ip::record,
        ))
        .layer(middleware::from_fn(request_memo::install))
        .with_state(state)
}

/// The app's page routes, worked out once per process: the walk over the app is not safe to
/// run from several threads at once.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

async fn server_fn(State(state): State<AppState>, req: Request) -> impl IntoResponse {
    leptos_axum::handle_server_fns_with_context(move || provide_context(state.clone()), req).await
}

async fn healthz(State(state): State<AppState>) -> Response {
    if state.db.ping().await {
        (StatusCode::OK, "ok").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
    }
}
