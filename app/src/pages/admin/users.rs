//! `/admin/users`: accounts for administrators: create staff accounts, grant and revoke
//! permissions, disable an account (its sessions end at once).
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::users::{load_users, CreateAccount, SetUserDisabled, UpdateUserAccess};
use crate::components::form::field::Field;
use crate::components::form::form_error::{action_error, FormError};
use crate::components::layout::refused::Refused;
use crate::components::local_time::LocalTime;
use crate::model::admin::{UserListItem, UsersPage};
use crate::model::staff::encode_component;
use crate::model::viewer::{Permission, Permissions};
use crate::routes::page;

const CREATE: &str = crate::api::users::CREATE_ACCOUNT.path;
const ACCESS: &str = crate::api::users::USER_ACCESS.path;
const DISABLE: &str = crate::api::users::USER_DISABLED.path;

#[derive(Clone, Copy)]
struct Actions {
    create: ServerAction<CreateAccount>,
    access: ServerAction<UpdateUserAccess>,
    disable: ServerAction<SetUserDisabled>,
}

/// The users page.
#[component]
pub fn UsersPage() -> impl IntoView {
    let query = use_query_map();
    let actions = Actions {
        create: ServerAction::new(),
        access: ServerAction::new(),
        disable: ServerAction::new(),
    };
    let data = Resource::new(
        move || {
            let q = query.read();
            (
                q.get("q"),
                q.get("cursor"),
                actions.create.version().get(),
                actions.access.version().get(),
                actions.disable.version().get(),
            )
        },
        |(q, cursor, ..)| load_users(q, cursor),
    );
    view! {
        <h1>"Users"</h1>
        <Transition>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        view! {
                            <UserList page actions />
                            <CreateForm action=actions.create />
                        }
                            .into_any()
                    }
                    Err(error) => view! { <Refused error purpose="manage users" /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn UserList(page: UsersPage, actions: Actions) -> impl IntoView {
    let next = page.next_cursor.clone().map(|c| {
        let href = format!("/admin/users?q={}&cursor={c}", encode_component(&page.q));
        view! {
            <a class="button" href=href>
                "More accounts"
            </a>
        }
    });
    let viewer_id = page.viewer_id;
    view! {
        <form method="get" action=page::USERS class="inbox-search" role="search">
            <div class="field">
                <label for="users-q">"Find by name or email"</label>
                <input id="users-q" type="search" name="q" value=page.q.clone() maxlength="100" />
            </div>
            <button type="submit" class="button">
                "Find"
            </button>
        </form>
        <FormError action=ACCESS live=action_error(actions.access) />
        <FormError action=DISABLE live=action_error(actions.disable) />
        <table class="table users">
            <caption class="visually-hidden">"Accounts"</caption>
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Email"</th>
                    <th scope="col">"Since"</th>
                    <th scope="col">"Rights"</th>
                    <th scope="col">"Account"</th>
                </tr>
            </thead>
            <tbody>
                {page
                    .users
                    .into_iter()
                    .map(|u| view! { <UserRow user=u me=viewer_id actions /> })
                    .collect_view()}
            </tbody>
        </table>
        <p class="pager">{next}</p>
    }
}

#[component]
fn UserRow(user: UserListItem, me: i64, actions: Actions) -> impl IntoView {
    let UserListItem {
        user: account,
        disabled,
        created_at,
    } = user;
    let id = account.id;
    let state = if disabled {
        "Disabled"
    } else if account.email_verified {
        "Active"
    } else {
        "Address not confirmed"
    };
    let toggle = if disabled { "Enable" } else { "Disable" };
    let save_label = format!("Save rights of {}", account.name);
    let toggle_label = format!("{toggle} {}", account.name);
    view! {
        <tr class=disabled.then_some("disabled")>
            <td>{account.name.clone()}{(id == me).then_some(" (you)")}</td>
            <td>{account.email.clone()}</td>
            <td>
                <LocalTime ms=created_at />
            </td>
            <td>
                <ActionForm action=actions.access attr:class="rights-form">
                    <input type="hidden" name="user_id" value=id.to_string() />
                    <RightsBoxes
                        prefix=format!("u{id}")
                        is_admin=account.is_admin
                        permissions=account.permissions
                    />
                    <button type="submit" class="button">
                        {save_label}
                    </button>
                </ActionForm>
            </td>
            <td>
                <span>{state}</span>
                {(id != me)
                    .then(|| {
                        view! {
                            <ActionForm action=actions.disable attr:class="inline-form">
                                <input type="hidden" name="user_id" value=id.to_string() />
                                <input
                                    type="hidden"
                                    name="disabled"
                                    value=(!disabled).to_string()
                                />
                                <button type="submit" class="button">
                                    {toggle_label}
                                </button>
                            </ActionForm>
                        }
                    })}
            </td>
        </tr>
    }
}

/// The admin box and one box per permission.
#[component]
fn RightsBoxes(prefix: String, is_admin: bool, permissions: Permissions) -> impl IntoView {
    let admin_id = format!("{prefix}-admin");
    let admin_for = admin_id.clone();
    view! {
        <fieldset class="rights">
            <legend class="visually-hidden">"Rights"</legend>
            <label class="check" for=admin_for>
                <input type="checkbox" id=admin_id name="is_admin" value="true" checked=is_admin />
                " Admin (everything)"
            </label>
            {Permission::ALL
                .into_iter()
                .map(|p| {
                    let box_id = format!("{prefix}-{}", p.as_str());
                    let box_for = box_id.clone();
                    view! {
                        <label class="check" for=box_for>
                            <input
                                type="checkbox"
                                id=box_id
                                name=p.as_str()
                                value="true"
                                checked=permissions.has(p)
                            />
                            " "
                            {permission_label(p)}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}

fn permission_label(p: Permission) -> &'static str {
    match p {
        Permission::Access => "Read the inbox",
        Permission::ManageThreads => "Reply, note, change status, Trash",
        Permission::AssignThreads => "Assign threads",
        Permission::ManageSettings => "Change settings",
    }
}

#[component]
fn CreateForm(action: ServerAction<CreateAccount>) -> impl IntoView {
    view! {
        <section class="card narrow" aria-labelledby="create-heading">
            <h2 id="create-heading">"Create a staff account"</h2>
            <FormError action=CREATE live=action_error(action) />
            <ActionForm action=action>
                <Field label="Name" name="name" action=CREATE required=true autocomplete="off" />
                <Field
                    label="Email"
                    name="email"
                    kind="email"
                    action=CREATE
                    required=true
                    autocomplete="off"
                />
                <Field
                    label="Password"
                    name="password"
                    kind="password"
                    action=CREATE
                    required=true
                    autocomplete="new-password"
                    hint="At least 8 characters. Share it with them safely; they can change it."
                />
                <RightsBoxes
                    prefix="new".to_string()
                    is_admin=false
                    permissions=Permissions {
                        access: true,
                        ..Permissions::default()
                    }
                />
                <button type="submit" class="button primary">
                    "Create account"
                </button>
            </ActionForm>
        </section>
    }
}
