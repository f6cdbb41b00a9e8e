import ShrikeSensor

/// The always-on memory of recent events: a ring bounded by time and by bytes, oldest evicted first.
///
/// Records are packed to about 10 bytes (`PackedRecords`); strings (exe, command lines, paths, container ids), whole process snapshots and file/network
/// details are interned with reference counts, so an event that repeats what others said costs little more than its
/// record, and evicting the last record that uses a string frees it. `bytes` counts the records' storage and an
/// estimate of the interned values' heap. A plain struct: feed it events, ask it for the ones in a time range.
public struct FlightRecorder: Sendable {
    /// Events older than this (relative to the newest event) are evicted, in nanoseconds.
    public let window: UInt64
    /// The most bytes the ring may hold; the oldest events are evicted to stay below.
    public let maxBytes: Int

    var tables = EventTables()
    private(set) var chunks: [RingChunk] = []
    private var chunkBytes = 0
    public private(set) var count = 0
    /// The newest event time seen.
    public private(set) var newestTime: UInt64 = 0
    /// How many events were evicted for the time bound and for the byte bound.
    public private(set) var evictedForTime = 0
    public private(set) var evictedForBytes = 0
    /// The last process snapshot interned per thread, holding one reference, so repeated events of a thread skip
    /// hashing its strings.
    private var lastProcess: [Int32: (snapshot: ProcessSnapshot, id: UInt32)] = [:]
    private static let lastProcessLimit = 8192

    /// - Parameters:
    ///   - window: seconds of history to keep (default 60).
    ///   - maxBytes: the memory budget (default 64 MiB).
    public init(window: Double = 60, maxBytes: Int = 64 << 20) {
        self.window = UInt64(max(window, 0) * 1e9)
        self.maxBytes = max(maxBytes, 1 << 16)
    }

    /// Bytes held now: records plus interned values (an estimate of their heap).
    public var bytes: Int { chunkBytes + tables.bytes + lastProcess.count * 48 }

    /// The oldest event time held, nil when empty.
    public var oldestTime: UInt64? {
        chunks.first?.headTime
    }

    /// Nanoseconds between the oldest and newest event held.
    public var span: UInt64 {
        guard let oldest = oldestTime else { return 0 }
        return newestTime > oldest ? newestTime - oldest : 0
    }

    /// Adds an event, then evicts what falls out of the time window or the byte budget.
    public mutating func append(_ event: Event) {
        let process = processID(event.process)
        let (detail, fd, wideRet) = tables.retainDetail(of: event, separateFD: true)
        let type = tables.typeID(event.type, category: event.category)
        if chunks.isEmpty || chunks[chunks.count - 1].isFull {
            chunks.append(RingChunk(firstTime: event.time))
            chunkBytes += chunks[chunks.count - 1].bytes
        }
        chunks[chunks.count - 1].records.append(
            time: event.time, RingRecord(process: process, detail: detail, ret: wideRet, type: type, fd: fd))
        count += 1
        if event.time > newestTime { newestTime = event.time }
        evict()
    }

    private mutating func processID(_ snapshot: ProcessSnapshot) -> UInt32 {
        if let cached = lastProcess[snapshot.tid], cached.snapshot == snapshot {
            tables.processes.retain(id: cached.id)
            return cached.id
        }
        let id = tables.retainProcess(snapshot)
        if lastProcess.count >= Self.lastProcessLimit {
            for entry in lastProcess.values { tables.releaseProcess(entry.id) }
            lastProcess.removeAll(keepingCapacity: true)
        }
        tables.processes.retain(id: id)
        if let old = lastProcess.updateValue((snapshot, id), forKey: snapshot.tid) { tables.releaseProcess(old.id) }
        return id
    }

    private mutating func evict() {
        let horizon = newestTime > window ? newestTime - window : 0
        while let oldest = oldestTime, oldest < horizon {
            evictOldest()
            evictedForTime += 1
        }
        while bytes > maxBytes, count > 0 {
            evictOldest()
            evictedForBytes += 1
        }
    }

    private mutating func evictOldest() {
        guard !chunks.isEmpty, let (_, record) = chunks[0].records.read(&chunks[0].head) else { return }
        tables.releaseProcess(record.process)
        tables.releaseDetail(record.detail)
        chunks[0].evicted += 1
        count -= 1
        if chunks[0].live == 0, chunks.count > 1 || chunks[0].isFull {
            chunkBytes -= chunks[0].bytes
            chunks.removeFirst()
        }
    }

    // MARK: Reading

    /// A record as seen while reading the ring; `process` is its interned process (pid, ppid, container ids).
    struct Entry {
        var time: UInt64
        var record: RingRecord
    }

    /// Calls `body` for every held record with `from <= time <= to`, oldest first.
    func forEach(from: UInt64, to: UInt64 = .max, _ body: (Entry) -> Void) {
        for chunk in chunks {
            var cursor = chunk.head
            while let (time, record) = chunk.records.read(&cursor) {
                if time >= from && time <= to { body(Entry(time: time, record: record)) }
            }
        }
    }

    func packedProcess(_ id: UInt32) -> PackedProcess? { tables.processes[id] }

    func event(_ entry: Entry) -> Event? {
        tables.event(time: entry.time, type: entry.record.type, ret: entry.record.ret,
                     process: entry.record.process, detail: entry.record.detail, recordFD: entry.record.fd)
    }

    /// Every held event with `from <= time <= to`, oldest first (decoded; for tests and small ranges).
    public func events(from: UInt64 = 0, to: UInt64 = .max) -> [Event] {
        var result: [Event] = []
        forEach(from: from, to: to) { entry in
            if let event = event(entry) { result.append(event) }
        }
        return result
    }

    /// Counts for `shrike watch` statistics and the benchmark.
    public var statistics: FlightRecorderStatistics {
        FlightRecorderStatistics(events: count, bytes: bytes, spanNanoseconds: span, strings: tables.strings.count,
                                 processes: tables.processes.count, details: tables.details.count,
                                 evictedForTime: evictedForTime, evictedForBytes: evictedForBytes)
    }
}

/// What the flight recorder holds at one moment.
public struct FlightRecorderStatistics: Sendable, Equatable, Codable {
    public var events: Int
    public var bytes: Int
    public var spanNanoseconds: UInt64
    public var strings: Int
    public var processes: Int
    public var details: Int
    public var evictedForTime: Int
    public var evictedForBytes: Int

    /// Bytes per event held (0 when empty).
    public var bytesPerEvent: Double { events == 0 ? 0 : Double(bytes) / Double(events) }
}
