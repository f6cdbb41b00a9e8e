/// Builds small ELF files in memory for reader tests: one writable loadable segment holding the given sections,
/// optionally a section header table. Covers what real toolchains here cannot produce (Go before 1.18's
/// pointer-based build info, 32-bit big-endian files) and hostile variants.
struct SyntheticELF {
    var is64Bit = true
    var bigEndian = false
    var withSectionHeaders = true
    /// Placed in order, 16-byte aligned, inside one RW `PT_LOAD` segment.
    var sections: [(name: String, data: [UInt8])] = []

    static let dataOffset = 0x1000
    static let baseAddress: UInt64 = 0x50_0000

    /// The virtual address each section will get, from the sizes of the sections in order.
    static func addresses(sizes: [Int]) -> [UInt64] {
        var addresses: [UInt64] = []
        var offset = 0
        for size in sizes {
            addresses.append(baseAddress + UInt64(offset))
            offset = (offset + size + 15) & ~15
        }
        return addresses
    }

    func build() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Self.dataOffset)
        let addresses = Self.addresses(sizes: sections.map(\.data.count))
        for (index, section) in sections.enumerated() {
            let offset = Self.dataOffset + Int(addresses[index] - Self.baseAddress)
            if out.count < offset { out += [UInt8](repeating: 0, count: offset - out.count) }
            out += section.data
        }
        let dataSize = out.count - Self.dataOffset
        // Section-name string table after the data.
        var names: [UInt8] = [0]
        var nameOffsets: [Int] = []
        for section in sections + [(name: ".shstrtab", data: [])] {
            nameOffsets.append(names.count)
            names += Array(section.name.utf8) + [0]
        }
        let namesOffset = out.count
        out += names
        while out.count % 8 != 0 { out.append(0) }
        let sectionTableOffset = out.count
        let sectionEntrySize = is64Bit ? 64 : 40
        if withSectionHeaders {
            out += [UInt8](repeating: 0, count: sectionEntrySize)  // the null section
            for (index, section) in sections.enumerated() {
                let address = addresses[index]
                out += sectionHeader(name: nameOffsets[index], type: 1, flags: 3, address: address,
                                     offset: UInt64(Self.dataOffset) + (address - Self.baseAddress),
                                     size: UInt64(section.data.count))
            }
            out += sectionHeader(name: nameOffsets[sections.count], type: 3, flags: 0, address: 0,
                                 offset: UInt64(namesOffset), size: UInt64(names.count))
        }
        // ELF header and the single program header.
        var header: [UInt8] = [0x7f, 0x45, 0x4c, 0x46, is64Bit ? 2 : 1, bigEndian ? 2 : 1, 1, 0]
        header += [UInt8](repeating: 0, count: 8)
        header += u16(2) + u16(is64Bit ? 62 : 3) + u32(1)
        let headerSize = is64Bit ? 64 : 52
        let programEntrySize = is64Bit ? 56 : 32
        let sectionCount = withSectionHeaders ? sections.count + 2 : 0
        header += word(Self.baseAddress) + word(UInt64(headerSize)) + word(withSectionHeaders ? UInt64(sectionTableOffset) : 0)
        header += u32(0) + u16(headerSize) + u16(programEntrySize) + u16(1) + u16(sectionEntrySize)
        header += u16(sectionCount) + u16(withSectionHeaders ? sections.count + 1 : 0)
        var program: [UInt8]
        if is64Bit {
            program = u32(1) + u32(6) + u64(UInt64(Self.dataOffset)) + u64(Self.baseAddress) + u64(Self.baseAddress)
                + u64(UInt64(dataSize)) + u64(UInt64(dataSize)) + u64(0x1000)
        } else {
            program = u32(1) + u32(UInt32(Self.dataOffset)) + u32(UInt32(Self.baseAddress)) + u32(UInt32(Self.baseAddress))
                + u32(UInt32(dataSize)) + u32(UInt32(dataSize)) + u32(6) + u32(0x1000)
        }
        let prefix = header + program
        out.replaceSubrange(0..<prefix.count, with: prefix)
        return out
    }

    private func sectionHeader(name: Int, type: UInt32, flags: UInt64, address: UInt64, offset: UInt64,
                               size: UInt64) -> [UInt8] {
        if is64Bit {
            return u32(UInt32(name)) + u32(type) + u64(flags) + u64(address) + u64(offset) + u64(size)
                + u32(0) + u32(0) + u64(16) + u64(0)
        }
        return u32(UInt32(name)) + u32(type) + u32(UInt32(flags)) + u32(UInt32(address)) + u32(UInt32(offset))
            + u32(UInt32(size)) + u32(0) + u32(0) + u32(16) + u32(0)
    }

    func word(_ value: UInt64) -> [UInt8] { is64Bit ? u64(value) : u32(UInt32(value)) }
    func u16(_ value: Int) -> [UInt8] { bytes(UInt64(value), width: 2) }
    func u32(_ value: UInt32) -> [UInt8] { bytes(UInt64(value), width: 4) }
    func u64(_ value: UInt64) -> [UInt8] { bytes(value, width: 8) }

    func bytes(_ value: UInt64, width: Int) -> [UInt8] {
        let little = (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
        return bigEndian ? little.reversed() : little
    }
}

/// Go build-info blobs as the Go linker lays them out.
enum GoBlob {
    static let magic: [UInt8] = [0xff] + Array(" Go buildinf:".utf8)
    /// cmd/go's modinfo sentinels (modload.infoStart / infoEnd).
    static let infoStart: [UInt8] = [0x30, 0x77, 0xaf, 0x0c, 0x92, 0x74, 0x08, 0x02, 0x41, 0xe1, 0xc1, 0x07, 0xe6, 0xd6, 0x18, 0xe6]
    static let infoEnd: [UInt8] = [0xf9, 0x32, 0x43, 0x31, 0x86, 0x18, 0x20, 0x72, 0x00, 0x82, 0x42, 0x10, 0x41, 0x16, 0xd8, 0xf2]

    static func framed(_ modInfo: String) -> [UInt8] { infoStart + Array(modInfo.utf8) + infoEnd }

    static func uvarint(_ value: Int) -> [UInt8] {
        var v = UInt64(value)
        var out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(v & 0x7f) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
        return out
    }

    /// Go 1.18+: flags bit 2, strings inline after the 32-byte header.
    static func inlineELF(version: String, modInfo: String, is64Bit: Bool = true, bigEndian: Bool = false,
                          withSectionHeaders: Bool = true, framedModInfo: [UInt8]? = nil) -> [UInt8] {
        let mod = framedModInfo ?? framed(modInfo)
        var blob = magic + [is64Bit ? 8 : 4, 0x2 | (bigEndian ? 1 : 0)]
        blob += [UInt8](repeating: 0, count: 32 - blob.count)
        blob += uvarint(version.utf8.count) + Array(version.utf8) + uvarint(mod.count) + mod
        var elf = SyntheticELF(is64Bit: is64Bit, bigEndian: bigEndian, withSectionHeaders: withSectionHeaders)
        elf.sections = [(".go.buildinfo", blob)]
        return elf.build()
    }

    /// Go before 1.18: two pointers to Go string headers, resolved through the loadable segment.
    static func pointerELF(version: String, modInfo: String, is64Bit: Bool = true, bigEndian: Bool = false,
                           withSectionHeaders: Bool = true) -> [UInt8] {
        var elf = SyntheticELF(is64Bit: is64Bit, bigEndian: bigEndian, withSectionHeaders: withSectionHeaders)
        let pointerSize = is64Bit ? 8 : 4
        let mod = framed(modInfo)
        let versionBytes = Array(version.utf8)
        let dataSize = 4 * pointerSize + versionBytes.count + mod.count
        let addresses = SyntheticELF.addresses(sizes: [32, dataSize])
        let data = addresses[1]
        let versionHeader = data
        let modHeader = data + UInt64(2 * pointerSize)
        let versionText = data + UInt64(4 * pointerSize)
        let modText = versionText + UInt64(versionBytes.count)
        var blob = magic + [UInt8(pointerSize), bigEndian ? 1 : 0]
        blob += elf.word(versionHeader) + elf.word(modHeader)
        blob += [UInt8](repeating: 0, count: 32 - blob.count)
        let strings = elf.word(versionText) + elf.word(UInt64(versionBytes.count)) + elf.word(modText)
            + elf.word(UInt64(mod.count)) + versionBytes + mod
        elf.sections = [(".go.buildinfo", blob), (".data", strings)]
        return elf.build()
    }
}
