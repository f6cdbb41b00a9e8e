import ShrikeSensor

/// An append-only, compact list of events: what an incident collects while open and what the store keeps
/// (serialised by `EventLogCodec`, then compressed).
public struct EventLog: Sendable {
    struct Record: Sendable {
        var time: UInt64
        var process: UInt32
        var detail: UInt32
        var ret: Int64
        var type: UInt16
    }

    var tables = EventTables()
    var records: [Record] = []
    private var lastProcess: [Int32: (snapshot: ProcessSnapshot, id: UInt32)] = [:]

    public init() {}

    public init(_ events: [Event]) {
        for event in events { append(event) }
    }

    public var count: Int { records.count }
    /// Estimated heap bytes held.
    public var bytes: Int { records.capacity * MemoryLayout<Record>.stride + tables.bytes }

    public mutating func append(_ event: Event) {
        let process: UInt32
        if let cached = lastProcess[event.process.tid], cached.snapshot == event.process {
            process = cached.id
        } else {
            process = tables.retainProcess(event.process)
            if lastProcess.count > 4096 { lastProcess.removeAll(keepingCapacity: true) }
            lastProcess[event.process.tid] = (event.process, process)
        }
        records.append(Record(time: event.time, process: process, detail: tables.retainDetail(of: event),
                              ret: event.ret, type: tables.typeID(event.type, category: event.category)))
    }

    /// The events, ordered by time (stable for equal times).
    public var events: [Event] {
        let ordered = records.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }
        return ordered.compactMap { _, record in
            tables.event(time: record.time, type: record.type, ret: record.ret, process: record.process,
                         detail: record.detail)
        }
    }
}
