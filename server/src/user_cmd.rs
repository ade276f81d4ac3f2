//! `pigeon user …`: account administration from the command line.
use std::io::Read;

use anyhow::{anyhow, bail};
use app::backend::db::{self, Db};
use app::backend::service::accounts::{self, StaffAccount};
use app::model::viewer::{Permission, Permissions};
use rand::Rng;

use crate::cli::UserCommand;

/// Runs one user command.
pub async fn run(db: &Db, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Create {
            email,
            name,
            admin,
            permissions,
            password_stdin,
        } => {
            let permissions = parse_permissions(&permissions)?;
            let (password, generated) = if password_stdin {
                (read_password()?, false)
            } else {
                (generate_password(), true)
            };
            let account = StaffAccount {
                email,
                name,
                password: password.clone(),
                is_admin: admin,
                permissions,
            };
            let id = accounts::create_user(db, &account)
                .await
                .map_err(|e| anyhow!("{e}"))?;
            if generated {
                println!("Generated password: {password}");
            }
            println!("{id}");
        }
        UserCommand::SetPermissions {
            user,
            admin,
            permissions,
        } => {
            let id = resolve(db, &user).await?;
            let permissions = parse_permissions(&permissions)?;
            accounts::set_permissions(db, id, admin, permissions)
                .await
                .map_err(|e| anyhow!("{e}"))?;
            println!("{id}");
        }
        UserCommand::Disable { user } => {
            let id = resolve(db, &user).await?;
            accounts::set_disabled(db, id, true)
                .await
                .map_err(|e| anyhow!("{e}"))?;
            println!("{id}");
        }
        UserCommand::Enable { user } => {
            let id = resolve(db, &user).await?;
            accounts::set_disabled(db, id, false)
                .await
                .map_err(|e| anyhow!("{e}"))?;
            println!("{id}");
        }
    }
    Ok(())
}

fn parse_permissions(names: &[String]) -> anyhow::Result<Permissions> {
    let mut list = Vec::new();
    for name in names {
        match Permission::parse(name.trim()) {
            Some(p) => list.push(p),
            None => bail!(
                "unknown permission {name:?}; use access, manage_threads, assign_threads or manage_settings"
            ),
        }
    }
    Ok(Permissions::from_list(&list))
}

fn read_password() -> anyhow::Result<String> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    let password = text.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        bail!("no password on standard input");
    }
    Ok(password)
}

fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    (0..20)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

async fn resolve(db: &Db, user: &str) -> anyhow::Result<i64> {
    let found = match user.parse::<i64>() {
        Ok(id) => db::users::find_by_id(db.reader(), id).await?,
        Err(_) => db::users::find_by_email(db.reader(), user).await?,
    };
    found
        .map(|u| u.id)
        .ok_or_else(|| anyhow!("no user {user:?}"))
}
