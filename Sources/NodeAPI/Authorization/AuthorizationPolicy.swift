import FoundationEssentials
import KubeTypes

/// Binds users and groups to the built-in roles.
///
/// The policy file (`--authorization-policy-file`) is YAML:
/// ```yaml
/// bindings:
///   - role: viewer
///     users: [alice]
///     groups: [developers]
///   - role: metrics
///     users: [prometheus]
/// ```
/// Members of `system:masters` are always admin, as in Kubernetes, so the generated admin token keeps working
/// whatever the file says. Unknown keys and roles are errors: a misspelt `grups:` must not silently grant nothing.
public struct AuthorizationPolicy: Sendable, Equatable {
    /// One role granted to some users and groups.
    public struct Binding: Sendable, Equatable {
        /// The role granted.
        public var role: Role
        /// User names that get the role.
        public var users: [String]
        /// Group names whose members get the role.
        public var groups: [String]

        /// Creates a binding.
        public init(role: Role, users: [String] = [], groups: [String] = []) {
            self.role = role
            self.users = users
            self.groups = groups
        }
    }

    /// A policy file that cannot be used, with the reason.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        /// What is wrong, naming the file and entry.
        public var description: String
    }

    /// The group whose members are always admin.
    public static let mastersGroup = "system:masters"

    /// The bindings, in file order.
    public var bindings: [Binding]

    /// Creates a policy from bindings.
    public init(bindings: [Binding] = []) {
        self.bindings = bindings
    }

    /// Reads the policy file at `path`.
    public init(contentsOf path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try self.init(parsing: text, path: path)
    }

    /// Parses policy YAML (as Swiftlet reads all YAML: core schema, so `yes` is a string); `path` only names the
    /// source in errors. An empty file, or one that says only `null`, binds nothing.
    public init(parsing text: String, path: String = "<policy>") throws {
        let document: JSONValue
        do {
            document = try KubeYAML.parse(text)
        } catch {
            throw ParseError(description: "\(path): not valid YAML: \(error)")
        }
        if document == .null { self.init(); return }
        guard case let .object(root) = document else {
            throw ParseError(description: "\(path): the top level must be a mapping with a 'bindings' list")
        }
        for (key, _) in root where key != "bindings" {
            throw ParseError(description: "\(path): unknown key '\(key)' (expected 'bindings')")
        }
        guard let listValue = document["bindings"] else { self.init(); return }
        guard case let .array(list) = listValue else {
            throw ParseError(description: "\(path): 'bindings' must be a list")
        }
        var bindings: [Binding] = []
        for (index, item) in list.enumerated() {
            let at = "\(path): bindings[\(index)]"
            guard case let .object(entry) = item else {
                throw ParseError(description: "\(at) must be a mapping with role, users and groups")
            }
            for (key, _) in entry where !["role", "users", "groups"].contains(key) {
                throw ParseError(description: "\(at): unknown key '\(key)' (expected role, users, groups)")
            }
            guard case let .string(roleName)? = item["role"] else {
                throw ParseError(description: "\(at): 'role' is required")
            }
            guard let role = Role(rawValue: roleName) else {
                let known = Role.allCases.map(\.rawValue).joined(separator: ", ")
                throw ParseError(description: "\(at): unknown role '\(roleName)' (known roles: \(known))")
            }
            let users = try Self.names(item["users"], field: "users", at: at)
            let groups = try Self.names(item["groups"], field: "groups", at: at)
            if users.isEmpty && groups.isEmpty {
                throw ParseError(description: "\(at): binds role '\(roleName)' to no users and no groups")
            }
            bindings.append(Binding(role: role, users: users, groups: groups))
        }
        self.init(bindings: bindings)
    }

    /// The names of a `users` or `groups` member; absent is none, but `users:` with nothing after it is a mistake.
    private static func names(_ value: JSONValue?, field: String, at: String) throws -> [String] {
        guard let value else { return [] }
        guard case let .array(list) = value else {
            throw ParseError(description: "\(at): '\(field)' must be a list of names")
        }
        return try list.map { item in
            guard case let .string(name) = item, !name.isEmpty else {
                throw ParseError(description: "\(at): '\(field)' holds a value that is not a non-empty name")
            }
            return name
        }
    }

    /// The roles `user` holds under this policy.
    public func roles(of user: UserInfo) -> Set<Role> {
        var roles: Set<Role> = []
        if user.groups.contains(Self.mastersGroup) { roles.insert(.admin) }
        for binding in bindings
        where binding.users.contains(user.name) || binding.groups.contains(where: user.groups.contains) {
            roles.insert(binding.role)
        }
        return roles
    }

    /// Whether `user` may perform `verb` on `resource`.
    public func allows(_ user: UserInfo, verb: String, resource: String) -> Bool {
        roles(of: user).contains { $0.allows(verb: verb, resource: resource) }
    }
}
