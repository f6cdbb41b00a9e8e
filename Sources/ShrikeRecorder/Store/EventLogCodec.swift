import ShrikeCore

/// The stored form of an `EventLog`: the string, type, process and detail tables, then the records with
/// delta-encoded times, all as LEB128 varints (zigzag for signed values). Version 2 (`SHRKEV2\n`) adds each
/// process's session and group ids and flags, and each record's fd; version 1 (`SHRKEV1\n`) still decodes.
///
/// Decoding checks every id against its table, so a corrupt or hostile file throws instead of crashing.
enum EventLogCodec {
    static let magic = Array("SHRKEV2\n".utf8)
    static let magicVersion1 = Array("SHRKEV1\n".utf8)

    static func encode(_ log: EventLog) -> [UInt8] {
        encodeParts(log).reduce(into: []) { $0 += $1 }
    }

    /// The encoding in parts to be written one after the other: the header and tables, then the records, which are
    /// the log's own packed chunks (not copied), so compressing a large log needs no second copy of it.
    static func encodeParts(_ log: EventLog) -> [[UInt8]] {
        var out = magic
        let tables = log.tables
        // Ids are renumbered densely: the log never frees, so they already are (slot 0 is "none").
        let strings = tables.strings.enumerated()
        Varint.write(UInt64(tables.strings.idLimit), to: &out)
        Varint.write(UInt64(strings.count), to: &out)
        for (id, string) in strings {
            Varint.write(UInt64(id), to: &out)
            let bytes = Array(string.utf8)
            Varint.write(UInt64(bytes.count), to: &out)
            out.append(contentsOf: bytes)
        }
        Varint.write(UInt64(tables.types.count), to: &out)
        for type in tables.types {
            let bytes = Array(type.name.utf8)
            Varint.write(UInt64(bytes.count), to: &out)
            out.append(contentsOf: bytes)
            out.append(type.category.rawValue)
        }
        let processes = tables.processes.enumerated()
        Varint.write(UInt64(processes.count), to: &out)
        for (id, p) in processes {
            Varint.write(UInt64(id), to: &out)
            for value in [Int64(p.pid), Int64(p.tid), Int64(p.ppid)] { Varint.writeSigned(value, to: &out) }
            for value in [p.uid, p.gid, p.loginuid, p.tty] { Varint.write(UInt64(value), to: &out) }
            for value in p.strings { Varint.write(UInt64(value), to: &out) }
            Varint.writeSigned(Int64(p.sid), to: &out)
            Varint.writeSigned(Int64(p.pgid), to: &out)
            out.append(p.flags)
        }
        let details = tables.details.enumerated()
        Varint.write(UInt64(details.count), to: &out)
        for (id, d) in details {
            Varint.write(UInt64(id), to: &out)
            Varint.write(UInt64(d.presence.rawValue), to: &out)
            Varint.write(UInt64(d.path), to: &out)
            Varint.write(UInt64(d.target), to: &out)
            Varint.writeSigned(Int64(d.flags), to: &out)
            Varint.write(UInt64(d.mode), to: &out)
            Varint.writeSigned(Int64(d.fileFD), to: &out)
            Varint.writeSigned(Int64(d.family), to: &out)
            out.append(d.role)
            Varint.write(UInt64(d.address), to: &out)
            Varint.write(UInt64(d.port), to: &out)
            Varint.writeSigned(Int64(d.socketType), to: &out)
            Varint.writeSigned(Int64(d.netFD), to: &out)
            // Only when present, so logs written before host names existed read unchanged.
            if d.presence.contains(.hostName) { Varint.write(UInt64(d.hostName), to: &out) }
            Varint.write(UInt64(d.arguments.count), to: &out)
            for value in d.arguments { Varint.write(UInt64(value), to: &out) }
        }
        // The log's packed records are already this section's layout (time deltas from 0, then process, detail,
        // return value, type, fd + 1) with the same ids, so they are written as they are.
        Varint.write(UInt64(log.count), to: &out)
        return [out] + log.chunks.map(\.bytes)
    }

    static func decode(_ bytes: [UInt8], what: String) throws -> EventLog {
        var reader = Reader(bytes: bytes, what: what)
        let header = bytes.count >= magic.count ? Array(bytes[0..<magic.count]) : []
        let version1 = header == magicVersion1
        guard header == magic || version1 else {
            throw ShrikeError(.malformed, "not a Shrike event log (bad header); the incident store is damaged, delete the incident", input: what)
        }
        reader.offset = magic.count
        var log = EventLog()
        var stringMap: [UInt64: UInt32] = [0: 0]
        _ = try reader.varint()  // the id limit, informative
        let stringCount = try reader.count()
        for _ in 0..<stringCount {
            let id = try reader.varint()
            let string = try reader.string()
            stringMap[id] = log.tables.strings.retain(string).id
        }
        func str(_ raw: UInt64) throws -> UInt32 {
            guard let id = stringMap[raw] else { throw reader.error("a string id out of range") }
            return id
        }
        let typeCount = try reader.count()
        for _ in 0..<typeCount {
            let name = try reader.string()
            guard let category = EventCategoryCode(rawValue: try reader.byte()) else { throw reader.error("an unknown category") }
            _ = log.tables.typeID(PackedType(name: name, category: category))
        }
        var processMap: [UInt64: UInt32] = [:]
        for _ in 0..<(try reader.count()) {
            let id = try reader.varint()
            let pid = try reader.int32(), tid = try reader.int32(), ppid = try reader.int32()
            let uid = try reader.uint32(), gid = try reader.uint32(), loginuid = try reader.uint32(), tty = try reader.uint32()
            var ids: [UInt32] = []
            for _ in 0..<9 { ids.append(try str(try reader.varint())) }
            var packed = PackedProcess(pid: pid, tid: tid, ppid: ppid, uid: uid, gid: gid, loginuid: loginuid, tty: tty,
                                       name: ids[0], exe: ids[1], args: ids[2], cmdline: ids[3], cwd: ids[4],
                                       containerFullID: ids[5], containerName: ids[6], containerImage: ids[7],
                                       containerRuntime: ids[8])
            if !version1 {
                packed.sid = try reader.int32()
                packed.pgid = try reader.int32()
                packed.flags = try reader.byte()
            }
            processMap[id] = log.tables.processes.retain(packed).id
        }
        var detailMap: [UInt64: UInt32] = [0: 0]
        for _ in 0..<(try reader.count()) {
            let id = try reader.varint()
            var d = PackedDetail()
            d.presence = PackedDetail.Presence(rawValue: UInt16(truncatingIfNeeded: try reader.varint()))
            d.path = try str(try reader.varint())
            d.target = try str(try reader.varint())
            d.flags = try reader.int32()
            d.mode = try reader.uint32()
            d.fileFD = try reader.int32()
            d.family = try reader.int32()
            d.role = try reader.byte()
            d.address = try str(try reader.varint())
            d.port = UInt16(truncatingIfNeeded: try reader.varint())
            d.socketType = try reader.int32()
            d.netFD = try reader.int32()
            if d.presence.contains(.hostName) { d.hostName = try str(try reader.varint()) }
            let argumentCount = try reader.count()
            for _ in 0..<argumentCount { d.arguments.append(try str(try reader.varint())) }
            detailMap[id] = log.tables.details.retain(d).id
        }
        let recordCount = try reader.count()
        var time: UInt64 = 0
        for _ in 0..<recordCount {
            time = time &+ UInt64(bitPattern: try reader.signed())
            guard let process = processMap[try reader.varint()] else { throw reader.error("a process id out of range") }
            guard let detail = detailMap[try reader.varint()] else { throw reader.error("a detail id out of range") }
            let ret = try reader.signed()
            let type = try reader.varint()
            guard type < UInt64(log.tables.types.count) else { throw reader.error("a type id out of range") }
            let fd = version1 ? EventTables.noRecordFD : UInt16(truncatingIfNeeded: try reader.varint()) &- 1
            log.append(time: time, RingRecord(process: process, detail: detail, ret: ret, type: UInt16(type),
                                              fd: fd))
        }
        return log
    }

    struct Reader {
        let bytes: [UInt8]
        let what: String
        var offset = 0

        func error(_ problem: String) -> ShrikeError {
            ShrikeError(.malformed, "the stored events hold \(problem) at byte \(offset); the incident store is damaged, delete the incident", input: what)
        }

        mutating func byte() throws -> UInt8 {
            guard offset < bytes.count else { throw error("a truncated record") }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func varint() throws -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let byte = try byte()
                guard shift < 64 else { throw error("an overlong number") }
                result |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
            }
        }

        mutating func signed() throws -> Int64 {
            let raw = try varint()
            return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
        }

        mutating func int32() throws -> Int32 { Int32(truncatingIfNeeded: try signed()) }
        mutating func uint32() throws -> UInt32 { UInt32(truncatingIfNeeded: try varint()) }

        /// A count that cannot exceed the bytes left (each item takes at least one byte).
        mutating func count() throws -> Int {
            let value = try varint()
            guard value <= UInt64(bytes.count - offset) else { throw error("a count larger than the data") }
            return Int(value)
        }

        mutating func string() throws -> String {
            let length = try count()
            defer { offset += length }
            return String(decoding: bytes[offset..<offset + length], as: UTF8.self)
        }
    }
}
