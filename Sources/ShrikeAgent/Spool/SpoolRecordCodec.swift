import CShrikeZlib

/// The segment file's record framing, as a pure function of bytes (no I/O).
///
/// A record is `length: UInt32 LE` (bytes after the CRC), `crc: UInt32 LE` (zlib CRC-32 of those bytes), then
/// `seq: UInt64 LE`, `kind: UInt8` and the body. A crash can leave a record half written: `scan` stops at a record
/// whose length runs past the end (a torn tail) and skips, counted, a record whose CRC does not match.
package enum SpoolRecordCodec {
    /// Bytes before the body: length, CRC, seq, kind.
    package static let headerSize = 17
    /// The largest body a record may have (the wire's request limit is 16 MiB, and a record must fit one request).
    package static let maxBodySize = 15 << 20

    package static func encode(_ record: SpoolRecord, into out: inout [UInt8]) {
        let length = UInt32(9 + record.body.count)
        let start = out.count
        appendLittleEndian(length, to: &out)
        appendLittleEndian(UInt32(0), to: &out)
        appendLittleEndian(record.seq, to: &out)
        out.append(record.kind.rawValue)
        out.append(contentsOf: record.body)
        let crc = checksum(out[(start + 8)...])
        withUnsafeBytes(of: crc.littleEndian) { raw in
            for (index, byte) in raw.enumerated() { out[start + 4 + index] = byte }
        }
    }

    /// Where one record lies in a segment.
    package struct Entry: Equatable, Sendable {
        package var seq: UInt64
        package var kind: SpoolKind
        /// Offset of the record's length field.
        package var offset: Int
        /// The whole record's size, header included.
        package var size: Int
    }

    /// What `scan` found in a segment's bytes.
    package struct ScanResult: Equatable, Sendable {
        package var entries: [Entry] = []
        /// The end of the last whole record: everything after it is a torn tail.
        package var validEnd = 0
        /// Records skipped because their CRC did not match (or their kind is unknown).
        package var corrupt = 0
    }

    package static func scan(_ bytes: [UInt8]) -> ScanResult {
        var result = ScanResult()
        var offset = 0
        while bytes.count - offset >= headerSize {
            let length = Int(readLittleEndian(UInt32.self, bytes, at: offset))
            guard length >= 9, length <= maxBodySize + 9, offset + 8 + length <= bytes.count else { break }
            let stored = readLittleEndian(UInt32.self, bytes, at: offset + 4)
            let payload = bytes[(offset + 8)..<(offset + 8 + length)]
            let seq = readLittleEndian(UInt64.self, bytes, at: offset + 8)
            if checksum(payload) == stored, let kind = SpoolKind(rawValue: bytes[offset + 16]) {
                result.entries.append(Entry(seq: seq, kind: kind, offset: offset, size: 8 + length))
            } else {
                // The length was plausible, so the next record starts after it: one bad record, not the rest.
                result.corrupt += 1
            }
            offset += 8 + length
            result.validEnd = offset
        }
        return result
    }

    /// Decodes the body of the record at `entry` from exactly its bytes (as read back from the segment).
    package static func decode(_ bytes: [UInt8], entry: Entry) -> SpoolRecord? {
        guard bytes.count == entry.size, bytes.count >= headerSize else { return nil }
        let stored = readLittleEndian(UInt32.self, bytes, at: 4)
        guard checksum(bytes[8...]) == stored else { return nil }
        return SpoolRecord(seq: entry.seq, kind: entry.kind, body: Array(bytes[headerSize...]))
    }

    package static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { buffer in
            UInt32(truncatingIfNeeded: crc32(0, buffer.baseAddress, uInt(buffer.count)))
        }
    }

    private static func appendLittleEndian<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    private static func readLittleEndian<T: FixedWidthInteger>(_: T.Type, _ bytes: [UInt8], at offset: Int) -> T {
        var value: T = 0
        for index in 0..<MemoryLayout<T>.size {
            value |= T(bytes[offset + index]) << (8 * index)
        }
        return value
    }
}
