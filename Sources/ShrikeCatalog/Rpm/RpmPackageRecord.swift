import ShrikeCore

/// The fields of one installed rpm that Shrike uses, taken from its header.
public struct RpmPackageRecord: Sendable, Equatable {
    public var name: String
    public var version: String
    public var release: String
    /// nil when the header has no EPOCH tag (rpm prints `(none)`); 0 when it is explicitly 0.
    public var epoch: Int?
    public var arch: String?
    public var license: String?
    public var vendor: String?
    /// SOURCERPM, e.g. `util-linux-2.32.1-42.el8_8.src.rpm`.
    public var sourceRPM: String?
    /// SIZE: installed size in bytes.
    public var size: UInt64?
    public var modularityLabel: String?
    /// Absolute paths the package owns, in header order (as `rpm -ql` lists them).
    public var files: [String]

    public init(name: String, version: String, release: String, epoch: Int? = nil, arch: String? = nil,
                license: String? = nil, vendor: String? = nil, sourceRPM: String? = nil, size: UInt64? = nil,
                modularityLabel: String? = nil, files: [String] = []) {
        self.name = name
        self.version = version
        self.release = release
        self.epoch = epoch
        self.arch = arch
        self.license = license
        self.vendor = vendor
        self.sourceRPM = sourceRPM
        self.size = size
        self.modularityLabel = modularityLabel
        self.files = files
    }

    /// Extracts the record from a decoded header.
    /// - Throws: `.malformed` when NAME or VERSION is missing or the file-list tags disagree.
    public init(header: RpmHeader, input: String? = nil) throws {
        guard let name = try header.string(RpmTag.name), !name.isEmpty else {
            throw ShrikeError(.malformed, "rpm header has no NAME tag", input: input)
        }
        guard let version = try header.string(RpmTag.version) else {
            throw ShrikeError(.malformed, "rpm header of '\(name)' has no VERSION tag", input: input)
        }
        self.init(name: name, version: version, release: try header.string(RpmTag.release) ?? "")
        if let epoch = try header.integer(RpmTag.epoch) {
            self.epoch = Int(clamping: epoch)
        }
        arch = try header.string(RpmTag.arch)
        license = try header.string(RpmTag.license)
        vendor = try header.string(RpmTag.vendor)
        sourceRPM = try header.string(RpmTag.sourceRPM)
        size = try header.integer(RpmTag.size)
        modularityLabel = try header.string(RpmTag.modularityLabel)
        files = try Self.fileList(header, name: name, input: input)
    }

    /// Splits `SOURCERPM` into name and `VERSION-RELEASE`: `util-linux-2.32.1-42.el8_8.src.rpm` →
    /// (`util-linux`, `2.32.1-42.el8_8`). nil when it does not have that shape.
    public static func splitSourceRPM(_ sourceRPM: String) -> (name: String, versionRelease: String)? {
        var stem = Substring(sourceRPM)
        for suffix in [".src.rpm", ".nosrc.rpm"] where stem.hasSuffix(suffix) {
            stem = stem.dropLast(suffix.count)
            break
        }
        guard let releaseDash = stem.lastIndex(of: "-") else { return nil }
        let head = stem[..<releaseDash]
        guard let versionDash = head.lastIndex(of: "-") else { return nil }
        let name = head[..<versionDash]
        let versionRelease = stem[stem.index(after: versionDash)...]
        guard !name.isEmpty, !versionRelease.hasPrefix("-"), !versionRelease.hasSuffix("-") else { return nil }
        return (String(name), String(versionRelease))
    }

    private static func fileList(_ header: RpmHeader, name: String, input: String?) throws -> [String] {
        if let baseNames = try header.strings(RpmTag.baseNames) {
            let dirNames = try header.strings(RpmTag.dirNames) ?? []
            let dirIndexes = try header.integers(RpmTag.dirIndexes) ?? []
            guard dirIndexes.count == baseNames.count else {
                throw ShrikeError(.malformed, "rpm header of '\(name)' has \(baseNames.count) BASENAMES but \(dirIndexes.count) DIRINDEXES", input: input)
            }
            return try zip(baseNames, dirIndexes).map { baseName, index in
                guard index < UInt64(dirNames.count) else {
                    throw ShrikeError(.malformed, "rpm header of '\(name)' has a DIRINDEXES value \(index) past its \(dirNames.count) DIRNAMES", input: input)
                }
                return dirNames[Int(index)] + baseName
            }
        }
        return try header.strings(RpmTag.oldFileNames) ?? []
    }
}
