import EventHTTP
import KubeTypes
import NodeAgent

/// Turns failures into Kubernetes `Status` responses, keeping details (such as validation causes) intact.
enum StatusResponses {
    /// A response carrying `status` as JSON with its code.
    static func response(_ status: Status) -> HTTPResponse {
        let bytes = (try? KubeJSON.encode(status)) ?? Array(#"{"kind":"Status","apiVersion":"v1","status":"Failure","code":500}"#.utf8)
        return .json(bytes, status: Int(status.code ?? 500))
    }

    /// Runs `body`, answering thrown API errors and decoding errors as Status responses.
    static func handling(_ body: () async throws -> HTTPResponse) async throws -> HTTPResponse {
        do {
            return try await body()
        } catch let error as APIStatusError {
            return response(error.status)
        } catch let error as KubeDecodingError {
            return response(.badRequest(error.description))
        }
    }

    /// A JSON response with `value` encoded by the direct encoder.
    static func json<T: Encodable>(_ value: T, status: Int = 200) throws -> HTTPResponse {
        do {
            return .json(try KubeJSON.encode(value), status: status)
        } catch {
            throw APIStatusError(.internalError("encoding the response: \(error)"))
        }
    }
}
