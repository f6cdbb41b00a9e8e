#if canImport(Glibc)
import Glibc
#endif
import Foundation
import ShrikeCore
import Synchronization

/// An on-disk, crash-safe queue of records on their way to `shrike server`.
///
/// Records go into append-only segment files (`segment-<first seq>.log`, framed by `SpoolRecordCodec`: length and
/// CRC-32 per record) in `directory`; each `append` is one `write` and one `fsync` per touched segment. Every record
/// gets the next sequence number, which is never reused: the highest one handed out is kept in the `state` file
/// before a segment is removed. `ack` removes records; a segment file is deleted once all its records are
/// acknowledged, and the acknowledgement watermark is persisted. Opening a spool after a crash cuts off a torn tail
/// (a record half written) and skips records whose CRC does not match — counted in `statistics`, never a crash.
///
/// Bounded by `maxBytes` of segment files: when an append would pass it, the oldest segments go first and their
/// unacknowledged records count as `evicted` (persisted). One process owns a spool directory at a time (`flock`).
/// Thread-safe; every method blocks for the disk, so call it off the sensor's thread (`SpoolWriter` does).
public final class Spool: Sendable {
    public let directory: String
    public let maxBytes: Int
    /// A segment is closed and a new one started once it holds this many bytes.
    public let segmentBytes: Int
    private let state: Mutex<State>

    private struct State {
        var segments: [SpoolSegment] = []
        var file = SpoolStateFile()
        var nextSeq: UInt64 = 1
        var statistics = SpoolStatistics()
        var lockFD: Int32 = -1
        var closed = false
    }

    /// The default spool folder: `/var/lib/shrike/spool` as root, else `$XDG_CACHE_HOME/shrike/spool` (or
    /// `~/.cache/shrike/spool`).
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if getuid() == 0 { return "/var/lib/shrike/spool" }
        if let cache = environment["XDG_CACHE_HOME"], !cache.isEmpty { return cache + "/shrike/spool" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.cache/shrike/spool"
    }

    /// 256 MiB.
    public static let defaultMaxBytes = 256 << 20

    /// Opens (creating it when needed) the spool in `directory` and recovers what a crash left.
    ///
    /// - Throws: `ShrikeError(.io)` naming the folder when it cannot be created, read, or is used by another
    ///   process; `ShrikeError(.usage)` when `maxBytes` is below 64 KiB; `.malformed` for an unreadable state file.
    public init(directory: String, maxBytes: Int = Spool.defaultMaxBytes) throws {
        guard maxBytes >= 64 << 10 else {
            throw ShrikeError(.usage, "the spool needs at least 64 KiB (--spool-max-bytes)", input: String(maxBytes))
        }
        self.directory = directory
        self.maxBytes = maxBytes
        segmentBytes = min(16 << 20, max(16 << 10, maxBytes / 8))
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw ShrikeError(.io, "cannot create the spool folder: \(error.localizedDescription)", input: directory)
        }
        var recovered = State()
        recovered.lockFD = try Self.lock(directory)
        do {
            try Self.recover(directory, into: &recovered)
        } catch {
            Self.release(&recovered)
            throw error
        }
        state = Mutex(recovered)
    }

    deinit {
        state.withLock { Self.release(&$0) }
    }

    /// Closes the segment files and releases the folder; later calls throw.
    public func close() {
        state.withLock { Self.release(&$0) }
    }

    public var statistics: SpoolStatistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.records = state.segments.reduce(0) { $0 + $1.live.count }
            statistics.bytes = state.segments.reduce(0) { $0 + $1.size }
            statistics.evicted = state.file.evicted
            statistics.nextSeq = state.nextSeq
            return statistics
        }
    }

    /// Appends `records` (kind and JSON body each) durably: one write and one fsync per touched segment.
    ///
    /// - Returns: the sequence numbers given to them, in order.
    /// - Throws: `ShrikeError(.limitExceeded)` for a body over 15 MiB or over the spool's bound (nothing is
    ///   appended); `ShrikeError(.io)` when writing fails (the records are not in the spool).
    @discardableResult
    public func append(_ records: [(kind: SpoolKind, body: [UInt8])]) throws -> [UInt64] {
        for record in records where record.body.count > SpoolRecordCodec.maxBodySize
            || record.body.count + SpoolRecordCodec.headerSize > segmentBytes {
            throw ShrikeError(.limitExceeded, "a \(record.kind.wireName) record of \(record.body.count) bytes does "
                              + "not fit the spool (at most \(min(SpoolRecordCodec.maxBodySize, segmentBytes)) bytes)",
                              input: directory)
        }
        return try state.withLock { state in
            guard !state.closed else { throw ShrikeError(.io, "the spool is closed", input: directory) }
            var seqs: [UInt64] = []
            var pending: [UInt8] = []
            var pendingEntries: [SpoolRecordCodec.Entry] = []
            for record in records {
                // Records committed earlier in this batch already advanced `nextSeq`.
                let seq = state.nextSeq + UInt64(pendingEntries.count)
                let size = SpoolRecordCodec.headerSize + record.body.count
                if state.segments.reduce(0, { $0 + $1.size }) + pending.count + size > maxBytes {
                    try commit(&pending, &pendingEntries, to: &state)
                    try makeRoom(for: size, in: &state, firstSeq: seq)
                }
                if let active = state.segments.last, active.size + pending.count + size > segmentBytes,
                   active.size + pending.count > 0 {
                    try commit(&pending, &pendingEntries, to: &state)
                    try rotate(&state, firstSeq: seq)
                }
                if state.segments.isEmpty { try rotate(&state, firstSeq: seq) }
                let offset = (state.segments.last?.size ?? 0) + pending.count
                SpoolRecordCodec.encode(SpoolRecord(seq: seq, kind: record.kind, body: record.body), into: &pending)
                pendingEntries.append(SpoolRecordCodec.Entry(seq: seq, kind: record.kind, offset: offset, size: size))
                seqs.append(seq)
            }
            try commit(&pending, &pendingEntries, to: &state)
            state.statistics.appended += UInt64(seqs.count)
            return seqs
        }
    }

    /// The oldest unacknowledged records: at most `maxRecords`, and no more than `maxBytes` of bodies (but always
    /// at least one record when any is waiting).
    /// - Throws: `ShrikeError(.io)` when a segment cannot be read.
    public func peek(maxRecords: Int = 1_000, maxBytes: Int = 4 << 20) throws -> [SpoolRecord] {
        try state.withLock { state in
            var records: [SpoolRecord] = []
            var bytes = 0
            var damaged: [UInt64] = []
            outer: for segment in state.segments {
                for entry in segment.live {
                    if records.count >= maxRecords { break outer }
                    let bodySize = entry.size - SpoolRecordCodec.headerSize
                    if !records.isEmpty && bytes + bodySize > maxBytes { break outer }
                    let raw = try SpoolFiles.read(segment.fd, offset: entry.offset, count: entry.size, path: segment.path)
                    guard let record = SpoolRecordCodec.decode(raw, entry: entry) else {
                        damaged.append(entry.seq)
                        continue
                    }
                    records.append(record)
                    bytes += bodySize
                }
            }
            if !damaged.isEmpty {
                // Damaged on disk after it was written (the CRC no longer matches): it can never be sent.
                state.statistics.corrupt += damaged.count
                try remove(Set(damaged), from: &state)
            }
            return records
        }
    }

    /// Removes the records with these sequence numbers; deletes segments left without records and persists the
    /// watermark. Unknown numbers are ignored.
    /// - Throws: `ShrikeError(.io)` when the state file cannot be written.
    public func ack(_ seqs: some Sequence<UInt64>) throws {
        let set = Set(seqs)
        guard !set.isEmpty else { return }
        try state.withLock { state in try remove(set, from: &state) }
    }

    // MARK: - Inside the lock

    private func remove(_ seqs: Set<UInt64>, from state: inout State) throws {
        for index in state.segments.indices {
            state.segments[index].live.removeAll { seqs.contains($0.seq) }
        }
        let firstLive = state.segments.lazy.compactMap { $0.live.first?.seq }.first
        state.file.acked = max(state.file.acked, (firstLive ?? state.nextSeq) - 1)
        try deleteEmptySegments(&state)
    }

    /// Deletes drained segments but the active one, after persisting the state that makes that safe.
    private func deleteEmptySegments(_ state: inout State) throws {
        let drained = state.segments.dropLast().filter { $0.live.isEmpty }
        state.file.highest = max(state.file.highest, state.nextSeq - 1)
        try state.file.save(directory: directory)
        guard !drained.isEmpty else { return }
        let paths = Set(drained.map(\.path))
        for segment in drained {
            Glibc.close(segment.fd)
            unlink(segment.path)
        }
        state.segments.removeAll { paths.contains($0.path) }
        SpoolFiles.syncDirectory(directory)
    }

    /// Evicts the oldest segments until `bytes` more fit; their unacknowledged records are counted.
    private func makeRoom(for bytes: Int, in state: inout State, firstSeq: UInt64) throws {
        var evicted = false
        while state.segments.reduce(0, { $0 + $1.size }) + bytes > maxBytes {
            if state.segments.count == 1 {
                guard let only = state.segments.first, only.size > 0 else { break }
                try rotate(&state, firstSeq: firstSeq)
            }
            let oldest = state.segments.removeFirst()
            state.file.evicted += UInt64(oldest.live.count)
            Glibc.close(oldest.fd)
            unlink(oldest.path)
            evicted = true
        }
        guard evicted else { return }
        let firstLive = state.segments.lazy.compactMap { $0.live.first?.seq }.first
        state.file.acked = max(state.file.acked, (firstLive ?? firstSeq) - 1)
        state.file.highest = max(state.file.highest, state.nextSeq - 1)
        try state.file.save(directory: directory)
        SpoolFiles.syncDirectory(directory)
    }

    /// Writes the pending bytes to the active segment and fsyncs; on failure the segment is cut back.
    private func commit(_ pending: inout [UInt8], _ entries: inout [SpoolRecordCodec.Entry],
                        to state: inout State) throws {
        guard !pending.isEmpty, let index = state.segments.indices.last else { return }
        let segment = state.segments[index]
        do {
            try SpoolFiles.writeAll(segment.fd, pending, path: segment.path)
            try SpoolFiles.sync(segment.fd, path: segment.path)
        } catch {
            _ = ftruncate(segment.fd, off_t(segment.size))
            _ = lseek(segment.fd, off_t(segment.size), SEEK_SET)
            pending.removeAll()
            entries.removeAll()
            throw error
        }
        state.segments[index].size += pending.count
        state.segments[index].live += entries
        if let last = entries.last { state.nextSeq = last.seq + 1 }
        pending.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
    }

    private func rotate(_ state: inout State, firstSeq: UInt64) throws {
        let path = directory + "/" + SpoolSegment.fileName(firstSeq: firstSeq)
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ShrikeError(.io, "cannot create a spool segment: \(SpoolFiles.errnoText())", input: path)
        }
        SpoolFiles.syncDirectory(directory)
        state.segments.append(SpoolSegment(firstSeq: firstSeq, path: path, fd: fd, size: 0, live: []))
        // A drained segment that stops being the active one can go now.
        try deleteEmptySegments(&state)
    }

    // MARK: - Opening

    private static func lock(_ directory: String) throws -> Int32 {
        let path = directory + "/lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ShrikeError(.io, "cannot open the spool's lock file: \(SpoolFiles.errnoText())", input: path)
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            Glibc.close(fd)
            throw ShrikeError(.spoolBusy, "another shrike process uses this spool folder; give each agent its own "
                              + "--spool-dir", input: directory)
        }
        return fd
    }

    private static func release(_ state: inout State) {
        guard !state.closed else { return }
        state.closed = true
        for segment in state.segments { Glibc.close(segment.fd) }
        state.segments = []
        if state.lockFD >= 0 { Glibc.close(state.lockFD) }
        state.lockFD = -1
    }

    private static func recover(_ directory: String, into state: inout State) throws {
        state.file = try SpoolStateFile.load(directory: directory)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ShrikeError(.io, "cannot list the spool folder: \(error.localizedDescription)", input: directory)
        }
        let segments = names.compactMap { name in SpoolSegment.firstSeq(fileName: name).map { ($0, name) } }
            .sorted { $0.0 < $1.0 }
        var highest = max(state.file.highest, state.file.acked)
        for (firstSeq, name) in segments {
            let path = directory + "/" + name
            let fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC)
            guard fd >= 0 else {
                throw ShrikeError(.io, "cannot open a spool segment: \(SpoolFiles.errnoText())", input: path)
            }
            let bytes: [UInt8]
            do {
                bytes = try SpoolFiles.readWhole(fd, path: path)
            } catch {
                Glibc.close(fd)
                throw error
            }
            let scan = SpoolRecordCodec.scan(bytes)
            if scan.validEnd < bytes.count {
                // A torn tail: the crash came mid-record. What follows the last whole record is dropped.
                state.statistics.tornBytes += bytes.count - scan.validEnd
                _ = ftruncate(fd, off_t(scan.validEnd))
                _ = fsync(fd)
            }
            state.statistics.corrupt += scan.corrupt
            let lastSeen = scan.entries.map(\.seq).max() ?? firstSeq - 1
            highest = max(highest, lastSeen)
            if scan.validEnd < bytes.count {
                // Whole records may have followed the damage, and may have been sent: skip past every seq they
                // could have had (no record is shorter than its header), so none is given twice.
                highest = max(highest, lastSeen + UInt64((bytes.count - scan.validEnd) / SpoolRecordCodec.headerSize))
            }
            let live = scan.entries.filter { $0.seq > state.file.acked }
            state.segments.append(SpoolSegment(firstSeq: firstSeq, path: path, fd: fd, size: scan.validEnd, live: live))
        }
        state.nextSeq = highest + 1
        // Segments left with nothing to send are deleted now (but the newest, which takes the next appends).
        let drained = state.segments.dropLast().filter { $0.live.isEmpty }
        state.file.highest = highest
        let stored = try SpoolStateFile.load(directory: directory)
        if !drained.isEmpty || state.file != stored {
            try state.file.save(directory: directory)
        }
        for segment in drained {
            Glibc.close(segment.fd)
            unlink(segment.path)
        }
        let paths = Set(drained.map(\.path))
        state.segments.removeAll { paths.contains($0.path) }
    }
}
