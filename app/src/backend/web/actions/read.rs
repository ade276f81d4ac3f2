//! Reading an action's post: `application/x-www-form-urlencoded`, or `multipart/form-data`
//! for a form that takes files (files into the store, text into memory, both bounded).
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use http::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, REFERER};
use http::{HeaderValue, StatusCode};

use super::answer::same_origin_path;
use crate::backend::attachments::upload::{self, Uploaded};
use crate::backend::auth::session;
use crate::backend::state::AppState;
use crate::backend::validate;
use crate::backend::web::client_ip::ClientIp;
use crate::error::AppError;
use crate::routes::{Action, Audience};

/// Largest form body of a site form (files have their own limits).
const SITE_FORM_LIMIT: usize = 2 * 1024 * 1024;
/// Largest form body of a public form.
const PUBLIC_FORM_LIMIT: usize = 256 * 1024;

/// What the answer needs to know about the request.
#[derive(Debug, Clone)]
pub struct Context {
    pub wants_html: bool,
    /// The page the form was on (a same-origin Referer).
    pub referer_page: Option<String>,
    pub cookies: Option<HeaderValue>,
    pub ip: String,
}

/// A post as the action reads it (a request extension): its fields and request context.
#[derive(Debug, Clone)]
pub struct Posted {
    pub fields: Vec<(String, String)>,
    pub context: Context,
}

/// A post read.
pub struct Post {
    pub head: http::request::Parts,
    /// The body the action reads: the form, urlencoded.
    pub body: Bytes,
    pub fields: Vec<(String, String)>,
    /// Files stored for the post, not yet on a message.
    pub files: Vec<Uploaded>,
    /// Why the post was refused while it was read (a file or a field broke a rule).
    pub refused: Option<AppError>,
    pub context: Context,
}

fn header(head: &http::request::Parts, name: http::HeaderName) -> Option<&str> {
    head.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Reads the post to `action`; a body no form sends is answered at once.
pub async fn post(state: &AppState, action: &Action, req: Request) -> Result<Post, Response> {
    let (mut head, body) = req.into_parts();
    let accept = header(&head, ACCEPT);
    let wants_html = match action.audience {
        // A form on another site posts without saying what it accepts.
        Audience::Public => accept.is_none_or(|v| v.contains("text/html") || v == "*/*"),
        Audience::Site => accept.is_some_and(|v| v.contains("text/html")),
    };
    let context = Context {
        wants_html,
        referer_page: same_origin_path(state, header(&head, REFERER)),
        cookies: head.headers.get(COOKIE).cloned(),
        ip: head
            .extensions
            .get::<ClientIp>()
            .map(|c| c.0.clone())
            .unwrap_or_else(|| "unknown".into()),
    };
    let content_type = header(&head, CONTENT_TYPE).map(str::to_string);
    let multipart = upload::is_multipart(content_type.as_deref());
    let urlencoded = content_type
        .as_deref()
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let mut read = Read::default();
    if multipart {
        read_multipart(state, action, &head, body, &context, &mut read).await;
        head.headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
    } else if urlencoded {
        let limit = match action.audience {
            Audience::Public => PUBLIC_FORM_LIMIT,
            Audience::Site => SITE_FORM_LIMIT,
        };
        read.body = to_bytes(body, limit).await.map_err(|_| too_large())?;
        match serde_urlencoded::from_bytes::<Vec<(String, String)>>(&read.body) {
            Ok(fields) => read.fields = fields,
            Err(_) if action.audience == Audience::Public => return Err(unreadable()),
            // A server function answers a body it cannot read itself.
            Err(_) => {}
        }
    } else if action.audience == Audience::Public {
        return Err(unsupported());
    } else {
        // Anything else goes to the server function as it came, which answers it.
        read.body = to_bytes(body, SITE_FORM_LIMIT)
            .await
            .map_err(|_| too_large())?;
    }
    if multipart || urlencoded {
        read.refused = read
            .refused
            .or_else(|| validate::control_characters(&read.fields));
        if !action.lists.is_empty() {
            read.body = index_list_fields(&read.fields, action.lists).into();
        } else if multipart {
            read.body = serde_urlencoded::to_string(&read.fields)
                .unwrap_or_default()
                .into();
        }
        head.headers
            .insert(CONTENT_LENGTH, HeaderValue::from(read.body.len()));
    }
    Ok(Post {
        head,
        body: read.body,
        fields: read.fields,
        files: read.files,
        refused: read.refused,
        context,
    })
}

/// What was read of a body.
#[derive(Default)]
struct Read {
    body: Bytes,
    fields: Vec<(String, String)>,
    files: Vec<Uploaded>,
    refused: Option<AppError>,
}

/// Stores the files of a multipart post to an action that takes them; a refusal is kept
/// on the post with the text fields read so far.
async fn read_multipart(
    state: &AppState,
    action: &Action,
    head: &http::request::Parts,
    body: Body,
    context: &Context,
    post: &mut Read,
) {
    if !action.files {
        post.refused = Some(AppError::invalid("", "This form cannot carry files."));
        return;
    }
    let sender = match action.audience {
        Audience::Public => format!("ip:{}", context.ip),
        // Only people with an account store files through the site's forms.
        Audience::Site => match session::viewer(state, &head.headers).await {
            Ok(Some(viewer)) => format!("user:{}", viewer.id),
            Ok(None) => {
                post.refused = Some(AppError::Unauthorized);
                return;
            }
            Err(e) => {
                post.refused = Some(e);
                return;
            }
        },
    };
    match upload::read(state, &head.headers, body, &sender).await {
        Ok(form) => {
            post.fields = form.fields;
            post.files = form.files;
        }
        Err(refused) => {
            post.fields = refused.fields;
            post.refused = Some(refused.error);
        }
    }
}

fn too_large() -> Response {
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        AppError::PayloadTooLarge.to_string(),
    )
        .into_response()
}

fn unreadable() -> Response {
    (StatusCode::BAD_REQUEST, "The form could not be read.").into_response()
}

fn unsupported() -> Response {
    (
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "Send the form as application/x-www-form-urlencoded or multipart/form-data.",
    )
        .into_response()
}

/// A plain HTML form sends a list as `recipients=4&recipients=9`; the server functions read
/// it as `recipients[u4]=4&recipients[u9]=9` (a map: numeric keys would read as a list).
fn index_list_fields(fields: &[(String, String)], lists: &[&str]) -> String {
    let rewritten: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| {
            if lists.contains(&k.as_str()) {
                (format!("{k}[u{v}]"), v.clone())
            } else {
                (k.clone(), v.clone())
            }
        })
        .collect();
    serde_urlencoded::to_string(rewritten).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::index_list_fields;

    #[test]
    fn repeated_list_fields_become_indexed_and_others_stay() {
        let fields: Vec<(String, String)> =
            serde_urlencoded::from_bytes(b"kind=direct&recipients=4&recipients=9&body=a%26b")
                .unwrap();
        assert_eq!(
            index_list_fields(&fields, &["recipients"]),
            "kind=direct&recipients%5Bu4%5D=4&recipients%5Bu9%5D=9&body=a%26b"
        );
    }
}
