import ShrikeCore

/// Reads every key/value pair of a Berkeley DB hash database file, such as rpm's `/var/lib/rpm/Packages`
/// (RHEL/CentOS 5–8, Amazon Linux 2), without libdb.
///
/// Layout (libdb's `db_page.h`): page 0 is the hash metadata page (magic 0x061561 at byte 12, in the byte order of
/// the machine that wrote it, which is how the order is detected; page size at 20; last page number at 32). Hash pages
/// (`P_HASH`, or `P_HASH_UNSORTED` from old libdb) hold an array of 16-bit item offsets after a 26-byte header; items
/// come in key/value pairs and are either inline (`H_KEYDATA`) or a reference to a chain of overflow pages
/// (`H_OFFPAGE`). Page numbers, item offsets and chain lengths are all checked, and chains that loop are rejected.
public struct BerkeleyDBHashReader: Sendable {
    /// One stored pair.
    public struct Record: Sendable, Equatable {
        public var key: [UInt8]
        public var value: [UInt8]
    }

    public static let hashMagic: UInt32 = 0x061561
    static let pageHeaderSize = 26
    static let metadataPageType: UInt8 = 8
    static let hashUnsortedPageType: UInt8 = 2
    static let hashPageType: UInt8 = 13
    static let overflowPageType: UInt8 = 7
    static let keyDataItem: UInt8 = 1
    static let duplicateItem: UInt8 = 2
    static let offPageItem: UInt8 = 3
    static let offPageDuplicateItem: UInt8 = 4

    public let pageSize: Int
    public let lastPage: Int
    public let isBigEndian: Bool
    private let fields: BinaryFields

    /// True when `bytes` start like a Berkeley DB hash database in either byte order.
    public static func matches(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 16 else { return false }
        let magic = bytes[12..<16]
        return magic.elementsEqual([0x61, 0x15, 0x06, 0x00]) || magic.elementsEqual([0x00, 0x06, 0x15, 0x61])
    }

    /// Checks the metadata page of `bytes`. `input` names the file in errors.
    /// - Throws: `.unsupportedFormat` for other Berkeley DB access methods or encrypted databases, `.malformed` for
    ///   a bad page size or a last page beyond the end of the file.
    public init(bytes: [UInt8], input: String? = nil) throws {
        guard bytes.count >= 512 else {
            throw ShrikeError(.malformed, "Berkeley DB file is \(bytes.count) bytes, shorter than one 512-byte metadata page", input: input)
        }
        let little = BinaryFields(bytes, order: .little, input: input)
        let big = BinaryFields(bytes, order: .big, input: input)
        let fields: BinaryFields
        if try little.uint32(at: 12) == Self.hashMagic {
            fields = little
        } else if try big.uint32(at: 12) == Self.hashMagic {
            fields = big
        } else {
            throw ShrikeError(.unsupportedFormat, "not a Berkeley DB hash database (magic 0x\(String(try little.uint32(at: 12), radix: 16))); only the hash access method rpm uses is read", input: input)
        }
        guard try fields.uint8(at: 24) == 0 else {
            throw ShrikeError(.unsupportedFormat, "Berkeley DB file is encrypted; Shrike reads only plain rpm databases", input: input)
        }
        guard try fields.uint8(at: 25) == Self.metadataPageType else {
            throw fields.malformed("Berkeley DB page 0 is not a hash metadata page (type \(try fields.uint8(at: 25)))")
        }
        let pageSize = Int(try fields.uint32(at: 20))
        guard pageSize >= 512, pageSize <= 65536, pageSize & (pageSize - 1) == 0 else {
            throw fields.malformed("Berkeley DB page size \(pageSize) is not a power of two between 512 and 65536")
        }
        let lastPage = Int(try fields.uint32(at: 32))
        guard lastPage < bytes.count / pageSize else {
            throw fields.malformed("Berkeley DB says its last page is \(lastPage) but the file holds only \(bytes.count / pageSize) pages of \(pageSize) bytes: it is truncated")
        }
        self.fields = fields
        self.pageSize = pageSize
        self.lastPage = lastPage
        self.isBigEndian = fields.order == .big
    }

    /// Calls `body` with every key/value pair, in page order. Duplicate-set items (never written by rpm) are skipped.
    /// - Throws: `.malformed` for bad item offsets, page numbers, overflow chains or lengths; rethrows `body`'s errors.
    public func forEachRecord(_ body: (Record) throws -> Void) throws {
        guard lastPage >= 1 else { return }
        for page in 1...lastPage {
            let base = page * pageSize
            let type = try fields.uint8(at: base + 25)
            guard type == Self.hashPageType || type == Self.hashUnsortedPageType else { continue }
            let itemCount = Int(try fields.uint16(at: base + 20))
            guard itemCount % 2 == 0 else {
                throw fields.malformed("Berkeley DB hash page \(page) has an odd item count \(itemCount); items come in key/value pairs")
            }
            let indexEnd = Self.pageHeaderSize + 2 * itemCount
            guard indexEnd <= pageSize else {
                throw fields.malformed("Berkeley DB hash page \(page) claims \(itemCount) items, more than fit in a page")
            }
            var index = 0
            while index < itemCount {
                let key = try item(page: page, index: index, indexEnd: indexEnd)
                let value = try item(page: page, index: index + 1, indexEnd: indexEnd)
                index += 2
                guard let key, let value else { continue }
                try body(Record(key: key, value: value))
            }
        }
    }

    /// All pairs at once.
    public func records() throws -> [Record] {
        var result: [Record] = []
        try forEachRecord { result.append($0) }
        return result
    }

    /// The bytes of item `index` on hash page `page`; nil for duplicate sets.
    private func item(page: Int, index: Int, indexEnd: Int) throws -> [UInt8]? {
        let base = page * pageSize
        let start = Int(try fields.uint16(at: base + Self.pageHeaderSize + 2 * index))
        // Items are packed from the end of the page downwards, so each one ends where the previous one starts.
        let end = index == 0 ? pageSize : Int(try fields.uint16(at: base + Self.pageHeaderSize + 2 * (index - 1)))
        guard start >= indexEnd, start < end, end <= pageSize else {
            throw fields.malformed("Berkeley DB hash page \(page) item \(index) has offset \(start)..<\(end), outside the page's item area")
        }
        let type = try fields.uint8(at: base + start)
        switch type {
        case Self.keyDataItem:
            return Array(try fields.slice(base + start + 1, end - start - 1))
        case Self.offPageItem:
            guard end - start >= 12 else {
                throw fields.malformed("Berkeley DB hash page \(page) item \(index) is too short for an off-page reference")
            }
            let firstPage = Int(try fields.uint32(at: base + start + 4))
            let totalLength = Int(try fields.uint32(at: base + start + 8))
            return try overflowChain(from: firstPage, totalLength: totalLength, referencedBy: page)
        case Self.duplicateItem, Self.offPageDuplicateItem:
            return nil
        default:
            throw fields.malformed("Berkeley DB hash page \(page) item \(index) has unknown type \(type)")
        }
    }

    private func overflowChain(from firstPage: Int, totalLength: Int, referencedBy hashPage: Int) throws -> [UInt8] {
        guard totalLength <= fields.count else {
            throw fields.malformed("Berkeley DB item on page \(hashPage) claims \(totalLength) bytes, more than the whole file")
        }
        var value: [UInt8] = []
        value.reserveCapacity(totalLength)
        var visited = Set<Int>()
        var current = firstPage
        while current != 0 {
            guard current >= 1, current <= lastPage else {
                throw fields.malformed("Berkeley DB overflow chain from page \(hashPage) points at page \(current), outside 1...\(lastPage)")
            }
            guard visited.insert(current).inserted else {
                throw fields.malformed("Berkeley DB overflow chain from page \(hashPage) loops back to page \(current)")
            }
            let base = current * pageSize
            guard try fields.uint8(at: base + 25) == Self.overflowPageType else {
                throw fields.malformed("Berkeley DB overflow chain from page \(hashPage) reaches page \(current), which is not an overflow page")
            }
            // On overflow pages the "high free offset" field holds the number of data bytes on the page.
            let length = Int(try fields.uint16(at: base + 22))
            guard length <= pageSize - Self.pageHeaderSize, value.count + length <= totalLength else {
                throw fields.malformed("Berkeley DB overflow page \(current) holds \(length) bytes, more than its page or its item's \(totalLength)-byte length allows")
            }
            value.append(contentsOf: try fields.slice(base + Self.pageHeaderSize, length))
            current = Int(try fields.uint32(at: base + 16))
        }
        guard value.count == totalLength else {
            throw fields.malformed("Berkeley DB overflow chain from page \(hashPage) holds \(value.count) bytes but its item says \(totalLength)")
        }
        return value
    }
}
