import Foundation

/// `make bench`'s spool measurement: appends `records` alert-sized bodies in batches of `batch` (one fsync each),
/// then drains them the way the shipper does (peek up to 1,000, acknowledge), in a fresh spool folder.
public enum SpoolBenchmark {
    public struct Result: Sendable, Codable, Equatable {
        public var records: Int
        public var bodyBytes: Int
        public var batch: Int
        public var appendSeconds: Double
        public var appendRecordsPerSecond: Double
        public var appendMBPerSecond: Double
        public var drainSeconds: Double
        public var drainRecordsPerSecond: Double
        public var drainMBPerSecond: Double
        public var evicted: UInt64
    }

    /// - Throws: `ShrikeError` from the spool.
    public static func run(records: Int, bodyBytes: Int, batch: Int, directory: String,
                           maxBytes: Int = Spool.defaultMaxBytes) throws -> Result {
        let spool = try Spool(directory: directory, maxBytes: maxBytes)
        defer { spool.close() }
        let body = Array(("{\"rule\":\"Terminal shell in container\",\"pad\":\""
                          + String(repeating: "x", count: max(0, bodyBytes - 60)) + "\"}").utf8)
        let started = Date()
        var appended = 0
        while appended < records {
            let count = min(batch, records - appended)
            try spool.append(Array(repeating: (SpoolKind.alert, body), count: count))
            appended += count
        }
        let appendSeconds = Date().timeIntervalSince(started)
        let drainStarted = Date()
        var drained = 0
        while true {
            let batch = try spool.peek(maxRecords: 1_000, maxBytes: 4 << 20)
            if batch.isEmpty { break }
            try spool.ack(batch.map(\.seq))
            drained += batch.count
        }
        let drainSeconds = Date().timeIntervalSince(drainStarted)
        let megabytes = Double(records * body.count) / 1e6
        let drainedMegabytes = Double(drained * body.count) / 1e6
        return Result(records: records, bodyBytes: body.count, batch: batch, appendSeconds: appendSeconds,
                      appendRecordsPerSecond: Double(records) / appendSeconds,
                      appendMBPerSecond: megabytes / appendSeconds, drainSeconds: drainSeconds,
                      drainRecordsPerSecond: Double(drained) / drainSeconds,
                      drainMBPerSecond: drainedMegabytes / drainSeconds, evicted: spool.statistics.evicted)
    }
}
