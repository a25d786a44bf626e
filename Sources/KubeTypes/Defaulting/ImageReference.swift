/// The parts of an image reference that defaulting needs, parsed as Kubernetes' `parsers.ParseImageName` does.
public enum ImageReference {
    /// The tag of `image`: `latest` when there is neither tag nor digest, empty when there is only a digest.
    ///
    /// `nginx` → `latest`; `nginx:1.27` → `1.27`; `registry:5000/app` → `latest`; `app@sha256:…` → ``;
    /// `app:1.0@sha256:…` → `1.0`.
    public static func tag(of image: String) -> String {
        var name = Substring(image)
        var hasDigest = false
        if let at = name.firstIndex(of: "@") {
            hasDigest = true
            name = name[..<at]
        }
        let lastSlash = name.lastIndex(of: "/")
        let tail = lastSlash.map { name[name.index(after: $0)...] } ?? name
        if let colon = tail.lastIndex(of: ":") {
            return String(tail[tail.index(after: colon)...])
        }
        return hasDigest ? "" : "latest"
    }
}
