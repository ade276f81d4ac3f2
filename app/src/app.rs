//! The HTML shell, the root component and the routes.
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::components::layout::session::provide_session;
use crate::components::layout::site_header::SiteHeader;
use crate::pages::account::{
    forgot_password::ForgotPasswordPage, login::LoginPage, logout::LogoutPage,
    register::RegisterPage, reset_password::ResetPasswordPage, setup::SetupPage,
    verify_email::VerifyEmailPage,
};
use crate::pages::admin::{
    dashboard::DashboardPage, inbound::InboundPage, inbox::InboxPage, outbox::OutboxPage,
    settings::SettingsPage, thread_page::StaffThreadPage, users::UsersPage,
};
use crate::pages::guest::{
    contact::{ContactPage, ContactSentPage},
    request_link::RequestLinkPage,
    thread::GuestThreadPage,
};
use crate::pages::member::{
    thread_page::ThreadPage, threads_page::ThreadsPage, unsubscribe_page::UnsubscribePage,
};
use crate::pages::{home::HomePage, not_found::NotFound};

/// Runs before the page is drawn: marks the document as scripted (styles that only make
/// sense with JavaScript key on `.js`) and tells the server the viewer's time zone once
/// (and again if it changes), so that it renders local times (`components::local_time`).
const FIRST_SCRIPT: &str = "document.documentElement.classList.add('js');\
try{var z=Intl.DateTimeFormat().resolvedOptions().timeZone;\
if(z&&document.cookie.split('; ').indexOf('pigeon_tz='+encodeURIComponent(z))<0)\
document.cookie='pigeon_tz='+encodeURIComponent(z)+';path=/;max-age=31536000;samesite=lax'}catch(e){}";

/// The document around the app; on the server it also sets the page's CSP with its nonce.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_page_policy();
    let stylesheet = stylesheet_href(&options);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="stylesheet" href=stylesheet />
                <link rel="icon" href="/favicon.ico" sizes="32x32" />
                <script nonce=leptos::nonce::use_nonce() inner_html=FIRST_SCRIPT></script>
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[cfg(feature = "ssr")]
fn set_page_policy() {
    use crate::backend::web::security_headers::page_csp;
    use http::header::CONTENT_SECURITY_POLICY;
    if let (Some(nonce), Some(res)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        if let Ok(value) = http::HeaderValue::from_str(&page_csp(&nonce.to_string())) {
            res.insert_header(CONTENT_SECURITY_POLICY, value);
        }
    }
}

/// The stylesheet's address: named after its content when the build did so.
fn stylesheet_href(options: &LeptosOptions) -> String {
    #[cfg(feature = "ssr")]
    {
        use crate::backend::web::site_files::BuiltNames;
        static NAMES: std::sync::OnceLock<BuiltNames> = std::sync::OnceLock::new();
        NAMES
            .get_or_init(|| {
                options
                    .hash_files
                    .then(|| BuiltNames::read(std::path::Path::new(&*options.hash_file)))
                    .flatten()
                    .unwrap_or_default()
            })
            .stylesheet()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = options;
        "/pkg/pigeon.css".to_string()
    }
}

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // While the next page loads, the current one stays (the router waits for its data) and
    // a thin bar at the top says so.
    let routing = RwSignal::new(false);
    view! {
        <Router set_is_routing=routing>
            <div class="route-progress" class:active=move || routing.get() aria-hidden="true"></div>
            <Layout />
        </Router>
    }
}

#[component]
fn Layout() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::components::local_time::provide_viewer_zone();
    provide_session();
    view! {
        <a class="skip-link" href="#main">
            "Skip to content"
        </a>
        <SiteHeader />
        <main id="main" class="container">
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                <Route path=path!("/contact") view=ContactPage ssr=SsrMode::Async />
                <Route path=path!("/contact/sent") view=ContactSentPage ssr=SsrMode::Async />
                <Route path=path!("/pigeon/t/:token") view=GuestThreadPage ssr=SsrMode::Async />
                <Route path=path!("/pigeon/request-link") view=RequestLinkPage ssr=SsrMode::Async />
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                <Route path=path!("/setup") view=SetupPage ssr=SsrMode::Async />
                <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async />
                <Route path=path!("/logout") view=LogoutPage ssr=SsrMode::Async />
                <Route path=path!("/password/forgot") view=ForgotPasswordPage ssr=SsrMode::Async />
                <Route
                    path=path!("/password/reset/:token")
                    view=ResetPasswordPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/verify/:token") view=VerifyEmailPage ssr=SsrMode::Async />
                <Route path=path!("/admin") view=DashboardPage ssr=SsrMode::Async />
                <Route path=path!("/admin/pigeon") view=StaffInboxPage ssr=SsrMode::Async />
                <Route path=path!("/admin/pigeon/trash") view=TrashPage ssr=SsrMode::Async />
                <Route path=path!("/admin/pigeon/settings") view=SettingsPage ssr=SsrMode::Async />
                <Route path=path!("/admin/users") view=UsersPage ssr=SsrMode::Async />
                <Route path=path!("/admin/pigeon/outbox") view=OutboxPage ssr=SsrMode::Async />
                <Route path=path!("/admin/pigeon/inbound") view=InboundPage ssr=SsrMode::Async />
                <Route
                    path=path!("/admin/pigeon/saved-replies")
                    view=crate::pages::admin::saved_replies::SavedRepliesPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/admin/pigeon/threads/:id")
                    view=StaffThreadPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/pigeon/threads") view=ThreadsPage ssr=SsrMode::Async />
                <Route path=path!("/pigeon/threads/:id") view=ThreadPage ssr=SsrMode::Async />
                <Route
                    path=path!("/pigeon/unsubscribe/:participant/:signature")
                    view=UnsubscribePage
                    ssr=SsrMode::Async
                />
            </Routes>
        </main>
    }
}

/// `/admin/pigeon`: the staff inbox.
#[component]
fn StaffInboxPage() -> impl IntoView {
    view! { <InboxPage trash=false /> }
}

/// `/admin/pigeon/trash`: the inbox showing the Trash.
#[component]
fn TrashPage() -> impl IntoView {
    view! { <InboxPage trash=true /> }
}
