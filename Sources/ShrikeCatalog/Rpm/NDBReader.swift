import ShrikeCore

/// Reads the package blobs of rpm's own "ndb" database (`Packages.db`, SUSE), as rpm's `lib/backend/ndb/rpmpkg.c`
/// lays it out, without rpm.
///
/// All fields are little-endian. A 32-byte header (`RpmP`, version 0, generation, slot page count) starts the first
/// of the 4096-byte slot pages; each 16-byte slot is `Slot`, package index (0 for a free slot), block offset and block
/// count, blocks being 16 bytes. A used slot's blocks start with a blob header (`BlbS`, package index, generation,
/// blob length) followed by the header blob and a 12-byte tail. Every offset and length is checked against the file.
public struct NDBReader: Sendable {
    /// One stored package header blob.
    public struct Blob: Sendable, Equatable {
        public var packageIndex: UInt32
        public var generation: UInt32
        public var bytes: [UInt8]
    }

    static let headerMagic: [UInt8] = Array("RpmP".utf8)
    static let slotMagic: UInt32 = 0x746f_6c53   // "Slot" read little-endian
    static let blobMagic: UInt32 = 0x5362_6c42   // "BlbS" read little-endian
    static let slotPageSize = 4096
    static let blockSize = 16
    static let blobHeaderSize = 16
    static let blobTailSize = 12

    public let slotPageCount: Int
    private let fields: BinaryFields

    /// True when `bytes` start with the ndb header magic.
    public static func matches(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && bytes[0..<4].elementsEqual(headerMagic)
    }

    /// Checks the ndb header of `bytes`. `input` names the file in errors.
    /// - Throws: `.malformed` for a bad magic, an unknown version or slot pages past the end of the file.
    public init(bytes: [UInt8], input: String? = nil) throws {
        let fields = BinaryFields(bytes, order: .little, input: input)
        guard Self.matches(bytes), bytes.count >= 32 else {
            throw fields.malformed("not an rpm ndb database (no 32-byte 'RpmP' header)")
        }
        let version = try fields.uint32(at: 4)
        guard version == 0 else {
            throw ShrikeError(.unsupportedFormat, "rpm ndb database version \(version) is not supported (only version 0 exists)", input: input)
        }
        let slotPageCount = Int(try fields.uint32(at: 12))
        guard slotPageCount >= 1, slotPageCount <= bytes.count / Self.slotPageSize else {
            throw fields.malformed("rpm ndb header claims \(slotPageCount) slot pages but the \(bytes.count)-byte file holds at most \(bytes.count / Self.slotPageSize)")
        }
        self.fields = fields
        self.slotPageCount = slotPageCount
    }

    /// Calls `body` with each stored blob, in slot order.
    /// - Throws: `.malformed` for bad slot or blob magic, mismatched package indexes or out-of-range blocks.
    public func forEachBlob(_ body: (Blob) throws -> Void) throws {
        let slotsEnd = slotPageCount * Self.slotPageSize
        // The file header occupies the first two slots of the first page.
        var slot = 32
        while slot < slotsEnd {
            defer { slot += 16 }
            guard try fields.uint32(at: slot) == Self.slotMagic else {
                throw fields.malformed("rpm ndb slot at offset \(slot) has a bad magic (want 'Slot')")
            }
            let packageIndex = try fields.uint32(at: slot + 4)
            guard packageIndex != 0 else { continue }
            let blockOffset = Int(try fields.uint32(at: slot + 8))
            let blockCount = Int(try fields.uint32(at: slot + 12))
            let start = blockOffset * Self.blockSize
            let length = blockCount * Self.blockSize
            guard start >= slotsEnd, length >= Self.blobHeaderSize + Self.blobTailSize,
                  start <= fields.count, length <= fields.count - start else {
                throw fields.malformed("rpm ndb slot for package \(packageIndex) points at blocks \(blockOffset)+\(blockCount), outside the blob area of the \(fields.count)-byte file")
            }
            guard try fields.uint32(at: start) == Self.blobMagic else {
                throw fields.malformed("rpm ndb blob for package \(packageIndex) at offset \(start) has a bad magic (want 'BlbS')")
            }
            let blobIndex = try fields.uint32(at: start + 4)
            guard blobIndex == packageIndex else {
                throw fields.malformed("rpm ndb slot for package \(packageIndex) points at the blob of package \(blobIndex)")
            }
            let generation = try fields.uint32(at: start + 8)
            let blobLength = Int(try fields.uint32(at: start + 12))
            guard blobLength <= length - Self.blobHeaderSize - Self.blobTailSize else {
                throw fields.malformed("rpm ndb blob for package \(packageIndex) claims \(blobLength) bytes, more than its \(blockCount) blocks hold")
            }
            let bytes = Array(try fields.slice(start + Self.blobHeaderSize, blobLength))
            try body(Blob(packageIndex: packageIndex, generation: generation, bytes: bytes))
        }
    }

    /// All blobs at once.
    public func blobs() throws -> [Blob] {
        var result: [Blob] = []
        try forEachBlob { result.append($0) }
        return result
    }
}
