//! Every form action is declared once (`app::routes::actions`), and the declarations and the
//! router agree: no action answers without a declaration, none is declared but missing.
use app::backend::web::router::known_routes;
use app::routes;
use http::Method;

fn posted_actions() -> Vec<String> {
    known_routes()
        .into_iter()
        .filter(|(m, p)| *m == Method::POST && p.starts_with("/actions/"))
        .map(|(_, p)| p)
        .collect()
}

#[test]
fn every_action_the_router_answers_is_declared() {
    let undeclared: Vec<String> = posted_actions()
        .into_iter()
        .filter(|p| routes::action(p).is_none())
        .collect();
    assert!(
        undeclared.is_empty(),
        "actions without a declaration in app::routes: {undeclared:?}"
    );
}

#[test]
fn every_declared_action_is_routed_and_declared_once() {
    let posted = posted_actions();
    assert!(
        routes::actions().count() >= 28,
        "the declarations were not collected"
    );
    for action in routes::actions() {
        assert!(
            posted.iter().any(|p| p == action.path),
            "{} is not routed",
            action.path
        );
        let times = routes::actions().filter(|a| a.path == action.path).count();
        assert_eq!(times, 1, "{} is declared {times} times", action.path);
    }
}

#[test]
fn only_the_guest_forms_take_posts_from_other_sites() {
    let open: Vec<&str> = routes::actions()
        .filter(|a| a.from_any_site())
        .map(|a| a.path)
        .collect();
    assert_eq!(
        open,
        [
            routes::GUEST_START.path,
            routes::GUEST_REPLY.path,
            routes::GUEST_REQUEST_LINK.path
        ]
    );
}
