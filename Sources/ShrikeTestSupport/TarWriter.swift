/// Writes tar archives into memory, honestly or, when an entry's overrides say so, with hostile headers.
///
/// Headers are POSIX ustar (`ustar\0` `00`) with correct checksums. Names and link names longer than the ustar
/// fields go into a PAX `x` header (default), a GNU `L`/`K` entry, or the ustar prefix field, as `longNames` says;
/// sizes of 8 GiB and more get a PAX `size` record (GNU mode: base-256). Call `finish()` for the two zero blocks
/// that end an archive; leave it out (or slice `bytes`) to make a truncated one.
public struct TarWriter: Sendable {
    /// Where names that do not fit the 100-byte name field go.
    public enum LongNameStyle: Sendable, Equatable {
        /// A PAX extended header (`x`) with `path`/`linkpath` records, as Docker, podman and Go write.
        case pax
        /// A GNU `././@LongLink` entry of type `L` (names) or `K` (link names), as GNU tar writes by default.
        case gnu
        /// The ustar 155-byte prefix field, split at a `/`; falls back to PAX when no split fits.
        case ustarPrefix
    }

    /// The archive written so far.
    public private(set) var bytes: [UInt8] = []
    /// Prefix every name that does not start with `/` or `./` with `./` (Docker-built base layers do; podman
    /// build layers don't).
    public var dotSlashPrefix: Bool
    public var longNames: LongNameStyle

    public static let blockSize = 512
    /// The largest size an 11-digit octal field can hold (8 GiB - 1).
    public static let maxOctalSize: Int64 = 0o77777777777

    public init(dotSlashPrefix: Bool = false, longNames: LongNameStyle = .pax) {
        self.dotSlashPrefix = dotSlashPrefix
        self.longNames = longNames
    }

    /// A complete archive (entries plus end-of-archive blocks) in one call.
    public static func archive(_ entries: [TarEntry], dotSlashPrefix: Bool = false, longNames: LongNameStyle = .pax) -> [UInt8] {
        var writer = TarWriter(dotSlashPrefix: dotSlashPrefix, longNames: longNames)
        writer.append(contentsOf: entries)
        writer.finish()
        return writer.bytes
    }

    public mutating func append(contentsOf entries: [TarEntry]) {
        for entry in entries { append(entry) }
    }

    /// Appends one entry: any PAX or GNU long-name header it needs, its ustar header, its data and padding.
    public mutating func append(_ entry: TarEntry) {
        let overrides = entry.overrides
        var name = entry.name
        if !overrides.rawName {
            if dotSlashPrefix, name.first != UInt8(ascii: "/"), !name.starts(with: Array("./".utf8)) {
                name = Array("./".utf8) + name
            }
            if entry.kind == .directory, name.last != UInt8(ascii: "/") { name.append(UInt8(ascii: "/")) }
        }
        let declaredSize = overrides.declaredSize ?? Int64(entry.data.count)

        var pax = entry.extraPAXRecords
        var headerName = name
        var headerPrefix: [UInt8] = []
        var headerLinkName = entry.linkName
        var sizeEncoding = overrides.sizeEncoding
        var gnuMagic = false

        if !overrides.rawName {
            if overrides.forcePAXName {
                pax.append(PAXRecord("path", name))
                headerName = Array(name.prefix(100))
                if !entry.linkName.isEmpty {
                    pax.append(PAXRecord("linkpath", entry.linkName))
                    headerLinkName = Array(entry.linkName.prefix(100))
                }
            } else {
                if name.count > 100 {
                    switch longNames {
                    case .pax:
                        pax.append(PAXRecord("path", name))
                        headerName = Array(name.prefix(100))
                    case .gnu:
                        appendGNULongLink(type: UInt8(ascii: "L"), value: name)
                        headerName = Array(name.prefix(100))
                        gnuMagic = true
                    case .ustarPrefix:
                        if let (prefix, rest) = Self.splitForPrefix(name) {
                            headerPrefix = prefix
                            headerName = rest
                        } else {
                            pax.append(PAXRecord("path", name))
                            headerName = Array(name.prefix(100))
                        }
                    }
                }
                if entry.linkName.count > 100 {
                    if longNames == .gnu {
                        appendGNULongLink(type: UInt8(ascii: "K"), value: entry.linkName)
                        gnuMagic = true
                    } else {
                        pax.append(PAXRecord("linkpath", entry.linkName))
                    }
                    headerLinkName = Array(entry.linkName.prefix(100))
                }
            }
        }
        if sizeEncoding == .automatic, declaredSize > Self.maxOctalSize {
            sizeEncoding = (longNames == .gnu) ? .base256 : .pax
        }
        if sizeEncoding == .pax { pax.append(PAXRecord("size", String(declaredSize))) }
        if entry.uid > 0o7777777 { pax.append(PAXRecord("uid", String(entry.uid))) }
        if entry.gid > 0o7777777 { pax.append(PAXRecord("gid", String(entry.gid))) }

        if !pax.isEmpty {
            let body = Self.paxBody(pax)
            let baseName = name.split(separator: UInt8(ascii: "/")).last.map(Array.init) ?? []
            var paxEntry = TarEntry(name: Array("PaxHeaders.0/".utf8) + baseName.prefix(80), kind: .regular, data: body)
            paxEntry.modificationTime = entry.modificationTime
            var header = Self.header(name: paxEntry.name, entry: paxEntry, typeFlag: UInt8(ascii: "x"),
                                     linkName: [], prefix: [], size: Int64(body.count), sizeEncoding: .automatic,
                                     gnuMagic: false)
            Self.sealChecksum(&header, .correct)
            bytes += header
            appendData(body, padding: nil)
        }

        var header = Self.header(name: headerName, entry: entry, typeFlag: entry.kind.typeFlag, linkName: headerLinkName,
                                 prefix: headerPrefix, size: sizeEncoding == .pax ? 0 : declaredSize,
                                 sizeEncoding: sizeEncoding, gnuMagic: gnuMagic)
        Self.sealChecksum(&header, overrides.checksum)
        bytes += header
        appendData(entry.data, padding: overrides.dataPadding)
    }

    /// Appends bytes exactly as given: a hand-made header, garbage, a partial block.
    public mutating func appendRaw(_ raw: [UInt8]) {
        bytes += raw
    }

    /// Appends the end-of-archive marker (`zeroBlocks` blocks of zeros; POSIX says two).
    public mutating func finish(zeroBlocks: Int = 2) {
        bytes += [UInt8](repeating: 0, count: zeroBlocks * Self.blockSize)
    }

    /// Cuts the archive to its first `count` bytes, e.g. in the middle of a file's data.
    public mutating func truncate(to count: Int) {
        bytes = Array(bytes.prefix(max(0, count)))
    }

    /// A 512-byte ustar header for `entry` with a correct checksum, for tests that want to edit one by hand
    /// (then call `TarWriter.sealChecksum` again, or not).
    public static func header(for entry: TarEntry) -> [UInt8] {
        var header = header(name: entry.name, entry: entry, typeFlag: entry.kind.typeFlag, linkName: entry.linkName,
                            prefix: [], size: entry.overrides.declaredSize ?? Int64(entry.data.count),
                            sizeEncoding: entry.overrides.sizeEncoding == .base256 ? .base256 : .automatic,
                            gnuMagic: false)
        sealChecksum(&header, entry.overrides.checksum)
        return header
    }

    /// Writes the checksum of a 512-byte header into its field (bytes 148..<156), correct or as `checksum` says.
    public static func sealChecksum(_ header: inout [UInt8], _ checksum: TarHeaderOverrides.Checksum = .correct) {
        for index in 148..<156 { header[index] = UInt8(ascii: " ") }
        let sum = header.reduce(0) { $0 + Int($1) }
        let value: Int
        switch checksum {
        case .correct: value = sum
        case .wrong: value = sum + 1
        case .value(let forced): value = forced
        }
        // "%06o\0 " as GNU tar and Go write it.
        let digits = Array(String(value, radix: 8).utf8)
        let padded = [UInt8](repeating: UInt8(ascii: "0"), count: max(0, 6 - digits.count)) + digits.suffix(6)
        for (offset, byte) in padded.enumerated() { header[148 + offset] = byte }
        header[154] = 0
        header[155] = UInt8(ascii: " ")
    }

    /// Encodes PAX records as `"<len> key=value\n"` lines, where `<len>` counts the whole line including itself.
    public static func paxBody(_ records: [PAXRecord]) -> [UInt8] {
        var body: [UInt8] = []
        for record in records {
            let payload = Array(" \(record.key)=".utf8) + record.value + [UInt8(ascii: "\n")]
            var length = payload.count + 1
            while String(length).utf8.count + payload.count != length { length = String(length).utf8.count + payload.count }
            body += Array(String(length).utf8) + payload
        }
        return body
    }

    // MARK: - Private

    private mutating func appendGNULongLink(type: UInt8, value: [UInt8]) {
        let data = value + [0]
        let entry = TarEntry(name: Array("././@LongLink".utf8), kind: .regular, data: data, modificationTime: 0)
        var header = Self.header(name: entry.name, entry: entry, typeFlag: type, linkName: [], prefix: [],
                                 size: Int64(data.count), sizeEncoding: .automatic, gnuMagic: true)
        Self.sealChecksum(&header, .correct)
        bytes += header
        appendData(data, padding: nil)
    }

    private mutating func appendData(_ data: [UInt8], padding: Int?) {
        bytes += data
        let pad = padding ?? ((Self.blockSize - data.count % Self.blockSize) % Self.blockSize)
        bytes += [UInt8](repeating: 0, count: pad)
    }

    private static func splitForPrefix(_ name: [UInt8]) -> ([UInt8], [UInt8])? {
        guard name.count <= 256 else { return nil }
        for index in name.indices.reversed() where name[index] == UInt8(ascii: "/") {
            let prefix = Array(name[..<index])
            let rest = Array(name[(index + 1)...])
            if prefix.count <= 155, rest.count <= 100, !rest.isEmpty { return (prefix, rest) }
        }
        return nil
    }

    private static func header(name: [UInt8], entry: TarEntry, typeFlag: UInt8, linkName: [UInt8], prefix: [UInt8],
                               size: Int64, sizeEncoding: TarHeaderOverrides.SizeEncoding, gnuMagic: Bool) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: blockSize)
        put(&header, 0, 100, name)
        putOctal(&header, 100, 8, Int64(entry.mode & 0o7777))
        putOctal(&header, 108, 8, Int64(entry.uid > 0o7777777 ? 0 : entry.uid))
        putOctal(&header, 116, 8, Int64(entry.gid > 0o7777777 ? 0 : entry.gid))
        if sizeEncoding == .base256 || size > maxOctalSize {
            putBase256(&header, 124, 12, size)
        } else {
            putOctal(&header, 124, 12, size)
        }
        putOctal(&header, 136, 12, Int64(entry.modificationTime))
        header[156] = typeFlag
        put(&header, 157, 100, linkName)
        if gnuMagic {
            put(&header, 257, 8, Array("ustar  ".utf8) + [0])
        } else {
            put(&header, 257, 6, Array("ustar".utf8) + [0])
            put(&header, 263, 2, Array("00".utf8))
        }
        put(&header, 265, 32, Array(entry.userName.utf8))
        put(&header, 297, 32, Array(entry.groupName.utf8))
        if entry.kind == .characterDevice || entry.kind == .blockDevice {
            putOctal(&header, 329, 8, Int64(entry.deviceMajor))
            putOctal(&header, 337, 8, Int64(entry.deviceMinor))
        }
        put(&header, 345, 155, prefix)
        return header
    }

    private static func put(_ header: inout [UInt8], _ offset: Int, _ width: Int, _ value: [UInt8]) {
        for (index, byte) in value.prefix(width).enumerated() { header[offset + index] = byte }
    }

    /// Zero-padded octal in `width - 1` digits, then NUL.
    private static func putOctal(_ header: inout [UInt8], _ offset: Int, _ width: Int, _ value: Int64) {
        let digits = Array(String(max(0, value), radix: 8).utf8).suffix(width - 1)
        let padded = [UInt8](repeating: UInt8(ascii: "0"), count: width - 1 - digits.count) + digits
        put(&header, offset, width, padded + [0])
    }

    /// GNU base-256: first byte 0x80, then the value big-endian in the remaining bytes.
    private static func putBase256(_ header: inout [UInt8], _ offset: Int, _ width: Int, _ value: Int64) {
        var field = [UInt8](repeating: 0, count: width)
        var remaining = UInt64(max(0, value))
        for index in stride(from: width - 1, through: 1, by: -1) {
            field[index] = UInt8(remaining & 0xff)
            remaining >>= 8
        }
        field[0] = 0x80
        put(&header, offset, width, field)
    }
}
