/// One entry to write into a tar archive: a file, directory, link, device or fifo, plus optional hostile overrides.
///
/// Names and link names are raw bytes so tests can put NUL bytes or invalid UTF-8 in them; the `String`
/// constructors cover the ordinary case. Directory names get a trailing `/` when written, as GNU tar and Docker do.
public struct TarEntry: Sendable, Equatable {
    /// What kind of object the entry is; each maps to one ustar type flag.
    public enum Kind: Sendable, Equatable {
        case regular, directory, symlink, hardlink, characterDevice, blockDevice, fifo

        /// The ustar type flag byte (`'0'`, `'5'`, `'2'`, `'1'`, `'3'`, `'4'`, `'6'`).
        public var typeFlag: UInt8 {
            switch self {
            case .regular: return UInt8(ascii: "0")
            case .hardlink: return UInt8(ascii: "1")
            case .symlink: return UInt8(ascii: "2")
            case .characterDevice: return UInt8(ascii: "3")
            case .blockDevice: return UInt8(ascii: "4")
            case .directory: return UInt8(ascii: "5")
            case .fifo: return UInt8(ascii: "6")
            }
        }
    }

    /// The entry name exactly as it goes into the archive (before the writer's `./` prefix option).
    public var name: [UInt8]
    public var kind: Kind
    /// File content; only regular files carry data (unless `overrides` say otherwise).
    public var data: [UInt8]
    /// Symlink target or hard-link source name, as stored.
    public var linkName: [UInt8]
    /// Permission bits, e.g. `0o644` (no file-type bits).
    public var mode: UInt32
    public var uid: Int
    public var gid: Int
    public var userName: String
    public var groupName: String
    /// Seconds since the epoch.
    public var modificationTime: Int
    public var deviceMajor: Int
    public var deviceMinor: Int
    /// Extra PAX records written in an `x` header before this entry (e.g. `SCHILY.xattr.*`).
    public var extraPAXRecords: [PAXRecord]
    /// Ways to make the header lie; all default to an honest header.
    public var overrides: TarHeaderOverrides

    /// The default modification time of fixtures (2024-01-01T00:00:00Z), fixed so archives are reproducible.
    public static let defaultModificationTime = 1_704_067_200

    public init(name: [UInt8], kind: Kind, data: [UInt8] = [], linkName: [UInt8] = [], mode: UInt32 = 0o644,
                uid: Int = 0, gid: Int = 0, userName: String = "root", groupName: String = "root",
                modificationTime: Int = TarEntry.defaultModificationTime, deviceMajor: Int = 0, deviceMinor: Int = 0,
                extraPAXRecords: [PAXRecord] = [], overrides: TarHeaderOverrides = TarHeaderOverrides()) {
        self.name = name
        self.kind = kind
        self.data = data
        self.linkName = linkName
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.userName = userName
        self.groupName = groupName
        self.modificationTime = modificationTime
        self.deviceMajor = deviceMajor
        self.deviceMinor = deviceMinor
        self.extraPAXRecords = extraPAXRecords
        self.overrides = overrides
    }

    /// A regular file holding `content` encoded as UTF-8.
    public static func file(_ name: String, _ content: String = "", mode: UInt32 = 0o644, uid: Int = 0, gid: Int = 0) -> TarEntry {
        TarEntry(name: Array(name.utf8), kind: .regular, data: Array(content.utf8), mode: mode, uid: uid, gid: gid)
    }

    /// A regular file holding `bytes`.
    public static func file(_ name: String, bytes: [UInt8], mode: UInt32 = 0o644, uid: Int = 0, gid: Int = 0) -> TarEntry {
        TarEntry(name: Array(name.utf8), kind: .regular, data: bytes, mode: mode, uid: uid, gid: gid)
    }

    public static func directory(_ name: String, mode: UInt32 = 0o755, uid: Int = 0, gid: Int = 0) -> TarEntry {
        TarEntry(name: Array(name.utf8), kind: .directory, mode: mode, uid: uid, gid: gid)
    }

    /// A symbolic link `name -> target`; the target is stored verbatim (absolute, relative or dangling).
    public static func symlink(_ name: String, to target: String) -> TarEntry {
        TarEntry(name: Array(name.utf8), kind: .symlink, linkName: Array(target.utf8), mode: 0o777)
    }

    /// A hard link: `name` is another name for the earlier entry `target` (an archive name, not a path on disk).
    public static func hardlink(_ name: String, to target: String, mode: UInt32 = 0o644) -> TarEntry {
        TarEntry(name: Array(name.utf8), kind: .hardlink, linkName: Array(target.utf8), mode: mode)
    }

    public static func characterDevice(_ name: String, major: Int, minor: Int, mode: UInt32 = 0o666) -> TarEntry {
        TarEntry(name: Array(name.utf8), kind: .characterDevice, mode: mode, deviceMajor: major, deviceMinor: minor)
    }

    public static func blockDevice(_ name: String, major: Int, minor: Int, mode: UInt32 = 0o660) -> TarEntry {
        TarEntry(name: Array(name.utf8), kind: .blockDevice, mode: mode, deviceMajor: major, deviceMinor: minor)
    }

    public static func fifo(_ name: String, mode: UInt32 = 0o644) -> TarEntry {
        TarEntry(name: Array(name.utf8), kind: .fifo, mode: mode)
    }

    /// An AUFS/OCI whiteout deleting `path` from lower layers: an empty file named `dir/.wh.base`.
    public static func whiteout(_ path: String) -> TarEntry {
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        let name: String
        if let slash = trimmed.lastIndex(of: "/") {
            name = trimmed[...slash] + ".wh." + trimmed[trimmed.index(after: slash)...]
        } else {
            name = ".wh." + trimmed
        }
        return .file(name, "")
    }

    /// An opaque-directory marker (`dir/.wh..wh..opq`): lower layers' contents of `directory` are hidden.
    public static func opaqueWhiteout(_ directory: String) -> TarEntry {
        let trimmed = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        return .file(trimmed.isEmpty ? ".wh..wh..opq" : trimmed + "/.wh..wh..opq", "")
    }

    /// The same entry with `overrides` replaced, for hostile variants: `.file("x", "y").with { $0.checksum = .wrong }`.
    public func with(_ change: (inout TarHeaderOverrides) -> Void) -> TarEntry {
        var copy = self
        change(&copy.overrides)
        return copy
    }

    /// The name as text (NUL bytes and invalid UTF-8 replaced), for messages.
    public var nameString: String { String(decoding: name, as: UTF8.self) }
}

/// One PAX extended-header record: `key=value`. Values are bytes so they can hold NUL or binary data.
public struct PAXRecord: Sendable, Equatable {
    public var key: String
    public var value: [UInt8]
    public init(_ key: String, _ value: [UInt8]) {
        self.key = key
        self.value = value
    }
    public init(_ key: String, _ value: String) {
        self.init(key, Array(value.utf8))
    }
}

/// Ways to make a tar header lie or take an unusual but legal shape; the defaults write an honest ustar header.
public struct TarHeaderOverrides: Sendable, Equatable {
    /// How the checksum field is filled.
    public enum Checksum: Sendable, Equatable {
        /// The correct checksum.
        case correct
        /// The correct checksum plus one: every conforming reader must reject the header.
        case wrong
        /// Exactly this value, written in octal.
        case value(Int)
    }

    /// How the 12-byte size field is encoded.
    public enum SizeEncoding: Sendable, Equatable {
        /// Octal when it fits (< 8 GiB), else a PAX `size` record (or base-256 in GNU long-name mode).
        case automatic
        /// GNU base-256 (binary, high bit set) even for small sizes: legal, and readers must decode it.
        case base256
        /// A PAX `size` record carries the size; the ustar field holds 0.
        case pax
    }

    public var checksum: Checksum = .correct
    /// The size the header claims; when larger than `data.count` the archive lies (reads run into the next header
    /// or off the end). When nil, the data length.
    public var declaredSize: Int64? = nil
    public var sizeEncoding: SizeEncoding = .automatic
    /// Write the name bytes into the 100-byte field as they are (cut at 100): no `./` prefix, no trailing `/` on
    /// directories, no PAX or GNU long-name entry. For NUL-in-name and similar tricks.
    public var rawName: Bool = false
    /// Put the name (and link name) in a PAX `x` header even when it fits the ustar fields.
    public var forcePAXName: Bool = false
    /// Write this many bytes of data padding instead of rounding up to 512 (e.g. 0 to misalign the next header).
    public var dataPadding: Int? = nil

    public init(checksum: Checksum = .correct, declaredSize: Int64? = nil, sizeEncoding: SizeEncoding = .automatic,
                rawName: Bool = false, forcePAXName: Bool = false, dataPadding: Int? = nil) {
        self.checksum = checksum
        self.declaredSize = declaredSize
        self.sizeEncoding = sizeEncoding
        self.rawName = rawName
        self.forcePAXName = forcePAXName
        self.dataPadding = dataPadding
    }
}
