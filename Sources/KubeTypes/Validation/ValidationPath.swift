/// A path to a field, built the way apimachinery's `field.Path` builds it:
/// `spec.containers[1].ports[0].containerPort`, with map keys in brackets (`metadata.labels[app]`).
public struct ValidationPath: Sendable, Equatable, CustomStringConvertible {
    /// The rendered path.
    public let string: String

    /// A root path, e.g. `ValidationPath("spec")`.
    public init(_ root: String) {
        self.string = root
    }

    private init(rendered: String) {
        self.string = rendered
    }

    /// The child field `name`.
    public func child(_ name: String) -> ValidationPath {
        ValidationPath(rendered: string.isEmpty ? name : string + "." + name)
    }

    /// The element at `index` of a list.
    public func index(_ index: Int) -> ValidationPath {
        ValidationPath(rendered: string + "[\(index)]")
    }

    /// The entry for `key` of a map.
    public func key(_ key: String) -> ValidationPath {
        ValidationPath(rendered: string + "[\(key)]")
    }

    /// The rendered path.
    public var description: String { string }
}
