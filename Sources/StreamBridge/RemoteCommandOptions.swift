/// Which standard streams an exec or attach session carries, from the query (`stdin`, `stdout`, `stderr`, `tty`).
public struct RemoteCommandOptions: Sendable, Equatable {
    /// Carry the user's input to the process.
    public var stdin: Bool
    /// Carry the process's standard output.
    public var stdout: Bool
    /// Carry the process's standard error (never with a terminal: it is merged into stdout).
    public var stderr: Bool
    /// Allocate a terminal.
    public var tty: Bool

    /// Options from their parts.
    public init(stdin: Bool = false, stdout: Bool = true, stderr: Bool = true, tty: Bool = false) {
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.tty = tty
    }

    /// Options from query values as kubelet reads them: "1" or "true" (any case) is true, anything else false;
    /// an absent `stdout`/`stderr` defaults to true like kubectl's, an absent `stdin`/`tty` to false.
    public init(query: (String) -> String?) {
        func flag(_ name: String, default value: Bool) -> Bool {
            guard let raw = query(name) else { return value }
            return raw == "1" || raw.lowercased() == "true"
        }
        self.init(stdin: flag("stdin", default: false), stdout: flag("stdout", default: true),
                  stderr: flag("stderr", default: true), tty: flag("tty", default: false))
    }

    /// Nil when the combination can be served, else why not (a 400 message).
    public var problem: String? {
        if !stdin && !stdout && !stderr { return "you must specify at least 1 of stdin, stdout, stderr" }
        if tty && stderr { return "stderr cannot be used with tty (the terminal merges it into stdout); set stderr=false" }
        // Measured on containerd 1.6: a terminal without stdin loses the output.
        if tty && !stdin { return "tty requires stdin=true on this runtime (containerd drops a terminal's output without stdin)" }
        return nil
    }
}
