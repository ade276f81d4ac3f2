//! The header on every page: site name, account links, staff link.
use leptos::prelude::*;
use leptos_meta::Title;

use leptos_router::hooks::use_query_map;

use super::flash_notice::FlashNotice;
use super::session::SessionContext;
use crate::model::notice::notice_text;
use crate::model::session::SessionInfo;

/// Site header with navigation for the current visitor.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let session = expect_context::<SessionContext>();
    view! {
        <Suspense fallback=|| view! { <header class="site-header" /> }>
            {move || Suspend::new(async move {
                let info = session.info.await.unwrap_or_default();
                view! { <HeaderBar info /> }
            })}
        </Suspense>
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
    let account = match info.viewer.clone() {
        Some(viewer) => {
            let staff = viewer.is_staff().then(|| {
                view! {
                    <li>
                        <a href="/admin">"Admin"</a>
                    </li>
                }
            });
            let unread = info.unread;
            let messages_label = if unread > 0 {
                format!("Messages, {unread} unread")
            } else {
                "Messages".to_string()
            };
            view! {
                <li>
                    <a href="/pigeon/threads" aria-label=messages_label>
                        "Messages"
                        {(unread > 0).then(|| view! { <span class="badge" aria-hidden="true">{unread}</span> })}
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
                        <a href="/register">"Register"</a>
                    </li>
                }
            });
            view! {
                <li>
                    <a href="/login">"Log in"</a>
                </li>
                {register}
            }
            .into_any()
        }
    };
    view! {
        <Title text=site_name.clone() />
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
            {move || view! { <FlashNotice message=notice() /> }}
        </div>
    }
}
