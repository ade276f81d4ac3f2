//! The code's layers, read from the source: pages and server functions call services,
//! services call the database layer, and only `db/` speaks SQL. A module that reaches
//! upwards or around a layer fails here with the file and the line.
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// (file, line number, line) of every code line under `dir` (comments left out).
fn lines_under(dir: &str) -> Vec<(String, usize, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    rust_files(&root.join(dir), &mut files);
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.strip_prefix(&root).unwrap().display().to_string();
        for (i, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if !code.starts_with("//") {
                out.push((name.clone(), i + 1, line.to_string()));
            }
        }
    }
    out
}

/// The lines under `dir` (but not under `except`) that contain any of `words`.
fn offenders(dir: &str, except: &[&str], words: &[&str]) -> Vec<String> {
    lines_under(dir)
        .into_iter()
        .filter(|(file, _, _)| !except.iter().any(|e| file.starts_with(e)))
        .filter(|(_, _, line)| words.iter().any(|w| line.contains(w)))
        .map(|(file, n, line)| format!("{file}:{n}: {}", line.trim()))
        .collect()
}

#[test]
fn only_the_database_layer_speaks_sql() {
    let words = ["sqlx", "Backend::", "db::Backend"];
    let mut found = offenders("app/src", &["app/src/backend/db/"], &words);
    found.extend(offenders("server/src", &[], &words));
    assert!(found.is_empty(), "SQL outside db/:\n{}", found.join("\n"));
}

#[test]
fn the_database_layer_calls_nothing_above_it() {
    let above = [
        "backend::service",
        "backend::web",
        "backend::auth",
        "backend::mail",
        "backend::attachments",
        "crate::api",
    ];
    let found = offenders("app/src/backend/db", &[], &above);
    assert!(found.is_empty(), "db/ reaching up:\n{}", found.join("\n"));
}

#[test]
fn services_and_the_layers_below_them_never_reach_the_http_layer() {
    let http = [
        "backend::web",
        "crate::api",
        "crate::pages",
        "crate::components",
    ];
    let mut found = Vec::new();
    for dir in ["service", "auth", "mail", "attachments", "db"] {
        found.extend(offenders(&format!("app/src/backend/{dir}"), &[], &http));
    }
    assert!(
        found.is_empty(),
        "reaching the HTTP layer:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_building_blocks_below_the_services_never_call_a_service() {
    let mut found = Vec::new();
    for dir in ["auth", "mail", "attachments", "db"] {
        found.extend(offenders(
            &format!("app/src/backend/{dir}"),
            &[],
            &["backend::service"],
        ));
    }
    assert!(
        found.is_empty(),
        "calling a service from below:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_http_layer_reaches_the_database_only_through_services() {
    let mut found = offenders("app/src/backend/web", &[], &["backend::db"]);
    found.extend(offenders(
        "app/src/api",
        &[],
        &["backend::db", "backend::{db"],
    ));
    found.retain(|l| !l.contains("db::now_ms"));
    assert!(
        found.is_empty(),
        "HTTP code calling db/:\n{}",
        found.join("\n")
    );
}
