import ShrikeCore

/// An rpm header as rpm stores it in its package database, decoded lazily and bounds-checked.
///
/// The blob has no lead or magic: a big-endian index count `il` and data length `dl`, then `il` 16-byte index
/// entries (tag, type, offset, count), then the `dl`-byte data store. `init` checks the layout and every entry's
/// range; reading a value checks the rest (string terminators), so hostile blobs throw `.malformed`, never crash.
/// When a tag appears more than once (an installed header's "dribble" entries after its immutable region), the
/// last entry wins, as rpm's own header loader does.
public struct RpmHeader: Sendable {
    /// The value types rpm's header format knows.
    public enum DataType: UInt32, Sendable {
        case null = 0, char, int8, int16, int32, int64, string, bin, stringArray, i18nString

        /// Bytes per element for fixed-size types; nil for strings.
        var elementSize: Int? {
            switch self {
            case .null: 0
            case .char, .int8, .bin: 1
            case .int16: 2
            case .int32: 4
            case .int64: 8
            case .string, .stringArray, .i18nString: nil
            }
        }
    }

    /// One index entry: where a tag's value lies in the data store.
    public struct Entry: Sendable, Equatable {
        public let tag: Int
        public let type: DataType
        /// Offset into the data store.
        public let offset: Int
        public let count: Int
    }

    /// A decoded tag value.
    public enum Value: Sendable, Equatable {
        case integers([UInt64])
        case string(String)
        case strings([String])
        case binary([UInt8])
    }

    /// rpm's own limits (`hdrchkTags`, `HEADER_DATA_MAX`): more than this is a corrupt or hostile header.
    public static let maxIndexCount = 0xffff
    public static let maxDataLength = 0x0fff_ffff

    /// Index entries in blob order.
    public let entries: [Entry]
    private let lastEntryByTag: [Int: Int]
    private let fields: BinaryFields
    private let dataStart: Int
    private let dataLength: Int

    /// Decodes the index of `blob`. `input` names the database (and record) in errors.
    /// - Throws: `ShrikeError(.malformed)` when the counts, lengths, types or offsets do not fit.
    public init(blob: [UInt8], input: String? = nil) throws {
        let fields = BinaryFields(blob, order: .big, input: input)
        guard blob.count >= 8 else {
            throw fields.malformed("rpm header is \(blob.count) bytes, shorter than its 8-byte preamble")
        }
        let il = Int(try fields.uint32(at: 0, "header index count"))
        let dl = Int(try fields.uint32(at: 4, "header data length"))
        guard il >= 1, il <= Self.maxIndexCount else {
            throw fields.malformed("rpm header claims \(il) index entries (allowed 1...\(Self.maxIndexCount))")
        }
        guard dl <= Self.maxDataLength else {
            throw fields.malformed("rpm header claims \(dl) data bytes (at most \(Self.maxDataLength) allowed)")
        }
        let dataStart = 8 + il * 16
        guard blob.count - dataStart >= dl else {
            throw fields.malformed("rpm header needs \(dataStart + dl) bytes for \(il) entries and \(dl) data bytes but has \(blob.count)")
        }
        var entries: [Entry] = []
        entries.reserveCapacity(il)
        var lastEntryByTag: [Int: Int] = [:]
        for i in 0..<il {
            let base = 8 + i * 16
            let tag = Int(try fields.uint32(at: base))
            let rawType = try fields.uint32(at: base + 4)
            let offset = Int(Int32(bitPattern: try fields.uint32(at: base + 8)))
            let count = Int(try fields.uint32(at: base + 12))
            guard let type = DataType(rawValue: rawType) else {
                throw fields.malformed("rpm header entry \(i) (tag \(tag)) has unknown data type \(rawType)")
            }
            guard offset >= 0, offset <= dl, count <= dl - offset || (type == .null && count <= Self.maxDataLength) else {
                throw fields.malformed("rpm header entry \(i) (tag \(tag)) points at offset \(offset) count \(count) outside the \(dl)-byte data store")
            }
            if let size = type.elementSize, size > 1, count > (dl - offset) / size {
                throw fields.malformed("rpm header entry \(i) (tag \(tag)) needs \(count) × \(size) bytes at offset \(offset), past the \(dl)-byte data store")
            }
            lastEntryByTag[tag] = entries.count
            entries.append(Entry(tag: tag, type: type, offset: offset, count: count))
        }
        self.entries = entries
        self.lastEntryByTag = lastEntryByTag
        self.fields = fields
        self.dataStart = dataStart
        self.dataLength = dl
    }

    /// The index entry for `tag`, if the header has it.
    public func entry(_ tag: Int) -> Entry? {
        lastEntryByTag[tag].map { entries[$0] }
    }

    /// The decoded value of `tag`, nil when absent. Throws `.malformed` when a string runs past the data store.
    public func value(of tag: Int) throws -> Value? {
        guard let entry = entry(tag) else { return nil }
        let start = dataStart + entry.offset
        switch entry.type {
        case .null:
            return .binary([])
        case .char, .int8:
            return .integers(try fields.slice(start, entry.count).map { UInt64($0) })
        case .bin:
            return .binary(Array(try fields.slice(start, entry.count)))
        case .int16:
            return .integers(try (0..<entry.count).map { UInt64(try fields.uint16(at: start + 2 * $0)) })
        case .int32:
            return .integers(try (0..<entry.count).map { UInt64(try fields.uint32(at: start + 4 * $0)) })
        case .int64:
            return .integers(try (0..<entry.count).map { try fields.uint64(at: start + 8 * $0) })
        case .string:
            return .string(try readStrings(entry, limit: 1).first ?? "")
        case .i18nString, .stringArray:
            return .strings(try readStrings(entry, limit: entry.count))
        }
    }

    /// A string tag's value (the first translation of an I18NSTRING, the first element of a STRING_ARRAY).
    public func string(_ tag: Int) throws -> String? {
        switch try value(of: tag) {
        case .string(let s): s
        case .strings(let list): list.first
        default: nil
        }
    }

    /// A STRING_ARRAY (or single string) tag's values.
    public func strings(_ tag: Int) throws -> [String]? {
        switch try value(of: tag) {
        case .string(let s): [s]
        case .strings(let list): list
        default: nil
        }
    }

    /// An integer tag's values (CHAR, INT8, INT16, INT32, INT64), unsigned as rpm prints them.
    public func integers(_ tag: Int) throws -> [UInt64]? {
        if case .integers(let values) = try value(of: tag) { return values }
        return nil
    }

    /// The first value of an integer tag.
    public func integer(_ tag: Int) throws -> UInt64? {
        try integers(tag)?.first
    }

    private func readStrings(_ entry: Entry, limit: Int) throws -> [String] {
        let end = dataStart + dataLength
        var position = dataStart + entry.offset
        var result: [String] = []
        result.reserveCapacity(min(limit, 1024))
        for _ in 0..<limit {
            guard position < end,
                  let nul = fields.bytes[position..<end].firstIndex(of: 0) else {
                throw fields.malformed("rpm header tag \(entry.tag) has a string that runs past the data store (no NUL terminator)")
            }
            result.append(String(decoding: fields.bytes[position..<nul], as: UTF8.self))
            position = nul + 1
        }
        return result
    }
}
