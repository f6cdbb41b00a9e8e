import ShrikeSensor

/// An append-only, compact list of events: what an incident collects while open and what the store keeps
/// (serialised by `EventLogCodec`, then compressed).
public struct EventLog: Sendable {
    var tables = EventTables()
    /// The records in arrival order, packed in fixed-size chunks (a growing array would double, and for a moment
    /// hold twice, a million-event incident's records). Times are deltas: the first chunk's from 0, each later
    /// chunk's from the last time of the one before, so the chunks' bytes joined are one continuous stream.
    private(set) var chunks: [PackedRecords] = []
    public private(set) var count = 0
    static let chunkCapacity = 96 * 1024
    private var lastProcess: [Int32: (snapshot: ProcessSnapshot, id: UInt32)] = [:]

    public init() {}

    public init(_ events: [Event]) {
        for event in events { append(event) }
    }

    /// Estimated heap bytes held.
    public var bytes: Int { chunks.reduce(0) { $0 + $1.capacity } + tables.bytes }

    public mutating func append(_ event: Event) {
        let process: UInt32
        if let cached = lastProcess[event.process.tid], cached.snapshot == event.process {
            process = cached.id
        } else {
            process = tables.retainProcess(event.process)
            if lastProcess.count > 4096 { lastProcess.removeAll(keepingCapacity: true) }
            lastProcess[event.process.tid] = (event.process, process)
        }
        // The fd goes in the record, not the detail: an incident of opens by many fd numbers would otherwise hold a
        // detail per (path, fd) pair.
        let (detail, fd, ret) = tables.retainDetail(of: event, separateFD: true)
        append(time: event.time, RingRecord(process: process, detail: detail, ret: ret,
                                            type: tables.typeID(event.type, category: event.category), fd: fd))
    }

    /// Ring ids already copied into a log: valid while the ring is not changed (it reuses freed ids).
    struct RingTranslation {
        var strings: [UInt32: UInt32] = [0: 0]
        var processes: [UInt32: UInt32] = [:]
        var details: [UInt32: UInt32] = [0: 0]
        var types: [UInt16: UInt16] = [:]
    }

    /// Copies a ring record without rebuilding its event: the ring's process, detail, strings and type are interned
    /// here once each (through `translation`) and the record is re-pointed at them. An alert copies the seconds
    /// before it this way; decoding and re-interning every event took the sensor's thread long enough to drop events.
    mutating func append(_ entry: FlightRecorder.Entry, from ring: FlightRecorder,
                         translation: inout RingTranslation) {
        let record = entry.record
        guard let process = translateProcess(record.process, ring, &translation),
              let detail = translateDetail(record.detail, ring, &translation),
              Int(record.type) < ring.tables.types.count else { return }
        let type: UInt16
        if let known = translation.types[record.type] {
            type = known
        } else {
            type = tables.typeID(ring.tables.types[Int(record.type)])
            translation.types[record.type] = type
        }
        append(time: entry.time, RingRecord(process: process, detail: detail, ret: record.ret, type: type,
                                            fd: record.fd))
    }

    /// A ring string's id here, taking one reference for the caller.
    private mutating func retainString(_ id: UInt32, _ ring: FlightRecorder,
                                       _ translation: inout RingTranslation) -> UInt32 {
        if id == 0 { return 0 }
        if let known = translation.strings[id] {
            tables.strings.retain(id: known)
            return known
        }
        let mine = tables.retainString(ring.tables.string(id))
        translation.strings[id] = mine
        return mine
    }

    private mutating func translateProcess(_ id: UInt32, _ ring: FlightRecorder,
                                           _ translation: inout RingTranslation) -> UInt32? {
        if let known = translation.processes[id] { return known }
        guard let packed = ring.tables.processes[id] else { return nil }
        let mapped = packed.mappingStrings { retainString($0, ring, &translation) }
        let mine = tables.retain(process: mapped)
        translation.processes[id] = mine
        return mine
    }

    private mutating func translateDetail(_ id: UInt32, _ ring: FlightRecorder,
                                          _ translation: inout RingTranslation) -> UInt32? {
        if let known = translation.details[id] { return known }
        guard let packed = ring.tables.details[id] else { return nil }
        let mapped = packed.mappingStrings { retainString($0, ring, &translation) }
        let mine = tables.retain(detail: mapped)
        translation.details[id] = mine
        return mine
    }

    /// Adds a record whose ids are this log's own (for the codec).
    mutating func append(time: UInt64, _ record: RingRecord) {
        if chunks.isEmpty || chunks[chunks.count - 1].isFull {
            chunks.append(PackedRecords(startTime: chunks.last?.end.previousTime ?? 0, capacity: Self.chunkCapacity))
        }
        chunks[chunks.count - 1].append(time: time, record)
        count += 1
    }

    /// Calls `body` with every record in arrival order.
    func forEachRecord(_ body: (UInt64, RingRecord) throws -> Void) rethrows {
        for chunk in chunks {
            var cursor = chunk.start
            while let (time, record) = chunk.read(&cursor) { try body(time, record) }
        }
    }

    /// The events, ordered by time (stable for equal times).
    public var events: [Event] {
        var all: [(time: UInt64, record: RingRecord)] = []
        all.reserveCapacity(count)
        forEachRecord { all.append(($0, $1)) }
        let ordered = all.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
        return ordered.compactMap { _, entry in
            tables.event(time: entry.time, type: entry.record.type, ret: entry.record.ret,
                         process: entry.record.process, detail: entry.record.detail, recordFD: entry.record.fd)
        }
    }
}
