//! The one router `pigeon serve` and the HTTP tests use.
use axum::extract::{FromRef, Request, State};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use http::{Method, StatusCode};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;

use super::{
    actions, attachment_download, client_ip, guest_forms, inbound_original, input_guard, json_api,
    live, mark_read_on_view, page_cache, security_headers, site_files, unsubscribe,
};
use crate::app::{shell, App};
use crate::backend::auth::{origin_guard, request_memo};
use crate::backend::state::AppState;
use crate::routes;

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

/// The routes written by hand (the pages and server functions come from the app): path,
/// methods, handler. `known_routes` lists them with the others.
fn handwritten() -> Vec<(&'static str, &'static [Method], MethodRouter<AppState>)> {
    vec![
        ("/healthz", &[Method::GET], get(healthz)),
        (live::PATH, &[Method::GET], get(live::listen)),
        (
            json_api::UNREAD_COUNT,
            &[Method::GET],
            get(json_api::unread_count),
        ),
        (json_api::THREADS, &[Method::GET], get(json_api::threads)),
        (json_api::THREAD, &[Method::GET], get(json_api::thread)),
        (
            json_api::IS_UNREAD,
            &[Method::GET],
            get(json_api::is_unread),
        ),
        (
            "/pigeon/unsubscribe/{participant}/{signature}",
            &[Method::POST],
            post(unsubscribe::one_click),
        ),
        (
            "/pigeon/attachments/{id}",
            &[Method::GET],
            get(attachment_download::download),
        ),
        (
            inbound_original::PATH,
            &[Method::GET],
            get(inbound_original::download),
        ),
        (
            routes::GUEST_START.path,
            &[Method::POST],
            post(guest_forms::start),
        ),
        (
            routes::GUEST_REPLY.path,
            &[Method::POST],
            post(guest_forms::reply),
        ),
        (
            routes::GUEST_REQUEST_LINK.path,
            &[Method::POST],
            post(guest_forms::request_link),
        ),
    ]
}

/// Every route the router answers, as (method, path pattern): the hand-written ones, the
/// server functions and the pages. Tests walk it, so a new route is probed without anyone
/// listing it.
pub fn known_routes() -> Vec<(Method, String)> {
    let mut all: Vec<(Method, String)> = Vec::new();
    for (path, methods, _) in handwritten() {
        all.extend(methods.iter().map(|m| (m.clone(), path.to_string())));
    }
    for (path, method) in server_fn::axum::server_fn_paths() {
        all.push((method, path.to_string()));
    }
    for route in route_list() {
        all.push((Method::GET, route.path().to_string()));
    }
    all.push((Method::GET, "/favicon.ico".into()));
    all.sort_by(|a, b| (&a.1, a.0.as_str()).cmp(&(&b.1, b.0.as_str())));
    all.dedup();
    all
}

/// Builds the application: pages, server functions, static files, health check.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let page_state = state.clone();
    let page_context = move || provide_context(page_state.clone());
    let options = state.leptos.clone();
    let mut app = Router::new();
    for (path, _, handler) in handwritten() {
        app = app.route(path, handler);
    }
    app.merge(site_files::routes(std::path::Path::new(
        &*state.leptos.site_root,
    )))
    .route("/actions/{*name}", post(server_fn))
    .route("/api/{*name}", get(server_fn).post(server_fn))
    .leptos_routes_with_context(&state, routes, page_context, move || shell(options.clone()))
    .fallback(leptos_axum::file_and_error_handler_with_context::<
        AppState,
        _,
    >(|| (), shell))
    .layer(middleware::from_fn_with_state(
        state.clone(),
        actions::handle,
    ))
    .layer(middleware::from_fn_with_state(
        state.clone(),
        mark_read_on_view::handle,
    ))
    .layer(middleware::from_fn(input_guard::handle))
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
    .layer(middleware::from_fn(page_cache::handle))
    .layer(CompressionLayer::new())
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
