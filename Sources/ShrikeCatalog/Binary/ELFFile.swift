import ShrikeCore

/// The headers of an ELF file (32 or 64 bit, either byte order): its sections and its loadable segments.
///
/// Reads only the ELF header, the section and program header tables and the section-name string table; section
/// contents are fetched on demand. Every offset and count is checked against the file size, so truncated or hostile
/// files throw `malformed` instead of reading out of bounds.
public struct ELFFile {
    /// One section header, with its name resolved.
    public struct Section: Sendable, Equatable {
        public var name: String
        public var type: UInt32
        public var flags: UInt64
        public var address: UInt64
        public var offset: UInt64
        public var size: UInt64
        /// `SHT_NOBITS` sections (`.bss`) occupy no bytes in the file.
        public var hasFileContent: Bool { type != 8 }
    }

    /// One program header.
    public struct Segment: Sendable, Equatable {
        public var type: UInt32
        public var flags: UInt32
        public var offset: UInt64
        public var virtualAddress: UInt64
        public var fileSize: UInt64
        public var memorySize: UInt64
        public static let load: UInt32 = 1
        public static let executable: UInt32 = 1
        public static let writable: UInt32 = 2
    }

    public static let magic: [UInt8] = [0x7f, 0x45, 0x4c, 0x46]
    /// Section and program header counts above this are treated as hostile.
    static let maxHeaders = 65_535

    public let is64Bit: Bool
    public let bigEndian: Bool
    /// `e_machine` (62 = x86-64, 183 = AArch64, 40 = ARM, 3 = i386, …).
    public let machine: UInt16
    public let sections: [Section]
    public let segments: [Segment]
    let bytes: any BinaryBytes
    let name: String

    /// True when `prefix` starts with the ELF magic.
    public static func isELF(_ prefix: [UInt8]) -> Bool { prefix.count >= 4 && Array(prefix.prefix(4)) == magic }

    /// Parses the headers. Throws `unsupportedFormat` for non-ELF input and `malformed` for broken tables.
    public init(_ bytes: any BinaryBytes, name: String) throws {
        self.bytes = bytes
        self.name = name
        guard bytes.size >= 52 else { throw ShrikeError(.unsupportedFormat, "is too small to be an ELF file", input: name) }
        let ident = try bytes.read(at: 0, count: 16)
        guard Self.isELF(ident) else { throw ShrikeError(.unsupportedFormat, "is not an ELF file", input: name) }
        switch ident[4] {
        case 1: is64Bit = false
        case 2: is64Bit = true
        default: throw ShrikeError(.malformed, "has an unknown ELF class \(ident[4])", input: name)
        }
        switch ident[5] {
        case 1: bigEndian = false
        case 2: bigEndian = true
        default: throw ShrikeError(.malformed, "has an unknown ELF byte order \(ident[5])", input: name)
        }
        let header = try bytes.read(at: 0, count: is64Bit ? 64 : 52)
        let reader = FieldReader(bytes: header, bigEndian: bigEndian)
        machine = reader.u16(18)
        let programOffset, sectionOffset: UInt64
        let programEntrySize, programCount, sectionEntrySize, sectionCount, nameIndex: Int
        if is64Bit {
            programOffset = reader.u64(32)
            sectionOffset = reader.u64(40)
            programEntrySize = Int(reader.u16(54))
            programCount = Int(reader.u16(56))
            sectionEntrySize = Int(reader.u16(58))
            sectionCount = Int(reader.u16(60))
            nameIndex = Int(reader.u16(62))
        } else {
            programOffset = UInt64(reader.u32(28))
            sectionOffset = UInt64(reader.u32(32))
            programEntrySize = Int(reader.u16(42))
            programCount = Int(reader.u16(44))
            sectionEntrySize = Int(reader.u16(46))
            sectionCount = Int(reader.u16(48))
            nameIndex = Int(reader.u16(50))
        }
        segments = try Self.readSegments(bytes, name: name, is64Bit: is64Bit, bigEndian: bigEndian,
                                         offset: programOffset, entrySize: programEntrySize, count: programCount)
        sections = try Self.readSections(bytes, name: name, is64Bit: is64Bit, bigEndian: bigEndian,
                                         offset: sectionOffset, entrySize: sectionEntrySize, count: sectionCount,
                                         nameIndex: nameIndex)
    }

    /// The first section called `name`.
    public func section(named name: String) -> Section? { sections.first { $0.name == name } }

    /// A section's bytes, refusing sections larger than `limit`.
    public func contents(of section: Section, limit: Int = 64 << 20) throws -> [UInt8] {
        guard section.hasFileContent else { return [] }
        guard section.size <= UInt64(limit) else {
            throw ShrikeError(.limitExceeded, "section \(section.name) is \(section.size) bytes, more than \(limit)", input: name)
        }
        return try read(offset: section.offset, count: section.size)
    }

    /// Up to `count` bytes at virtual address `address`, taken from the loadable segment that maps it (stops at
    /// the end of that segment's file content). Nil when no segment maps the address.
    public func read(virtualAddress address: UInt64, upTo count: Int) throws -> [UInt8]? {
        for segment in segments where segment.type == Segment.load && segment.fileSize > 0 {
            guard address >= segment.virtualAddress, address - segment.virtualAddress < segment.fileSize else { continue }
            let delta = address - segment.virtualAddress
            let available = segment.fileSize - delta
            let (offset, overflow) = segment.offset.addingReportingOverflow(delta)
            guard !overflow else { return nil }
            return try read(offset: offset, count: min(UInt64(count), available))
        }
        return nil
    }

    /// Exactly `count` bytes at virtual address `address`, or nil when they are not all mapped from the file.
    public func read(virtualAddress address: UInt64, count: Int) throws -> [UInt8]? {
        guard let bytes = try read(virtualAddress: address, upTo: count), bytes.count == count else { return nil }
        return bytes
    }

    /// An unsigned integer of the file's pointer width and byte order from `bytes` at `index`.
    public func pointer(_ bytes: [UInt8], at index: Int) -> UInt64 {
        let reader = FieldReader(bytes: bytes, bigEndian: bigEndian)
        return is64Bit ? reader.u64(index) : UInt64(reader.u32(index))
    }

    private func read(offset: UInt64, count: UInt64) throws -> [UInt8] {
        guard offset <= UInt64(bytes.size), count <= UInt64(bytes.size) - offset else {
            throw ShrikeError(.malformed, "an ELF table or section runs past the end of the file", input: name)
        }
        return try bytes.read(at: Int64(offset), count: Int(count))
    }

    private static func readSegments(_ bytes: any BinaryBytes, name: String, is64Bit: Bool, bigEndian: Bool,
                                     offset: UInt64, entrySize: Int, count: Int) throws -> [Segment] {
        guard count > 0, offset > 0 else { return [] }
        let minimum = is64Bit ? 56 : 32
        guard entrySize >= minimum, count <= maxHeaders,
              offset <= UInt64(bytes.size), UInt64(entrySize * count) <= UInt64(bytes.size) - offset else {
            throw ShrikeError(.malformed, "has a program header table outside the file", input: name)
        }
        let table = try bytes.read(at: Int64(offset), count: entrySize * count)
        let reader = FieldReader(bytes: table, bigEndian: bigEndian)
        return (0..<count).map { index in
            let base = index * entrySize
            if is64Bit {
                return Segment(type: reader.u32(base), flags: reader.u32(base + 4), offset: reader.u64(base + 8),
                               virtualAddress: reader.u64(base + 16), fileSize: reader.u64(base + 32),
                               memorySize: reader.u64(base + 40))
            }
            return Segment(type: reader.u32(base), flags: reader.u32(base + 24), offset: UInt64(reader.u32(base + 4)),
                           virtualAddress: UInt64(reader.u32(base + 8)), fileSize: UInt64(reader.u32(base + 16)),
                           memorySize: UInt64(reader.u32(base + 20)))
        }
    }

    private static func readSections(_ bytes: any BinaryBytes, name: String, is64Bit: Bool, bigEndian: Bool,
                                     offset: UInt64, entrySize: Int, count: Int, nameIndex: Int) throws -> [Section] {
        // Stripped of section headers (`sstrip`, some packers): callers fall back to the segments.
        guard count > 0, offset > 0 else { return [] }
        let minimum = is64Bit ? 64 : 40
        guard entrySize >= minimum, count <= maxHeaders,
              offset <= UInt64(bytes.size), UInt64(entrySize * count) <= UInt64(bytes.size) - offset else {
            throw ShrikeError(.malformed, "has a section header table outside the file", input: name)
        }
        let table = try bytes.read(at: Int64(offset), count: entrySize * count)
        let reader = FieldReader(bytes: table, bigEndian: bigEndian)
        var raw: [(nameOffset: UInt32, section: Section)] = []
        raw.reserveCapacity(count)
        for index in 0..<count {
            let base = index * entrySize
            let section: Section
            if is64Bit {
                section = Section(name: "", type: reader.u32(base + 4), flags: reader.u64(base + 8),
                                  address: reader.u64(base + 16), offset: reader.u64(base + 24),
                                  size: reader.u64(base + 32))
            } else {
                section = Section(name: "", type: reader.u32(base + 4), flags: UInt64(reader.u32(base + 8)),
                                  address: UInt64(reader.u32(base + 12)), offset: UInt64(reader.u32(base + 16)),
                                  size: UInt64(reader.u32(base + 20)))
            }
            raw.append((reader.u32(base), section))
        }
        // Names come from the section-name string table; a missing or broken one leaves names empty.
        var names: [UInt8] = []
        if nameIndex > 0, nameIndex < raw.count {
            let table = raw[nameIndex].section
            if table.hasFileContent, table.size <= 16 << 20, table.offset <= UInt64(bytes.size),
               table.size <= UInt64(bytes.size) - table.offset {
                names = try bytes.read(at: Int64(table.offset), count: Int(table.size))
            }
        }
        return raw.map { entry in
            var section = entry.section
            let start = Int(clamping: entry.nameOffset)
            if start < names.count {
                let end = names[start...].firstIndex(of: 0) ?? names.count
                section.name = String(decoding: names[start..<end], as: UTF8.self)
            }
            return section
        }
    }
}

/// Fixed-width unsigned integers from a byte buffer in a given byte order. Out-of-range reads return 0: callers
/// only read inside buffers they sized themselves.
struct FieldReader {
    let bytes: [UInt8]
    let bigEndian: Bool

    func u16(_ index: Int) -> UInt16 { UInt16(truncatingIfNeeded: value(index, width: 2)) }
    func u32(_ index: Int) -> UInt32 { UInt32(truncatingIfNeeded: value(index, width: 4)) }
    func u64(_ index: Int) -> UInt64 { value(index, width: 8) }

    private func value(_ index: Int, width: Int) -> UInt64 {
        guard index >= 0, index + width <= bytes.count else { return 0 }
        var result: UInt64 = 0
        for i in 0..<width {
            let byte = UInt64(bytes[bigEndian ? index + i : index + width - 1 - i])
            result = (result << 8) | byte
        }
        return result
    }
}
