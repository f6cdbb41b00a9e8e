import ShrikeCore

/// Reads a tar archive (ustar, PAX, GNU long names, base-256 numbers) entry by entry from a stream.
///
/// Nothing is buffered beyond one 512-byte block and the current entry's metadata: bodies are streamed through
/// `readBody` or skipped. Metadata entries (PAX headers, GNU long names) are capped at 1 MiB so a hostile archive
/// cannot make the reader allocate without bound. Input that is not a tar archive, or ends in the middle of an
/// entry, throws `malformed` naming `what`.
public final class TarReader {
    private let stream: any ByteStream
    private let what: String
    private var bodyRemaining: Int64 = 0
    private var padding: Int64 = 0
    private var globalPAX: [String: String] = [:]
    private var ended = false
    private var entriesRead = 0
    static let metadataLimit = 1 << 20

    /// - Parameter buffered: false when `stream` is already buffered and its position must stay exact (indexing an
    ///   archive records body offsets from the stream's position).
    public init(_ stream: any ByteStream, what: String, buffered: Bool = true) {
        self.stream = buffered ? BufferedStream(stream) : stream
        self.what = what
    }

    /// The next entry, or nil at the end of the archive. Unread body bytes of the previous entry are skipped.
    public func next() throws -> TarEntry? {
        if ended { return nil }
        try skipRest()
        var paxPath: String?
        var paxLink: String?
        var paxSize: Int64?
        var paxUID: Int?
        var paxGID: Int?
        var gnuName: String?
        var gnuLink: String?
        while true {
            guard let block = try readBlock(allowEOF: true) else {
                // No end-of-archive marker: accepted when nothing was cut off mid-entry (some writers omit it).
                if entriesRead == 0 {
                    throw ShrikeError(.malformed, "is empty, not a tar archive", input: what)
                }
                ended = true
                return nil
            }
            if block.allSatisfy({ $0 == 0 }) {
                ended = true
                return nil
            }
            guard Self.checksumMatches(block) else {
                if entriesRead == 0 {
                    throw ShrikeError(.malformed, "is not a tar archive (bad header checksum in the first block)", input: what)
                }
                throw ShrikeError(.malformed, "corrupt tar header after entry \(entriesRead) (bad checksum)", input: what)
            }
            entriesRead += 1
            let typeflag = block[156]
            let isUstar = block[257..<262].elementsEqual("ustar".utf8)
            let isPOSIXUstar = isUstar && block[263] == UInt8(ascii: "0")
            var size = try Self.number(block[124..<136], field: "size", what: what)
            if let paxSize { size = paxSize }
            guard size >= 0 else { throw ShrikeError(.malformed, "negative entry size", input: what) }

            switch typeflag {
            case UInt8(ascii: "x"), UInt8(ascii: "g"):
                let records = try Self.parsePAX(try readMetadata(size: size), what: what)
                if typeflag == UInt8(ascii: "g") {
                    globalPAX.merge(records) { $1 }
                    continue
                }
                paxPath = records["path"] ?? paxPath
                paxLink = records["linkpath"] ?? paxLink
                if let s = records["size"] {
                    guard let v = Int64(s), v >= 0 else {
                        throw ShrikeError(.malformed, "PAX size '\(s)' is not a number", input: what)
                    }
                    paxSize = v
                }
                if let u = records["uid"] { paxUID = Int(u) }
                if let g = records["gid"] { paxGID = Int(g) }
                continue
            case UInt8(ascii: "L"):
                gnuName = Self.cString(try readMetadata(size: size)[...])
                continue
            case UInt8(ascii: "K"):
                gnuLink = Self.cString(try readMetadata(size: size)[...])
                continue
            default:
                break
            }

            var name = Self.cString(block[0..<100])
            if isPOSIXUstar {
                let prefix = Self.cString(block[345..<500])
                if !prefix.isEmpty { name = prefix + "/" + name }
            }
            if let n = gnuName { name = n }
            if let p = paxPath ?? globalPAX["path"] { name = p }
            var link = Self.cString(block[157..<257])
            if let l = gnuLink { link = l }
            if let l = paxLink { link = l }

            let kind: TarEntry.Kind
            switch typeflag {
            case 0, UInt8(ascii: "0"), UInt8(ascii: "7"):
                kind = name.hasSuffix("/") && typeflag == 0 ? .directory : .regular
            case UInt8(ascii: "1"): kind = .hardlink
            case UInt8(ascii: "2"): kind = .symlink
            case UInt8(ascii: "3"): kind = .characterDevice
            case UInt8(ascii: "4"): kind = .blockDevice
            case UInt8(ascii: "5"): kind = .directory
            case UInt8(ascii: "6"): kind = .fifo
            default: kind = .other(typeflag)
            }
            let mode = try Self.number(block[100..<108], field: "mode", what: what)
            let uid = try paxUID ?? Int(Self.number(block[108..<116], field: "uid", what: what))
            let gid = try paxGID ?? Int(Self.number(block[116..<124], field: "gid", what: what))
            let mtime = try Self.number(block[136..<148], field: "mtime", what: what)

            // Hard links, symlinks and directories carry no body even when a size is recorded (ustar rule for links).
            let hasBody: Bool
            switch kind {
            case .regular, .other: hasBody = true
            default: hasBody = false
            }
            bodyRemaining = hasBody ? size : 0
            padding = hasBody ? (512 - size % 512) % 512 : 0
            return TarEntry(name: name, kind: kind, size: hasBody ? size : 0, mode: UInt32(truncatingIfNeeded: mode & 0o7777),
                            uid: uid, gid: gid, linkName: link, modificationTime: mtime)
        }
    }

    /// Reads up to `buffer.count` bytes of the current entry's body; 0 at its end.
    public func readBody(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard bodyRemaining > 0 else { return 0 }
        let want = Int(min(Int64(buffer.count), bodyRemaining))
        let n = try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]))
        if n == 0 {
            throw ShrikeError(.malformed, "tar archive is truncated: an entry's content ends \(bodyRemaining) bytes early", input: what)
        }
        bodyRemaining -= Int64(n)
        return n
    }

    /// Reads the whole body of the current entry (which must be at most `limit` bytes).
    public func readBody(limit: Int) throws -> [UInt8] {
        guard bodyRemaining <= Int64(limit) else {
            throw ShrikeError(.limitExceeded, "entry of \(bodyRemaining) bytes exceeds the \(limit)-byte limit", input: what)
        }
        let count = Int(bodyRemaining)
        let bytes = try stream.readFully(count)
        guard bytes.count == count else {
            throw ShrikeError(.malformed, "tar archive is truncated inside an entry", input: what)
        }
        bodyRemaining = 0
        return bytes
    }

    /// Reads the rest of the underlying stream after the end-of-archive marker (so digests cover every byte).
    public func finish() throws {
        while try next() != nil {}
        try stream.drain()
    }

    // MARK: - Internals

    private func skipRest() throws {
        var toSkip = bodyRemaining + padding
        bodyRemaining = 0
        padding = 0
        guard toSkip > 0 else { return }
        let skipped = try stream.skip(toSkip)
        if skipped < toSkip {
            throw ShrikeError(.malformed, "tar archive is truncated: \(toSkip - skipped) bytes missing", input: what)
        }
        toSkip = 0
    }

    private func readBlock(allowEOF: Bool) throws -> [UInt8]? {
        let block = try stream.readFully(512)
        if block.isEmpty && allowEOF { return nil }
        guard block.count == 512 else {
            if entriesRead == 0 {
                throw ShrikeError(.malformed, "is not a tar archive (shorter than one 512-byte header)", input: what)
            }
            throw ShrikeError(.malformed, "tar archive is truncated inside a header", input: what)
        }
        return block
    }

    private func readMetadata(size: Int64) throws -> [UInt8] {
        guard size <= Int64(Self.metadataLimit) else {
            throw ShrikeError(.limitExceeded, "extended header of \(size) bytes is over the 1 MiB limit", input: what)
        }
        let bytes = try stream.readFully(Int(size))
        guard bytes.count == Int(size) else {
            throw ShrikeError(.malformed, "tar archive is truncated inside an extended header", input: what)
        }
        let pad = (512 - size % 512) % 512
        if pad > 0 {
            guard try stream.readFully(Int(pad)).count == Int(pad) else {
                throw ShrikeError(.malformed, "tar archive is truncated inside an extended header", input: what)
            }
        }
        return bytes
    }

    static func checksumMatches(_ block: [UInt8]) -> Bool {
        guard let stored = try? number(block[148..<156], field: "checksum", what: "") else { return false }
        // The checksum field itself counts as eight spaces.
        var unsigned = 8 * 32
        var signed = 8 * 32
        block.withUnsafeBufferPointer { bytes in
            for i in 0..<148 {
                unsigned &+= Int(bytes[i])
                signed &+= Int(Int8(bitPattern: bytes[i]))
            }
            for i in 156..<512 {
                unsigned &+= Int(bytes[i])
                signed &+= Int(Int8(bitPattern: bytes[i]))
            }
        }
        return stored == Int64(unsigned) || stored == Int64(signed)
    }

    /// Parses an octal (space/NUL padded) or base-256 (high bit set) numeric field.
    static func number(_ field: ArraySlice<UInt8>, field name: String, what: String) throws -> Int64 {
        guard let first = field.first else { return 0 }
        if first & 0x80 != 0 {
            // Base-256: big-endian two's complement in the remaining bits; only non-negative values fit our use.
            if first == 0xff {
                throw ShrikeError(.malformed, "negative base-256 \(name) field in tar header", input: what)
            }
            var value: Int64 = Int64(first & 0x7f)
            for byte in field.dropFirst() {
                guard value < (Int64.max >> 8) else {
                    throw ShrikeError(.malformed, "tar \(name) field overflows", input: what)
                }
                value = (value << 8) | Int64(byte)
            }
            return value
        }
        var value: Int64 = 0
        var seenDigit = false
        for byte in field {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                guard value < (Int64.max >> 3) else {
                    throw ShrikeError(.malformed, "tar \(name) field overflows", input: what)
                }
                value = value * 8 + Int64(byte - UInt8(ascii: "0"))
                seenDigit = true
            case UInt8(ascii: " "), 0:
                if seenDigit { return value }
            default:
                throw ShrikeError(.malformed, "tar \(name) field is not an octal number", input: what)
            }
        }
        return value
    }

    static func cString(_ bytes: ArraySlice<UInt8>) -> String {
        let end = bytes.firstIndex(of: 0) ?? bytes.endIndex
        return String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
    }

    /// Parses PAX records: `<length> <key>=<value>\n`, where length counts the whole record.
    static func parsePAX(_ bytes: [UInt8], what: String) throws -> [String: String] {
        var records: [String: String] = [:]
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0 { break }
            guard let space = bytes[i...].firstIndex(of: UInt8(ascii: " ")),
                  let length = Int(String(decoding: bytes[i..<space], as: UTF8.self)),
                  length > space - i, i + length <= bytes.count, bytes[i + length - 1] == UInt8(ascii: "\n")
            else {
                throw ShrikeError(.malformed, "malformed PAX extended header record", input: what)
            }
            let record = bytes[(space + 1)..<(i + length - 1)]
            if let eq = record.firstIndex(of: UInt8(ascii: "=")) {
                let key = String(decoding: record[record.startIndex..<eq], as: UTF8.self)
                // Values are raw bytes: a name may legitimately hold a NUL here, which the tree rejects later.
                let value = String(decoding: record[(eq + 1)...], as: UTF8.self)
                records[key] = value
            }
            i += length
        }
        return records
    }
}
