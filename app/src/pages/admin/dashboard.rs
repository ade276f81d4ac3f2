//! `/admin`: the staff dashboard.
use leptos::prelude::*;

use crate::api::admin::dashboard;
use crate::components::layout::refused::Refused;
use crate::model::session::DashboardInfo;
use crate::model::thread::ThreadSummary;
use crate::model::time_text::format_utc;
use crate::model::viewer::{Permission, Viewer};
use crate::routes::page;

/// Staff only: 403 for members, a redirect to login for visitors.
#[component]
pub fn DashboardPage() -> impl IntoView {
    // Live: the widget follows every change it may show.
    let changes = crate::components::live::Live::get()
        .map(|l| l.ticks_for(Signal::derive(|| None), Signal::derive(|| 0)))
        .unwrap_or_else(|| RwSignal::new(0));
    let data = Resource::new(move || changes.get(), |_| dashboard());
    view! {
        <Transition>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(info) => view! { <Dashboard info /> }.into_any(),
                    Err(error) => {
                        view! {
                            <Refused
                                error
                                purpose="open the staff dashboard"
                                heading="Staff only"
                            />
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn Dashboard(info: DashboardInfo) -> impl IntoView {
    let role = if info.viewer.is_admin {
        "Administrator"
    } else {
        "Staff"
    };
    let widget = info
        .awaiting
        .clone()
        .map(|(count, threads)| view! { <InboxWidget count threads /> });
    view! {
        <h1>"Dashboard"</h1>
        {widget}
        <section class="card" aria-labelledby="you-heading">
            <h2 id="you-heading">"Your access"</h2>
            <p>{format!("{} — {}", info.viewer.name, role)}</p>
            <ul class="tags">
                {info
                    .permissions
                    .into_iter()
                    .map(|p| view! { <li class="tag">{p}</li> })
                    .collect_view()}
            </ul>
        </section>
        <StaffLinks viewer=info.viewer.clone() />
    }
}

/// Links to the staff pages this viewer may open.
#[component]
fn StaffLinks(viewer: Viewer) -> impl IntoView {
    let links: Vec<(&str, &str, &str)> = [
        (
            viewer.can(Permission::Access),
            page::INBOX,
            "Inbox",
            "every conversation, search and bulk actions",
        ),
        (
            viewer.can(Permission::ManageThreads),
            page::TRASH,
            "Trash",
            "restore or delete threads for good",
        ),
        (
            viewer.can(Permission::ManageSettings),
            page::SETTINGS,
            "Settings",
            "the contact form, emails and limits",
        ),
        (
            viewer.is_admin,
            page::USERS,
            "Users",
            "staff accounts, rights and disabling",
        ),
        (
            viewer.is_admin,
            page::OUTBOX,
            "Mail queue",
            "pending, failed and sent emails",
        ),
        (
            viewer.is_admin,
            page::INBOUND,
            "Inbound mail",
            "replies by email, held messages, bounces",
        ),
    ]
    .into_iter()
    .filter(|(ok, ..)| *ok)
    .map(|(_, href, label, what)| (href, label, what))
    .collect();
    (!links.is_empty()).then(|| {
        view! {
            <section class="card" aria-labelledby="pages-heading">
                <h2 id="pages-heading">"Staff pages"</h2>
                <ul class="link-cards">
                    {links
                        .into_iter()
                        .map(|(href, label, what)| {
                            view! {
                                <li>
                                    <a href=href>{label}</a>
                                    <span>{format!(" — {what}")}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}

/// The Pigeon Inbox widget: how many threads await a reply, and the newest of them.
#[component]
fn InboxWidget(count: i64, threads: Vec<ThreadSummary>) -> impl IntoView {
    let headline = match count {
        0 => "Nothing waiting on a reply".to_string(),
        1 => "1 thread awaiting a reply".to_string(),
        n => format!("{n} threads awaiting a reply"),
    };
    view! {
        <section class="card" aria-labelledby="inbox-heading">
            <h2 id="inbox-heading">"Pigeon Inbox"</h2>
            <p class="lead" role="status">
                {headline}
            </p>
            {(!threads.is_empty())
                .then(|| {
                    view! {
                        <ul class="awaiting">
                            {threads
                                .into_iter()
                                .map(|t| {
                                    view! {
                                        <li>
                                            <a href=format!(
                                                "/admin/pigeon/threads/{}",
                                                t.id,
                                            )>{t.subject}</a>
                                            <span class="hint">
                                                " — " {t.started_by_name} " · "
                                                {format_utc(t.last_message_at)}
                                            </span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            <p>
                <a class="button" href="/admin/pigeon?source=needs-reply">
                    "Open inbox"
                </a>
            </p>
        </section>
    }
}
