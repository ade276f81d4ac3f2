//! Saved replies: every member of staff may use them; those with `manage_threads` create,
//! change and delete them. Filled for one conversation, each variable without a value stays
//! visible (see `model::saved_reply`).
use super::staff_threads;
use crate::backend::db::{self, now_ms, Db};
use crate::backend::settings;
use crate::error::AppError;
use crate::model::saved_reply::{self, SavedReply, MAX_BODY_CHARS, MAX_TITLE_CHARS, VARIABLES};
use crate::model::viewer::{Permission, Viewer};
use crate::routes::page;

/// Most saved replies a team keeps.
pub const MAX_SAVED_REPLIES: i64 = 500;

/// Every saved reply, as written.
pub async fn list(db: &Db, viewer: &Viewer) -> Result<Vec<SavedReply>, AppError> {
    if !viewer.can(Permission::Access) {
        return Err(AppError::Forbidden);
    }
    Ok(db::saved_replies::list(db.reader())
        .await?
        .into_iter()
        .map(|r| SavedReply {
            id: r.id,
            title: r.title,
            body: r.body,
        })
        .collect())
}

/// Every saved reply filled for one conversation (`base` is the site's address, for links).
pub async fn for_thread(
    db: &Db,
    viewer: &Viewer,
    thread_id: i64,
    base: &str,
) -> Result<Vec<SavedReply>, AppError> {
    let thread = staff_threads::readable(db, viewer, thread_id).await?;
    let site_name = settings::load(db).await?.site_name;
    let customer = thread.started_by_name.trim().to_string();
    let link = thread.started_by_user_id.map(|_| {
        format!(
            "{}{}",
            base.trim_end_matches('/'),
            page::member_thread(thread.id)
        )
    });
    let value = |name: &str| -> Option<String> {
        match name {
            "customer_name" => Some(customer.clone()),
            "customer_first_name" => customer.split_whitespace().next().map(str::to_string),
            "agent_name" => Some(viewer.name.clone()),
            "conversation_link" => link.clone(),
            "site_name" => Some(site_name.clone()),
            _ => None,
        }
    };
    let mut all = list(db, viewer).await?;
    for r in &mut all {
        r.body = saved_reply::render(&r.body, value);
    }
    Ok(all)
}

/// Checks a title and body; returns them trimmed.
fn checked(title: &str, body: &str) -> Result<(String, String), AppError> {
    let title = title.trim();
    let body = body.trim();
    if title.is_empty() {
        return Err(AppError::invalid("title", "Give the saved reply a title."));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(AppError::invalid(
            "title",
            format!("Keep the title under {MAX_TITLE_CHARS} characters."),
        ));
    }
    if body.is_empty() {
        return Err(AppError::invalid(
            "body",
            "Write the text of the saved reply.",
        ));
    }
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(AppError::invalid(
            "body",
            format!("Keep the text under {MAX_BODY_CHARS} characters."),
        ));
    }
    let unknown = saved_reply::unknown(body);
    if !unknown.is_empty() {
        let known: Vec<String> = VARIABLES
            .iter()
            .map(|(v, _)| format!("{{{{{v}}}}}"))
            .collect();
        return Err(AppError::invalid(
            "body",
            format!(
                "Unknown variable {{{{{}}}}}. The variables are {}.",
                unknown[0],
                known.join(", ")
            ),
        ));
    }
    Ok((title.to_string(), body.to_string()))
}

fn may_edit(viewer: &Viewer) -> Result<(), AppError> {
    if viewer.can(Permission::Access) && viewer.can(Permission::ManageThreads) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Adds a saved reply; returns its id.
pub async fn create(db: &Db, viewer: &Viewer, title: &str, body: &str) -> Result<i64, AppError> {
    may_edit(viewer)?;
    let (title, body) = checked(title, body)?;
    if db::saved_replies::count(db.reader()).await? >= MAX_SAVED_REPLIES {
        return Err(AppError::invalid(
            "title",
            format!("A team keeps at most {MAX_SAVED_REPLIES} saved replies. Delete one first."),
        ));
    }
    let mut w = db.write_single().await?;
    Ok(db::saved_replies::insert(&mut w, &title, &body, viewer.id, now_ms()).await?)
}

/// Changes a saved reply.
pub async fn update(
    db: &Db,
    viewer: &Viewer,
    id: i64,
    title: &str,
    body: &str,
) -> Result<(), AppError> {
    may_edit(viewer)?;
    let (title, body) = checked(title, body)?;
    let mut w = db.write_single().await?;
    if !db::saved_replies::update(&mut w, id, &title, &body, now_ms()).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Deletes a saved reply.
pub async fn delete(db: &Db, viewer: &Viewer, id: i64) -> Result<(), AppError> {
    may_edit(viewer)?;
    let mut w = db.write_single().await?;
    if !db::saved_replies::delete(&mut w, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}
