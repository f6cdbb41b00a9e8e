import ShrikeCore

/// The two strings a Go linker embeds in every binary: the toolchain version and the module information.
public struct GoBuildInfo: Sendable, Equatable {
    /// `runtime.buildVersion`: `go1.21.5`, `go1.22.0 X:boringcrypto`, `devel go1.23-abc123`.
    public var goVersion: String
    /// `runtime/debug.modinfo` without its sentinel framing; empty for binaries built outside module mode.
    public var modInfo: String
}

/// Reads `GoBuildInfo` from an ELF file, as Go's own `debug/buildinfo` does.
///
/// The blob starts with the 14-byte magic `\xff Go buildinf:`, 16-byte aligned, in the `.go.buildinfo` section, or,
/// when section headers are gone, near the start of the first writable, non-executable loadable segment. Byte 14 is
/// the pointer size, byte 15 the flags: with bit 2 set (Go 1.18+) the two strings follow the 32-byte header inline,
/// each prefixed by its length as a uvarint; otherwise two pointers (in the file's byte order) at offset 16 point at Go
/// string headers (data pointer, length) that are resolved through the loadable segments.
public enum GoBuildInfoReader {
    public static let magic: [UInt8] = [0xff] + Array(" Go buildinf:".utf8)
    /// How much of the data segment is searched for the magic (Go's own reader searches 64 KiB).
    static let searchWindow = 64 * 1024
    /// Longest version or modinfo string accepted.
    static let maxStringLength = 16 << 20

    /// The build info of `elf`, or nil when it is not a Go binary (no magic, or an empty version).
    public static func read(_ elf: ELFFile) throws -> GoBuildInfo? {
        let start: UInt64
        if let section = elf.section(named: ".go.buildinfo") {
            start = section.address
            // Some toolchains leave the section unmapped (address 0, e.g. relocatable objects): read it by offset.
            if section.address == 0 {
                let data = try elf.contents(of: section, limit: maxStringLength * 2)
                return try decode(data, address: nil, elf: elf)
            }
        } else if let data = elf.segments.first(where: {
            $0.type == ELFFile.Segment.load && $0.flags & (ELFFile.Segment.executable | ELFFile.Segment.writable) == ELFFile.Segment.writable
        }) {
            start = data.virtualAddress
        } else {
            return nil
        }
        guard let window = try elf.read(virtualAddress: start, upTo: searchWindow) else { return nil }
        return try decode(window, address: start, elf: elf)
    }

    /// Finds the aligned magic in `data` (read from virtual address `address`, when mapped) and decodes the strings.
    static func decode(_ data: [UInt8], address: UInt64?, elf: ELFFile) throws -> GoBuildInfo? {
        guard let start = alignedMagic(in: data) else { return nil }
        var blob = Array(data[start...])
        if blob[15] & 0x2 != 0, let address, let needed = inlineLength(blob), needed > blob.count {
            // Inline strings longer than the search window (very large modinfo): read exactly what they need.
            guard let longer = try elf.read(virtualAddress: address + UInt64(start), count: needed) else { return nil }
            blob = longer
        }
        let pointerSize = Int(blob[14])
        let flags = blob[15]
        var version: String
        var modInfo: [UInt8]
        if flags & 0x2 != 0 {
            var cursor = 32
            guard let v = uvarintBytes(blob, cursor: &cursor), let m = uvarintBytes(blob, cursor: &cursor) else {
                return nil
            }
            version = String(decoding: v, as: UTF8.self)
            modInfo = m
        } else {
            guard pointerSize == 4 || pointerSize == 8, blob.count >= 16 + 2 * pointerSize else { return nil }
            let reader = FieldReader(bytes: blob, bigEndian: flags & 0x1 != 0)
            func pointer(_ index: Int) -> UInt64 {
                pointerSize == 8 ? reader.u64(index) : UInt64(reader.u32(index))
            }
            guard let v = try goString(at: pointer(16), pointerSize: pointerSize, bigEndian: flags & 0x1 != 0, elf: elf) else {
                return nil
            }
            version = String(decoding: v, as: UTF8.self)
            modInfo = try goString(at: pointer(16 + pointerSize), pointerSize: pointerSize,
                                   bigEndian: flags & 0x1 != 0, elf: elf) ?? []
        }
        version = String(version.prefix { $0 != "\0" })
        guard !version.isEmpty else { return nil }
        // The sentinels are not UTF-8: strip them from the bytes before decoding text.
        return GoBuildInfo(goVersion: version, modInfo: String(decoding: stripFraming(modInfo), as: UTF8.self))
    }

    /// The offset of the first 16-byte-aligned occurrence of the magic that leaves room for the 32-byte header.
    static func alignedMagic(in data: [UInt8]) -> Int? {
        var offset = 0
        while offset + 32 <= data.count {
            if data[offset] == 0xff, Array(data[offset..<offset + 14]) == magic { return offset }
            offset += 16
        }
        return nil
    }

    /// A Go string header (data pointer, length) at `address`, then its bytes.
    static func goString(at address: UInt64, pointerSize: Int, bigEndian: Bool, elf: ELFFile) throws -> [UInt8]? {
        guard address != 0, let header = try elf.read(virtualAddress: address, count: 2 * pointerSize) else { return nil }
        let reader = FieldReader(bytes: header, bigEndian: bigEndian)
        let dataAddress = pointerSize == 8 ? reader.u64(0) : UInt64(reader.u32(0))
        let length = pointerSize == 8 ? reader.u64(8) : UInt64(reader.u32(4))
        guard length > 0 else { return [] }
        guard length <= UInt64(maxStringLength) else { return nil }
        return try elf.read(virtualAddress: dataAddress, count: Int(length))
    }

    /// Bytes from the magic to the end of the second inline string, when the two lengths are readable.
    static func inlineLength(_ blob: [UInt8]) -> Int? {
        var cursor = 32
        guard let first = uvarint(blob, cursor: &cursor), first <= UInt64(maxStringLength) else { return nil }
        var next = cursor + Int(first)
        guard let second = uvarint(blob, cursor: &next), second <= UInt64(maxStringLength) else { return nil }
        return next + Int(second)
    }

    static func uvarint(_ data: [UInt8], cursor: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard cursor >= 0, cursor < data.count, shift < 64 else { return nil }
            let byte = data[cursor]
            cursor += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// A uvarint length followed by that many bytes, advancing `cursor`.
    static func uvarintBytes(_ data: [UInt8], cursor: inout Int) -> [UInt8]? {
        guard let length = uvarint(data, cursor: &cursor) else { return nil }
        guard length <= UInt64(maxStringLength), length <= UInt64(data.count - cursor) else { return nil }
        let bytes = Array(data[cursor..<cursor + Int(length)])
        cursor += Int(length)
        return bytes
    }

    /// Removes the 16-byte sentinels `cmd/go` wraps modinfo in; text without them is not module info.
    static func stripFraming(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 33, bytes[bytes.count - 17] == UInt8(ascii: "\n") else { return [] }
        return Array(bytes[16..<bytes.count - 16])
    }
}
