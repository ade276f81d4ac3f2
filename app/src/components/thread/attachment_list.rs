//! The files of a message: name, size, and a thumbnail for images.
use leptos::prelude::*;

use crate::model::file_size::format_size;
use crate::model::thread::AttachmentView;

/// The download address of a file; a guest's link token rides along.
pub fn file_href(id: i64, token: Option<&str>) -> String {
    match token {
        Some(t) => format!("/pigeon/attachments/{id}?t={t}"),
        None => format!("/pigeon/attachments/{id}"),
    }
}

/// A message's files as download links.
#[component]
pub fn AttachmentList(files: Vec<AttachmentView>, token: Option<String>) -> impl IntoView {
    (!files.is_empty()).then(|| {
        let items = files
            .into_iter()
            .map(|f| {
                let href = file_href(f.id, token.as_deref());
                let thumb = f.image.then(|| {
                    view! { <img class="thumb" src=href.clone() alt="" loading="lazy" width="96" height="96" /> }
                });
                view! {
                    <li>
                        <a href=href.clone() rel="external">
                            {thumb}
                            <span class="file-name">{f.name}</span>
                        </a>
                        " "
                        <span class="file-size">{format_size(f.size)}</span>
                    </li>
                }
            })
            .collect_view();
        view! {
            <ul class="attachments" aria-label="Attached files">
                {items}
            </ul>
        }
    })
}
