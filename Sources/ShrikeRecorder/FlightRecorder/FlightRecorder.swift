import ShrikeSensor

/// The always-on memory of recent events: a ring bounded by time and by bytes, oldest evicted first.
///
/// Records are 20 bytes; strings (exe, command lines, paths, container ids), whole process snapshots and file/network
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
        guard let chunk = chunks.first, chunk.head < chunk.records.count else { return nil }
        return chunk.time(chunk.records[chunk.head])
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
        let ret = Int32(clamping: wideRet)
        if chunks.isEmpty || chunks[chunks.count - 1].isFull || chunks[chunks.count - 1].offset(for: event.time) == nil {
            chunks.append(RingChunk(firstTime: event.time))
            chunkBytes += chunks[chunks.count - 1].bytes
        }
        let last = chunks.count - 1
        let before = chunks[last].records.capacity
        // The offset fits: a fresh chunk was started above otherwise.
        let offset = chunks[last].offset(for: event.time) ?? 0
        chunks[last].records.append(RingRecord(offset: offset, process: process, detail: detail, ret: ret, type: type, fd: fd))
        if chunks[last].records.capacity != before {
            chunkBytes += (chunks[last].records.capacity - before) * MemoryLayout<RingRecord>.stride
        }
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
        guard !chunks.isEmpty else { return }
        let record = chunks[0].records[chunks[0].head]
        tables.releaseProcess(record.process)
        tables.releaseDetail(record.detail)
        chunks[0].head += 1
        count -= 1
        if chunks[0].head == chunks[0].records.count, chunks.count > 1 || chunks[0].isFull {
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
            var index = chunk.head
            while index < chunk.records.count {
                let record = chunk.records[index]
                let time = chunk.time(record)
                if time >= from && time <= to { body(Entry(time: time, record: record)) }
                index += 1
            }
        }
    }

    func packedProcess(_ id: UInt32) -> PackedProcess? { tables.processes[id] }

    func event(_ entry: Entry) -> Event? {
        tables.event(time: entry.time, type: entry.record.type, ret: Int64(entry.record.ret),
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
