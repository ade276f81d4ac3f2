//! The logged-in person looking at a page, and what they may do.
use serde::{Deserialize, Serialize};

/// One of the staff permissions of SPEC §2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Permission {
    Access,
    ManageThreads,
    AssignThreads,
    ManageSettings,
}

impl Permission {
    /// Every permission, in display order.
    pub const ALL: [Permission; 4] = [
        Permission::Access,
        Permission::ManageThreads,
        Permission::AssignThreads,
        Permission::ManageSettings,
    ];

    /// The name used on the command line and in forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::Access => "access",
            Permission::ManageThreads => "manage_threads",
            Permission::AssignThreads => "assign_threads",
            Permission::ManageSettings => "manage_settings",
        }
    }

    /// Parses the name used on the command line and in forms.
    pub fn parse(name: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

/// The staff permissions a user holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permissions {
    pub access: bool,
    pub manage_threads: bool,
    pub assign_threads: bool,
    pub manage_settings: bool,
}

impl Permissions {
    /// Builds a set from a list of permissions.
    pub fn from_list(list: &[Permission]) -> Self {
        let mut set = Permissions::default();
        for p in list {
            set.grant(*p);
        }
        set
    }

    /// Adds one permission.
    pub fn grant(&mut self, p: Permission) {
        match p {
            Permission::Access => self.access = true,
            Permission::ManageThreads => self.manage_threads = true,
            Permission::AssignThreads => self.assign_threads = true,
            Permission::ManageSettings => self.manage_settings = true,
        }
    }

    /// Whether this set holds the permission.
    pub fn has(&self, p: Permission) -> bool {
        match p {
            Permission::Access => self.access,
            Permission::ManageThreads => self.manage_threads,
            Permission::AssignThreads => self.assign_threads,
            Permission::ManageSettings => self.manage_settings,
        }
    }

    /// Whether any permission is held.
    pub fn any(&self) -> bool {
        Permission::ALL.iter().any(|p| self.has(*p))
    }
}

/// The logged-in user as pages see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub is_admin: bool,
    pub permissions: Permissions,
    pub email_verified: bool,
}

impl Viewer {
    /// Staff hold at least one Pigeon permission; admins hold them all.
    pub fn is_staff(&self) -> bool {
        self.is_admin || self.permissions.any()
    }

    /// Whether the viewer holds a permission (admins hold every one).
    pub fn can(&self, p: Permission) -> bool {
        self.is_admin || self.permissions.has(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_holds_every_permission_without_flags() {
        let v = Viewer {
            id: 1,
            name: "A".into(),
            email: "a@example.com".into(),
            is_admin: true,
            permissions: Permissions::default(),
            email_verified: true,
        };
        assert!(v.is_staff());
        assert!(Permission::ALL.iter().all(|p| v.can(*p)));
    }

    #[test]
    fn a_member_without_permissions_is_not_staff() {
        let v = Viewer {
            id: 2,
            name: "M".into(),
            email: "m@example.com".into(),
            is_admin: false,
            permissions: Permissions::default(),
            email_verified: true,
        };
        assert!(!v.is_staff());
        assert!(!v.can(Permission::Access));
    }

    #[test]
    fn permission_names_round_trip() {
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.as_str()), Some(p));
        }
        assert_eq!(Permission::parse("root"), None);
    }
}
