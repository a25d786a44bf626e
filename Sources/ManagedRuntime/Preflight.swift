import FoundationEssentials
import SystemSupport

/// Checks that this machine has what a managed containerd needs, before anything is written or started.
///
/// The error names the Debian packages to install, because "containerd exited with status 1" three layers down
/// helps nobody.
public enum Preflight {
    /// The CNI plugins the default network uses; `loopback` is what containerd runs for each pod's `lo`.
    public static let requiredCNIPlugins = ["bridge", "host-local", "loopback", "portmap"]
    /// Where Debian installs the CNI plugins, then the upstream default.
    public static let cniBinDirectoryCandidates = ["/usr/lib/cni", "/opt/cni/bin"]
    /// Searched after `$PATH`: containerd and runc live in sbin dirs that a minimal `$PATH` may lack.
    static let fallbackSearchPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]

    /// The resolved locations of everything a managed containerd runs.
    public struct Tools: Sendable, Hashable {
        /// The containerd binary.
        public var containerd: String
        /// containerd's runc v2 shim.
        public var shim: String
        /// The runc binary.
        public var runc: String
        /// The directory holding the CNI plugins.
        public var cniBinDirectory: String
    }

    /// One missing piece.
    public struct Missing: Sendable, Hashable {
        /// What is missing, e.g. `containerd (looked for /usr/bin/containerd)`.
        public var what: String
        /// The Debian package that provides it.
        public var debianPackage: String
    }

    /// Everything that is missing, with the command that fixes it.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// The missing pieces.
        public var missing: [Missing]
        /// The Debian packages to install, without duplicates, in a stable order.
        public var debianPackages: [String] {
            var seen = Set<String>()
            return missing.map(\.debianPackage).filter { seen.insert($0).inserted }
        }
        /// `"cannot run a managed containerd: missing ...; install them with: apt-get install ..."`.
        public var description: String {
            "cannot run a managed containerd: missing " + missing.map(\.what).joined(separator: "; ")
                + ". Install the Debian packages with: apt-get install " + debianPackages.joined(separator: " ")
                + " (or pass --container-runtime-endpoint to use a containerd that is already running)"
        }
    }

    /// Checks for containerd (at `containerdBinary`: a path, or a name looked up in `$PATH`), its runc shim, runc,
    /// and the CNI plugins in `cniBinDirectory` (or the first of `cniBinDirectoryCandidates` that has them all).
    /// - Returns: the resolved paths.
    /// - Throws: `Preflight.Failure` listing every missing piece and the Debian packages to install.
    @discardableResult
    public static func check(
        containerdBinary: String = "containerd",
        cniBinDirectory: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Tools {
        var missing: [Missing] = []
        let search = searchPath(environment)

        let containerd = resolve(containerdBinary, in: search)
        if containerd == nil {
            missing.append(Missing(what: "containerd (looked for \(describe(containerdBinary)))", debianPackage: "containerd"))
        }
        // The shim ships with containerd; containerd finds it next to itself or in $PATH.
        let shimName = "containerd-shim-runc-v2"
        let besideContainerd = containerd.map { PathNames.deletingLastComponent(of: $0) + "/" + shimName }
        let shim = besideContainerd.flatMap { isExecutable($0) ? $0 : nil } ?? resolve(shimName, in: search)
        if shim == nil {
            missing.append(Missing(what: "\(shimName) (in $PATH)", debianPackage: "containerd"))
        }
        let runc = resolve("runc", in: search)
        if runc == nil {
            missing.append(Missing(what: "runc (in $PATH)", debianPackage: "runc"))
        }

        let candidates = cniBinDirectory.map { [$0] } ?? cniBinDirectoryCandidates
        let complete = candidates.first { dir in requiredCNIPlugins.allSatisfy { isExecutable(dir + "/" + $0) } }
        if complete == nil {
            // Report against the directory that has the most plugins, so the message names what is really absent.
            let best = candidates.max { a, b in
                requiredCNIPlugins.filter { isExecutable(a + "/" + $0) }.count
                    < requiredCNIPlugins.filter { isExecutable(b + "/" + $0) }.count
            } ?? candidates[0]
            let absent = requiredCNIPlugins.filter { !isExecutable(best + "/" + $0) }
            missing.append(
                Missing(
                    what: "CNI plugins \(absent.joined(separator: ", ")) (looked in \(candidates.joined(separator: ", ")))",
                    debianPackage: "containernetworking-plugins"))
        }

        guard missing.isEmpty, let containerd, let shim, let runc, let complete else {
            throw Failure(missing: missing)
        }
        return Tools(containerd: containerd, shim: shim, runc: runc, cniBinDirectory: complete)
    }

    static func searchPath(_ environment: [String: String]) -> [String] {
        let fromEnvironment = (environment["PATH"] ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
        return fromEnvironment + fallbackSearchPath.filter { !fromEnvironment.contains($0) }
    }

    static func resolve(_ name: String, in search: [String]) -> String? {
        if name.contains("/") { return isExecutable(name) ? name : nil }
        return search.lazy.map { $0 + "/" + name }.first(where: isExecutable)
    }

    static func describe(_ name: String) -> String {
        name.contains("/") ? name : "\(name) in $PATH"
    }

    static func isExecutable(_ path: String) -> Bool {
        var isDirectory = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory
            && FileManager.default.isExecutableFile(atPath: path)
    }
}
