//! Changes to a conversation: status, assignee, the Trash, deleting it, and a
//! participant muting or leaving it.
use super::*;

/// Staff set a thread's status; false when it already had it.
pub async fn change_status(
    db: &Db,
    actor: &Viewer,
    thread_id: i64,
    to: ThreadStatus,
) -> Result<bool, AppError> {
    let mut tx = db.write().await?;
    let thread = db::threads::find_for_update(&mut tx, thread_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = now_ms();
    if thread.status == to
        || !db::threads::set_status(&mut tx, thread_id, thread.status, to, now).await?
    {
        return Ok(false);
    }
    let text = status_change_text(&actor.name, thread.status, to);
    record_event(&mut tx, thread_id, Some(actor.id), &actor.name, &text, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Staff assign a support thread to a staff member (None unassigns). The assignee must
/// exist, be active and be staff; they join the thread and are told by email.
pub async fn assign(
    db: &Db,
    actor: &Viewer,
    thread_id: i64,
    assignee_id: Option<i64>,
) -> Result<bool, AppError> {
    assign_telling(db, actor, thread_id, assignee_id, true).await
}

/// As `assign`, without emailing the assignee: an assignment given back by undo (they were
/// told when it was first theirs, moments ago).
pub async fn assign_back(
    db: &Db,
    actor: &Viewer,
    thread_id: i64,
    assignee_id: Option<i64>,
) -> Result<bool, AppError> {
    assign_telling(db, actor, thread_id, assignee_id, false).await
}

async fn assign_telling(
    db: &Db,
    actor: &Viewer,
    thread_id: i64,
    assignee_id: Option<i64>,
    tell: bool,
) -> Result<bool, AppError> {
    let assignee = match assignee_id {
        Some(id) => match db::users::find_by_id(db.reader(), id).await? {
            Some(u) if !u.disabled && u.to_viewer().is_staff() => Some(u),
            _ => {
                return Err(AppError::invalid(
                    "assignee_id",
                    "Choose a member of staff.",
                ))
            }
        },
        None => None,
    };
    let mut tx = db.write().await?;
    let thread = db::threads::find_for_update(&mut tx, thread_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = now_ms();
    if thread.kind != ThreadKind::Support {
        return Err(AppError::invalid(
            "assignee_id",
            "Only support threads can be assigned.",
        ));
    }
    if !db::threads::set_assignee(&mut tx, thread_id, assignee.as_ref().map(|u| u.id)).await? {
        return Ok(false);
    }
    let text = match &assignee {
        Some(u) if u.id == actor.id => format!("{} took this thread.", actor.name),
        Some(u) => format!("{} assigned this thread to {}.", actor.name, u.name),
        None => format!("{} unassigned this thread.", actor.name),
    };
    if let Some(u) = &assignee {
        db::participants::add_user(&mut tx, thread_id, u.id, &u.name, now).await?;
        if tell {
            crate::backend::service::fan_out::assigned(&mut tx, thread_id, u.id, actor.id, now)
                .await?;
        }
    }
    record_event(&mut tx, thread_id, Some(actor.id), &actor.name, &text, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Moves a thread to the Trash, or restores it; false when nothing changed.
pub async fn set_trashed(
    db: &Db,
    actor: &Viewer,
    thread_id: i64,
    trashed: bool,
) -> Result<bool, AppError> {
    let mut tx = db.write().await?;
    db::threads::find_for_update(&mut tx, thread_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = now_ms();
    if !db::threads::set_deleted(&mut tx, thread_id, trashed.then_some(now)).await? {
        return Ok(false);
    }
    let text = if trashed {
        format!("{} moved this thread to the Trash.", actor.name)
    } else {
        format!("{} restored this thread from the Trash.", actor.name)
    };
    record_event(&mut tx, thread_id, Some(actor.id), &actor.name, &text, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Deletes a trashed thread for good (messages, participants and outbox rows go with it).
pub async fn delete_forever(db: &Db, thread_id: i64) -> Result<(), AppError> {
    let mut tx = db.write().await?;
    // Its files become due for deletion (see `attachments::sweep`).
    db::attachments::unlink_thread(&mut tx, thread_id).await?;
    if !db::threads::delete_trashed(&mut tx, thread_id).await? {
        return Err(AppError::invalid(
            "thread_id",
            "Only threads in the Trash can be deleted.",
        ));
    }
    tx.commit().await?;
    Ok(())
}

/// Turns a participant's email notifications for a thread off (`muted`) or on.
pub async fn set_muted(db: &Db, user_id: i64, thread_id: i64, muted: bool) -> Result<(), AppError> {
    if db::participants::set_notify(&mut db.write_single().await?, thread_id, user_id, !muted)
        .await?
    {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// A participant leaves a thread: it leaves their list and they hear no more of it.
pub async fn leave(db: &Db, user: &Viewer, thread_id: i64) -> Result<(), AppError> {
    let mut tx = db.write().await?;
    let now = now_ms();
    if !db::participants::set_left(&mut tx, thread_id, user.id, now).await? {
        return Err(AppError::NotFound);
    }
    let text = format!("{} left the conversation.", user.name);
    record_event(&mut tx, thread_id, Some(user.id), &user.name, &text, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Turns a participant's emails about their thread off (one-click unsubscribe); false when
/// the participant is gone.
pub async fn mute_participant(db: &Db, participant_id: i64) -> Result<bool, AppError> {
    let mut w = db.write_single().await?;
    Ok(db::participants::mute_by_id(&mut w, participant_id).await?)
}
