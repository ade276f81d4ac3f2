//! The header on every page: site name, account links, staff link.
use leptos::prelude::*;
use leptos_meta::Title;

use leptos_router::hooks::use_query_map;

use super::flash_notice::FlashNotice;
use super::session::SessionContext;
use crate::model::notice::notice_text;
use crate::model::session::SessionInfo;
use crate::routes::page;

/// Site header with navigation for the current visitor.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let session = expect_context::<SessionContext>();
    // The header stays as it is while the session is read again (after a change the page
    // heard of): it never blanks, and the page keeps its title.
    view! {
        <Transition fallback=|| {
            view! { <header class="site-header" /> }
        }>
            {move || Suspend::new(async move {
                let info = session.info.await.unwrap_or_default();
                view! { <HeaderBar info /> }
            })}
        </Transition>
    }
}

#[component]
fn HeaderBar(info: SessionInfo) -> impl IntoView {
    let session = expect_context::<SessionContext>();
    let site_name = if info.site_name.is_empty() {
        "Pigeon".to_string()
    } else {
        info.site_name.clone()
    };
    let query = use_query_map();
    let viewer_name = info.viewer.as_ref().map(|v| v.name.clone());
    let notice = move || {
        let key = query.read().get("notice")?;
        notice_text(&key, viewer_name.as_deref())
    };
    let undo = move || query.read().get("undo").and_then(|u| u.parse::<i64>().ok());
    // The session is read again whenever the page hears of a change (`provide_session`).
    let counts = RwSignal::new((info.unread, info.awaiting.unwrap_or(0)));
    // The tab says how many wait: awaiting a reply for staff, unread for members.
    let waiting = match &info.viewer {
        Some(v) if v.can(crate::model::viewer::Permission::Access) => info.awaiting.unwrap_or(0),
        Some(_) => info.unread,
        None => 0,
    };
    // "(3) Inbox — Site name": how many wait, the page, the site.
    let location = leptos_router::hooks::use_location();
    let title_site = site_name.clone();
    let title = move || {
        let named = match page::name_of(&location.pathname.get()) {
            Some(name) => format!("{name} \u{2014} {title_site}"),
            None => title_site.clone(),
        };
        if waiting > 0 {
            format!("({waiting}) {named}")
        } else {
            named
        }
    };
    let account = match info.viewer.clone() {
        Some(viewer) => {
            let awaiting = move || counts.get().1;
            // The badge is read out as part of the link's name: "Admin, 3 awaiting a reply".
            let admin_label = move || format!("Admin, {} awaiting a reply", awaiting());
            let inbox = viewer
                .can(crate::model::viewer::Permission::Access)
                .then(|| {
                    view! {
                        <li>
                            <a href=page::INBOX>"Inbox"</a>
                        </li>
                    }
                });
            let staff = viewer.is_staff().then(|| {
                view! {
                    {inbox}
                    <li>
                        <a href=page::DASHBOARD>
                            <Show when=move || { awaiting() > 0 } fallback=|| "Admin">
                                <span aria-hidden="true">
                                    "Admin"<span class="badge">{awaiting}</span>
                                </span>
                                <span class="visually-hidden">{admin_label}</span>
                            </Show>
                        </a>
                    </li>
                }
            });
            let unread = move || counts.get().0;
            let messages_label = move || format!("Messages, {} unread", unread());
            view! {
                <li>
                    <a href=page::MEMBER_THREADS>
                        <Show when=move || { unread() > 0 } fallback=|| "Messages">
                            <span aria-hidden="true">
                                "Messages"<span class="badge">{unread}</span>
                            </span>
                            <span class="visually-hidden">{messages_label}</span>
                        </Show>
                    </a>
                </li>
                {staff}
                <li class="viewer-name">{viewer.name}</li>
                <li>
                    <ActionForm action=session.logout attr:class="inline-form">
                        <button type="submit" class="link-button">
                            "Log out"
                        </button>
                    </ActionForm>
                </li>
            }
            .into_any()
        }
        None => {
            let register = info.registration_open.then(|| {
                view! {
                    <li>
                        <a href=page::REGISTER>"Register"</a>
                    </li>
                }
            });
            view! {
                <li>
                    <a href=page::LOGIN>"Log in"</a>
                </li>
                {register}
            }
            .into_any()
        }
    };
    view! {
        <Title text=title />
        <header class="site-header">
            <div class="container header-row">
                <a class="site-name" href="/">
                    {site_name}
                </a>
                <nav aria-label="Account">
                    <ul class="nav-list">{account}</ul>
                </nav>
            </div>
        </header>
        <div class="container">
            {move || view! { <FlashNotice message=notice() undo=undo() /> }}
        </div>
    }
}
