import NodeAPI
import Testing

@Suite struct StaticTokenFileTests {
    @Test func readsTheKubernetesCSVFormat() throws {
        let file = try StaticTokenFile(parsing: """
            # comment line
            tok-admin,admin,uid-1,"system:masters,ops"

            tok-alice,alice,uid-2,developers
            tok-bob,bob,uid-3
            """)
        #expect(file.count == 3)
        #expect(file.user(forToken: "tok-admin") == UserInfo(name: "admin", uid: "uid-1", groups: ["system:masters", "ops"]))
        #expect(file.user(forToken: "tok-alice") == UserInfo(name: "alice", uid: "uid-2", groups: ["developers"]))
        #expect(file.user(forToken: "tok-bob") == UserInfo(name: "bob", uid: "uid-3", groups: []))
        #expect(file.user(forToken: "tok-unknown") == nil)
    }

    @Test func reportsTheLineOfABadEntry() {
        #expect {
            try StaticTokenFile(parsing: "good,user,uid\nonly-two,columns\n", path: "tokens.csv")
        } throws: { error in
            (error as? StaticTokenFile.ParseError)?.description.hasPrefix("tokens.csv:2:") == true
        }
        #expect(throws: StaticTokenFile.ParseError.self) {
            try StaticTokenFile(parsing: "tok,user,uid,\"unterminated")
        }
        #expect(throws: StaticTokenFile.ParseError.self) {
            try StaticTokenFile(parsing: "tok,user,uid\ntok,other,uid2")
        }
        #expect(throws: StaticTokenFile.ParseError.self) {
            try StaticTokenFile(parsing: ",user,uid")
        }
    }
}

@Suite struct AuthorizationPolicyTests {
    @Test func bindsUsersAndGroupsToRoles() throws {
        let policy = try AuthorizationPolicy(parsing: """
            bindings:
              - role: viewer
                users: [alice]
                groups: [developers]
              - role: metrics
                users: [prometheus]
            """)
        #expect(policy.roles(of: UserInfo(name: "alice")) == [.viewer])
        #expect(policy.roles(of: UserInfo(name: "carol", groups: ["developers"])) == [.viewer])
        #expect(policy.roles(of: UserInfo(name: "prometheus")) == [.metrics])
        #expect(policy.roles(of: UserInfo(name: "mallory")) == [])
        #expect(policy.roles(of: UserInfo(name: "root", groups: ["system:masters"])) == [.admin])
    }

    @Test func rolesAllowWhatTheyShould() {
        #expect(Role.viewer.allows(verb: "get", resource: "pods"))
        #expect(Role.viewer.allows(verb: "get", resource: "pods/log"))
        #expect(!Role.viewer.allows(verb: "create", resource: "pods"))
        #expect(!Role.viewer.allows(verb: "create", resource: "pods/exec"))
        #expect(!Role.viewer.allows(verb: "get", resource: "pods/exec"))
        #expect(!Role.viewer.allows(verb: "delete", resource: "pods"))
        #expect(Role.metrics.allows(verb: "get", resource: "metrics"))
        #expect(Role.metrics.allows(verb: "get", resource: "stats"))
        #expect(!Role.metrics.allows(verb: "get", resource: "pods"))
        #expect(Role.admin.allows(verb: "create", resource: "pods/portforward"))
    }

    @Test func rejectsMistakesInsteadOfGrantingNothing() {
        let bad = [
            "bindings:\n  - role: viewer\n    grups: [x]\n",
            "bindings:\n  - role: superuser\n    users: [x]\n",
            "bindings:\n  - role: viewer\n",
            "rules: []\n",
            "bindings:\n  - role: viewer\n    users: alice\n",
        ]
        for text in bad {
            #expect(throws: AuthorizationPolicy.ParseError.self, "accepted: \(text)") {
                try AuthorizationPolicy(parsing: text)
            }
        }
    }

    @Test func namesEachMistake() throws {
        let cases: [(text: String, message: String)] = [
            ("bindings: [\n", "<policy>: not valid YAML: YAML syntax error at line 2, column 1: "),
            ("bindings: []\nbindings: []\n", "<policy>: not valid YAML: strict decoding error: duplicate field \"bindings\""),
            ("- bindings\n", "<policy>: the top level must be a mapping with a 'bindings' list"),
            ("bindings: []\nrules: []\nroles: []\n", "<policy>: unknown key 'rules' (expected 'bindings')"),
            ("bindings: {}\n", "<policy>: 'bindings' must be a list"),
            ("bindings:\n", "<policy>: 'bindings' must be a list"),
            ("bindings:\n  - viewer\n", "<policy>: bindings[0] must be a mapping with role, users and groups"),
            ("bindings:\n  - users: [a]\n", "<policy>: bindings[0]: 'role' is required"),
            ("bindings:\n  - role: 1\n    users: [a]\n", "<policy>: bindings[0]: 'role' is required"),
            ("bindings:\n  - role: viewer\n    users:\n", "<policy>: bindings[0]: 'users' must be a list of names"),
            ("bindings:\n  - role: viewer\n    users: [\"\"]\n",
             "<policy>: bindings[0]: 'users' holds a value that is not a non-empty name"),
            ("bindings:\n  - role: viewer\n    groups: [1]\n",
             "<policy>: bindings[0]: 'groups' holds a value that is not a non-empty name"),
        ]
        for (text, message) in cases {
            do {
                _ = try AuthorizationPolicy(parsing: text)
                Issue.record("accepted: \(text)")
            } catch let error as AuthorizationPolicy.ParseError {
                #expect(error.description.hasPrefix(message), "\(text)")
            }
        }
        #expect(try AuthorizationPolicy(parsing: "") == AuthorizationPolicy())
        #expect(try AuthorizationPolicy(parsing: "# nothing yet\nbindings: []\n") == AuthorizationPolicy())
        // YAML is read by the core schema, as everywhere in Swiftlet: `yes` is a name, not a boolean.
        let yes = try AuthorizationPolicy(parsing: "bindings:\n  - role: viewer\n    users: [yes]\n")
        #expect(yes.bindings == [AuthorizationPolicy.Binding(role: .viewer, users: ["yes"])])
    }
}
