/// A place in a container's log history: which segment (0 = oldest file of the snapshot) and the byte offset of
/// a physical line in it. Orders lines across rotated files.
struct LogPosition: Comparable, Hashable, Sendable {
    var segment: Int
    var offset: Int

    static func < (lhs: LogPosition, rhs: LogPosition) -> Bool {
        (lhs.segment, lhs.offset) < (rhs.segment, rhs.offset)
    }
}
