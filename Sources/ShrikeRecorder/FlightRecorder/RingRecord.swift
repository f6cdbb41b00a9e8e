/// One event in the flight recorder: 20 bytes, everything variable-sized interned in `EventTables`.
struct RingRecord: Sendable {
    /// Nanoseconds from the chunk's base time.
    var offset: UInt32
    var process: UInt32
    /// 0 when the event has no file, network or argument part.
    var detail: UInt32
    /// The syscall's return value, clamped to 32 bits (fds, errnos and counts fit; wider values saturate).
    var ret: Int32
    var type: UInt16
    /// The event's fd when below 65535 (`EventTables.noRecordFD` otherwise), so details don't vary by fd number.
    var fd: UInt16
}

/// A run of records sharing one base time, so each record needs only a 32-bit offset.
struct RingChunk: Sendable {
    /// Records hold `time - base`; the base sits 2^31 ns before the first event so slightly older (out-of-order)
    /// events still fit.
    let base: UInt64
    var records: [RingRecord] = []
    /// Records before `head` were evicted.
    var head = 0

    static let capacity = 8192
    static let halfRange: UInt64 = 1 << 31

    init(firstTime: UInt64) {
        base = firstTime > Self.halfRange ? firstTime - Self.halfRange : 0
        records.reserveCapacity(256)
    }

    func offset(for time: UInt64) -> UInt32? {
        guard time >= base, time - base <= UInt64(UInt32.max) else { return nil }
        return UInt32(time - base)
    }

    func time(_ record: RingRecord) -> UInt64 { base + UInt64(record.offset) }

    var bytes: Int { records.capacity * MemoryLayout<RingRecord>.stride + 64 }
    var isFull: Bool { records.count >= Self.capacity }
    var live: Int { records.count - head }
}
