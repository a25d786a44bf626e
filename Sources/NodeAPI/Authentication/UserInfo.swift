/// Who a request comes from, once it is authenticated.
///
/// Mirrors Kubernetes' `user.Info`: a name, an optional uid and the groups the user belongs to.
public struct UserInfo: Sendable, Equatable {
    /// The user name: the token file's user column or the client certificate's common name.
    public var name: String
    /// The token file's uid column; empty for certificate users.
    public var uid: String
    /// The token file's group column or the client certificate's organization entries.
    public var groups: [String]

    /// Creates a user.
    public init(name: String, uid: String = "", groups: [String] = []) {
        self.name = name
        self.uid = uid
        self.groups = groups
    }
}
