import FoundationEssentials
import SystemSupport

/// Bearer tokens read from a Kubernetes static token file.
///
/// The format is the API server's `--token-auth-file`: CSV lines `token,user,uid,"group1,group2"`, with the group
/// column optional and quoted when it holds several groups. Blank lines and lines starting with `#` are skipped.
public struct StaticTokenFile: Sendable {
    /// A line that could not be read, reported with its 1-based number so the operator can fix the file.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        /// The file the error is in.
        public var path: String
        /// The 1-based line number.
        public var line: Int
        /// What is wrong with the line.
        public var reason: String
        /// The message shown at startup.
        public var description: String { "\(path):\(line): \(reason)" }
    }

    private let users: [String: UserInfo]

    /// Tokens mapped to their users, for building a file in memory (the generated admin token, tests).
    public init(tokens: [String: UserInfo]) {
        self.users = tokens
    }

    /// Reads and parses the file at `path`.
    public init(contentsOf path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try self.init(parsing: text, path: path)
    }

    /// Parses the text of a token file; `path` is only used in error messages.
    public init(parsing text: String, path: String = "<token file>") throws {
        var users: [String: UserInfo] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingWhitespaceAndNewlines()
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields: [String]
            do {
                fields = try CSVLine.split(line)
            } catch let error as CSVLine.Error {
                throw ParseError(path: path, line: index + 1, reason: error.reason)
            }
            guard fields.count >= 3 else {
                throw ParseError(path: path, line: index + 1, reason: "expected token,user,uid[,\"groups\"] but found \(fields.count) column(s)")
            }
            let token = fields[0], name = fields[1], uid = fields[2]
            guard !token.isEmpty else { throw ParseError(path: path, line: index + 1, reason: "empty token") }
            guard !name.isEmpty else { throw ParseError(path: path, line: index + 1, reason: "empty user name") }
            guard users[token] == nil else { throw ParseError(path: path, line: index + 1, reason: "duplicate token") }
            var groups: [String] = []
            if fields.count >= 4 {
                groups = fields[3].split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
            }
            users[token] = UserInfo(name: name, uid: uid, groups: groups)
        }
        self.users = users
    }

    /// The number of tokens in the file.
    public var count: Int { users.count }

    /// The user a token belongs to, or `nil` for an unknown token.
    public func user(forToken token: String) -> UserInfo? {
        users[token]
    }
}

/// Splits one CSV line (RFC 4180 quoting: `"a,b"` and `""` for a quote inside quotes).
enum CSVLine {
    struct Error: Swift.Error {
        var reason: String
    }

    static func split(_ line: String) throws -> [String] {
        var fields: [String] = []
        var current = ""
        var inQuotes = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if chars.first == "\"" {
                        current.append("\"")
                        chars.removeFirst()
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                guard current.isEmpty else { throw Error(reason: "quote in the middle of an unquoted field") }
                inQuotes = true
            } else if c == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        guard !inQuotes else { throw Error(reason: "unterminated quoted field") }
        fields.append(current)
        return fields
    }
}
