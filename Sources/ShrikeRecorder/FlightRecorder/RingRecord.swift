/// One recorded event with everything variable-sized interned in `EventTables`; kept packed in `PackedRecords`.
struct RingRecord: Sendable, Equatable {
    var process: UInt32
    /// 0 when the event has no file, network or argument part.
    var detail: UInt32
    var ret: Int64
    var type: UInt16
    /// The event's fd when below 65535 (`EventTables.noRecordFD` otherwise), so details don't vary by fd number.
    var fd: UInt16
}

/// A run of records packed as variable-length integers in one buffer allocated once.
///
/// Each record is its time as a zig-zag delta from the previous record's (events arrive nearly in order, so this is
/// 2–3 bytes at tens of thousands of events a second), then process, detail, return value (zig-zag), type and fd + 1:
/// about 10 bytes where fixed fields took 20–32. Records are read forward from a `Cursor`, which is all the ring
/// (evicting from the front, reading time ranges) and the incident log need.
struct PackedRecords: Sendable {
    /// Where reading stands: the byte offset of the next record and the time of the one before it.
    struct Cursor: Sendable {
        var offset: Int
        var previousTime: UInt64
    }

    private(set) var bytes: [UInt8] = []
    private(set) var count = 0
    /// The time the first record's delta is taken from.
    let startTime: UInt64
    private var lastTime: UInt64

    /// The most bytes one record takes.
    static let maxRecordBytes = 10 + 5 + 5 + 10 + 3 + 3

    init(startTime: UInt64, capacity: Int = 0) {
        self.startTime = startTime
        lastTime = startTime
        if capacity > 0 { bytes.reserveCapacity(capacity) }
    }

    var start: Cursor { Cursor(offset: 0, previousTime: startTime) }
    var end: Cursor { Cursor(offset: bytes.count, previousTime: lastTime) }
    /// Bytes reserved (what the buffer holds on the heap).
    var capacity: Int { bytes.capacity }
    /// True when another record might not fit the reserved bytes (appending would reallocate).
    var isFull: Bool { bytes.count + Self.maxRecordBytes > bytes.capacity }

    mutating func append(time: UInt64, _ record: RingRecord) {
        Varint.writeSigned(Int64(bitPattern: time &- lastTime), to: &bytes)
        lastTime = time
        Varint.write(UInt64(record.process), to: &bytes)
        Varint.write(UInt64(record.detail), to: &bytes)
        Varint.writeSigned(record.ret, to: &bytes)
        Varint.write(UInt64(record.type), to: &bytes)
        Varint.write(UInt64(record.fd &+ 1), to: &bytes)
        count += 1
    }

    /// The record at `cursor` and its time, moving the cursor past it; nil at the end.
    func read(_ cursor: inout Cursor) -> (time: UInt64, record: RingRecord)? {
        guard cursor.offset < bytes.count else { return nil }
        return bytes.withUnsafeBufferPointer { buffer in
            var offset = cursor.offset
            let time = cursor.previousTime &+ UInt64(bitPattern: Varint.readSigned(buffer, &offset))
            let process = UInt32(truncatingIfNeeded: Varint.read(buffer, &offset))
            let detail = UInt32(truncatingIfNeeded: Varint.read(buffer, &offset))
            let ret = Varint.readSigned(buffer, &offset)
            let type = UInt16(truncatingIfNeeded: Varint.read(buffer, &offset))
            let fd = UInt16(truncatingIfNeeded: Varint.read(buffer, &offset)) &- 1
            cursor = Cursor(offset: offset, previousTime: time)
            return (time, RingRecord(process: process, detail: detail, ret: ret, type: type, fd: fd))
        }
    }

    /// The time of the record at `cursor` without moving it; nil at the end.
    func time(at cursor: Cursor) -> UInt64? {
        guard cursor.offset < bytes.count else { return nil }
        return bytes.withUnsafeBufferPointer { buffer in
            var offset = cursor.offset
            return cursor.previousTime &+ UInt64(bitPattern: Varint.readSigned(buffer, &offset))
        }
    }
}

/// A run of ring records in one fixed-size buffer (so the ring never reallocates a growing array), read and evicted
/// from the front.
struct RingChunk: Sendable {
    var records: PackedRecords
    /// Records before `head` were evicted.
    var head: PackedRecords.Cursor
    var evicted = 0

    /// Bytes per chunk: below glibc's mmap threshold, so chunks come from (and return to) the heap and are reused
    /// as the ring turns over instead of being mapped and unmapped.
    static let capacity = 96 * 1024

    init(firstTime: UInt64) {
        records = PackedRecords(startTime: firstTime, capacity: Self.capacity)
        head = records.start
    }

    var bytes: Int { records.capacity + 96 }
    var isFull: Bool { records.isFull }
    var live: Int { records.count - evicted }
    var headTime: UInt64? { records.time(at: head) }
}
