//! `/admin/pigeon/outbox`: the mail queue for admins — pending, failed (with the last
//! error) and recently sent, with retry.
use leptos::prelude::*;

use crate::api::admin::{outbox_overview, RetryOutbox};
use crate::components::layout::refused::AdminsOnly;
use crate::model::outbox::{OutboxItem, OutboxOverview};
use crate::model::time_text::format_utc;

/// The queue's state.
#[component]
pub fn OutboxPage() -> impl IntoView {
    let retry = ServerAction::<RetryOutbox>::new();
    let data = Resource::new(move || retry.version().get(), |_| outbox_overview());
    view! {
        <h1>"Mail queue"</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(o) => view! { <Overview o retry /> }.into_any(),
                    Err(error) => view! { <AdminsOnly error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Overview(o: OutboxOverview, retry: ServerAction<RetryOutbox>) -> impl IntoView {
    let retry_all = (o.failed_total > 0).then(|| {
        view! {
            <ActionForm action=retry attr:class="inline-form">
                <button type="submit" class="button">
                    "Retry all failed"
                </button>
            </ActionForm>
        }
    });
    view! {
        <p class="lead">
            {format!(
                "{} pending · {} failed · {} sent",
                o.pending_total,
                o.failed_total,
                o.sent_total,
            )}
        </p>
        <section class="card" aria-labelledby="failed-heading">
            <h2 id="failed-heading">"Failed"</h2>
            {retry_all}
            <Entries items=o.failed retry=Some(retry) />
        </section>
        <section class="card" aria-labelledby="pending-heading">
            <h2 id="pending-heading">"Pending"</h2>
            <Entries items=o.pending retry=None />
        </section>
        <section class="card" aria-labelledby="sent-heading">
            <h2 id="sent-heading">"Recently sent"</h2>
            <Entries items=o.sent retry=None />
        </section>
    }
}

#[component]
fn Entries(items: Vec<OutboxItem>, retry: Option<ServerAction<RetryOutbox>>) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="empty">"None."</p> }.into_any();
    }
    view! {
        <table class="table">
            <thead>
                <tr>
                    <th>"#"</th>
                    <th>"To"</th>
                    <th>"About"</th>
                    <th>"Kind"</th>
                    <th>"Tries"</th>
                    <th>"When"</th>
                    <th>"Last error"</th>
                    <th></th>
                </tr>
            </thead>
            <tbody>
                {items.into_iter().map(|i| view! { <EntryRow item=i retry /> }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn EntryRow(item: OutboxItem, retry: Option<ServerAction<RetryOutbox>>) -> impl IntoView {
    let when = format_utc(item.sent_at.unwrap_or(item.created_at));
    let kind = item.kind_label();
    let about = if item.subject.is_empty() {
        "Account".to_string()
    } else {
        item.subject.clone()
    };
    let button = retry.map(|action| {
        view! {
            <ActionForm action=action attr:class="inline-form">
                <input type="hidden" name="id" value=item.id.to_string() />
                <button type="submit" class="button">
                    "Retry"
                </button>
            </ActionForm>
        }
    });
    view! {
        <tr>
            <td>{item.id}</td>
            <td>
                {item.recipient}
                {item
                    .bouncing
                    .map(|why| {
                        view! {
                            " "
                            <span class="chip state-failed" title=why>
                                "bouncing"
                            </span>
                        }
                    })}
            </td>
            <td>{about}</td>
            <td>{kind}</td>
            <td>{item.attempts}</td>
            <td>{when}</td>
            <td>{item.last_error.unwrap_or_default()}</td>
            <td>{button}</td>
        </tr>
    }
}
