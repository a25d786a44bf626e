import FoundationEssentials
import SystemSupport

/// Hands out strictly increasing resource versions that are never reused, even across restarts and after deletes.
///
/// Writing a high-water mark on every change would double the fsyncs, so the clock reserves versions in blocks:
/// before handing out version `v` it must have durably recorded a reservation `>= v`. After a restart it resumes
/// above the recorded reservation, skipping whatever of the last block was unused. Versions therefore have gaps;
/// Kubernetes clients treat them as opaque and only compare them for equality or resume watches from them.
///
/// A value type owned by the store actor: taking a version and registering the write it belongs to must happen in
/// one step, so the clock itself never suspends. Persisting a reservation is the owner's job
/// (`proposedReservation()`, then `commitReservation(through:)` once durable).
public struct ResourceVersionClock: Sendable {
    /// The blob that holds the reservation. It does not end in `ObjectKey.fileSuffix`, so it is never an object.
    public static let reservationName = "resourceversion.reserved"

    /// How many versions one durable reservation covers.
    public let blockSize: UInt64
    /// The last version handed out, or the restart base before the first one.
    public private(set) var current: UInt64
    /// The highest version that may be handed out without writing a new reservation.
    public private(set) var reservedThrough: UInt64

    /// Resumes above everything a previous run could have used.
    ///
    /// - Parameters:
    ///   - restoredReservation: the reservation read from disk (0 when there was none).
    ///   - highestSeen: the highest version found in stored objects; normally below the reservation, but honoured
    ///     if the reservation was lost.
    ///   - blockSize: versions per reservation (at least 2).
    public init(restoredReservation: UInt64, highestSeen: UInt64, blockSize: UInt64 = 1000) {
        self.blockSize = max(2, blockSize)
        current = max(restoredReservation, highestSeen)
        reservedThrough = current
    }

    /// The next version, or nil when the durable reservation is used up and a new one must be persisted first.
    public mutating func next() -> UInt64? {
        guard current < reservedThrough else { return nil }
        current += 1
        return current
    }

    /// True when less than half a block is left, so the owner should persist a new reservation in the background
    /// before writers have to wait for one.
    public var wantsReservation: Bool { reservedThrough - current < blockSize / 2 }

    /// The reservation to persist next: one block beyond what is reserved now.
    public func proposedReservation() -> UInt64 { reservedThrough + blockSize }

    /// Records that a reservation through `value` is durable.
    public mutating func commitReservation(through value: UInt64) {
        reservedThrough = max(reservedThrough, value)
    }

    /// The reservation's bytes on disk: the decimal number and a newline.
    public static func encodeReservation(_ value: UInt64) -> [UInt8] { Array("\(value)\n".utf8) }

    /// Parses `encodeReservation` output; nil when it is not a number.
    public static func decodeReservation(_ bytes: [UInt8]) -> UInt64? {
        let text = String(decoding: bytes, as: UTF8.self).trimmingWhitespaceAndNewlines()
        return UInt64(text)
    }
}

/// Parsing of the `resourceVersion` strings clients send.
public enum ResourceVersion {
    /// The numeric value of `text`, or nil when it is not a decimal unsigned integer.
    public static func parse(_ text: String) -> UInt64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        return UInt64(text)
    }
}
