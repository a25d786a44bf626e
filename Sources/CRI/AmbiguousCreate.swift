import Logging

/// Makes a non-idempotent create safe to repeat after a failure that leaves its outcome unknown.
///
/// Why: a create can fail with `unavailable` or `deadlineExceeded` after the request reached the runtime, so
/// the object may exist. Creating blindly again would either make a second object or be refused because the
/// name + attempt is still reserved. Instead: look the object up by its identity; if it is there, that is the
/// result. If not, create once more. If that is refused because the name is reserved (the first request is
/// still being carried out), wait for the object to appear.
struct AmbiguousCreate: Sendable {
    /// Name of the CRI method, for logs and errors.
    var method: String
    /// How long to wait for an object whose creation is still in progress.
    var settleTimeout: Duration
    /// Pause between lookups while waiting.
    var pollInterval: Duration = .milliseconds(200)

    /// Runs `create`, recovering from an ambiguous failure with `lookup` (which returns the id of an existing
    /// object with the same identity, or nil).
    func run(
        logger: Logger,
        create: @Sendable () async throws -> String,
        lookup: @Sendable () async throws -> String?
    ) async throws -> String {
        let firstError: CRIError
        do {
            return try await create()
        } catch let error as CRIError where error.isAmbiguous {
            firstError = error
        }
        try Task.checkCancellation()
        logger.warning(
            "ambiguous failure, looking the object up before creating again",
            metadata: ["method": "\(method)", "error": "\(firstError)"])

        if let id = try await lookupOrThrow(lookup, original: firstError) {
            logger.info("object was created despite the failure", metadata: ["method": "\(method)", "id": "\(id)"])
            return id
        }
        do {
            return try await create()
        } catch let error as CRIError where error.code == .alreadyExists || error.isAmbiguous
            || error.message.contains("reserve")
        {
            // The first request is still running in the runtime (its name is reserved) or the retry was itself
            // ambiguous: wait for the object to show up.
            let deadline = ContinuousClock.now + settleTimeout
            while ContinuousClock.now < deadline {
                try await Task.sleep(for: pollInterval)
                if let id = try? await lookup() { return id }
            }
            throw CRIError(
                code: error.code,
                message: "\(error.message) (after an earlier ambiguous failure: \(firstError.code.rawValue): "
                    + "\(firstError.message); the object did not appear within \(settleTimeout))",
                method: method)
        }
    }

    private func lookupOrThrow(
        _ lookup: @Sendable () async throws -> String?, original: CRIError
    ) async throws -> String? {
        do {
            return try await lookup()
        } catch {
            // Without a lookup we cannot tell whether the object exists; creating again could duplicate it.
            throw CRIError(
                code: original.code,
                message: "\(original.message) (could not check whether the object was created: \(error))",
                method: method)
        }
    }
}
