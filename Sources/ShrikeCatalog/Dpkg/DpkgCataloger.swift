import ShrikeCore
import ShrikeImage

/// Finds Debian packages (Debian, Ubuntu and derivatives, distroless) from the dpkg database.
///
/// Reads `/var/lib/dpkg/status` and every file in `/var/lib/dpkg/status.d/` (distroless writes one stanza file per
/// package there, with `<name>.md5sums` beside it). Owned files come from `/var/lib/dpkg/info/<name>[:<arch>].list`,
/// or from the `md5sums` files for `status.d` packages. Licenses come from a `License:` field when the database has
/// one and from the `License:` lines of machine-readable `/usr/share/doc/<name>/copyright` files.
public struct DpkgCataloger: Cataloger {
    public static let statusPath = "/var/lib/dpkg/status"
    public static let statusDirectory = "/var/lib/dpkg/status.d"
    public static let infoDirectory = "/var/lib/dpkg/info"
    static let docDirectory = "/usr/share/doc"
    /// Copyright files above this size are not read: license lines are near the top of those that have any, and
    /// a few packages ship multi-megabyte files that would cost memory while streaming layers for little gain.
    public static let maxCopyrightSize: Int64 = 512 * 1024

    public let name = "dpkg"

    public init() {}

    public func wants(path: String, size: Int64) -> Bool {
        if path == Self.statusPath { return true }
        let parent = PathNormalizer.parent(of: path)
        if parent == Self.statusDirectory { return true }
        if parent == Self.infoDirectory { return path.hasSuffix(".list") }
        if path.hasPrefix(Self.docDirectory + "/"), PathNormalizer.baseName(of: path) == "copyright",
           PathNormalizer.parent(of: parent) == Self.docDirectory {
            return size <= Self.maxCopyrightSize
        }
        return false
    }

    public func catalog(_ fs: any RootFileSystem, distro: Distro?) throws -> [Package] {
        var packages: [Package] = []
        if let bytes = try read(Self.statusPath, in: fs) {
            for entry in DpkgStatusParser.parseInstalled(bytes) {
                let listPath = ownedFilesListPath(for: entry, in: fs)
                let owned = try listPath.map { try ownedFiles(fromList: $0, in: fs) } ?? []
                packages.append(package(entry, database: Self.statusPath, evidence: listPath, owned: owned, fs: fs,
                                        distro: distro))
            }
        }
        for path in statusDirectoryFiles(in: fs) {
            guard let bytes = try read(path, in: fs) else { continue }
            for entry in DpkgStatusParser.parseInstalled(bytes) {
                let md5Path = md5sumsPath(for: entry, in: fs)
                let owned = try md5Path.map { try ownedFiles(fromMD5Sums: $0, in: fs) } ?? []
                packages.append(package(entry, database: path, evidence: md5Path, owned: owned, fs: fs, distro: distro))
            }
        }
        return packages
    }

    /// The purl syft writes for a Debian package: namespace from the distribution (`debian` when unknown),
    /// `arch`, `distro` (`debian-12`) and, when the database names a source package, `upstream`
    /// (`glibc` or `glibc@2.36-9` when the source version differs).
    public static func purl(for entry: DpkgStatusEntry, distro: Distro?) -> PackageURL {
        var qualifiers: [String: String] = [:]
        if let architecture = entry.architecture { qualifiers["arch"] = architecture }
        if let distro { qualifiers["distro"] = distro.purlQualifier }
        if let source = entry.source {
            qualifiers["upstream"] = entry.sourceVersion.map { "\(source)@\($0)" } ?? source
        }
        return PackageURL(type: PackageType.deb.purlType, namespace: distro?.id.lowercased() ?? "debian",
                          name: entry.package, version: entry.version, qualifiers: qualifiers)
    }

    func package(_ entry: DpkgStatusEntry, database: String, evidence: String?, owned: [String],
                 fs: any RootFileSystem, distro: Distro?) -> Package {
        var licenses = DeclaredLicenseSplitter.split(entry.license)
        for license in copyrightLicenses(for: entry.package, in: fs) where !licenses.contains(license) {
            licenses.append(license)
        }
        var sourceVersion = entry.sourceVersion
        if sourceVersion == entry.version { sourceVersion = nil }
        return Package(name: entry.package, version: entry.version, type: .deb, purl: Self.purl(for: entry, distro: distro),
                       sourceName: entry.source ?? entry.package, sourceVersion: sourceVersion,
                       locations: [database] + (evidence.map { [$0] } ?? []), licenses: licenses,
                       architecture: entry.architecture, ownedFiles: owned)
    }

    /// Files directly inside `status.d` that hold stanzas (not the `md5sums` and `conffiles` lists beside them).
    func statusDirectoryFiles(in fs: any RootFileSystem) -> [String] {
        let prefix = Self.statusDirectory + "/"
        return fs.tree.entries.values
            .filter { entry in
                entry.path.hasPrefix(prefix) && PathNormalizer.parent(of: entry.path) == Self.statusDirectory
                    && (entry.kind == .regular || entry.kind == .symlink)
                    && !entry.path.hasSuffix(".md5sums") && !entry.path.hasSuffix(".conffiles")
            }
            .map(\.path)
            .sorted()
    }

    /// dpkg names the list `<name>:<arch>.list` for packages that can be installed for several architectures
    /// (`Multi-Arch: same`) and `<name>.list` otherwise; which applies is not in the status, so try both.
    func ownedFilesListPath(for entry: DpkgStatusEntry, in fs: any RootFileSystem) -> String? {
        var candidates: [String] = []
        if let architecture = entry.architecture {
            candidates.append("\(Self.infoDirectory)/\(entry.package):\(architecture).list")
        }
        candidates.append("\(Self.infoDirectory)/\(entry.package).list")
        return candidates.first { exists($0, in: fs) }
    }

    func md5sumsPath(for entry: DpkgStatusEntry, in fs: any RootFileSystem) -> String? {
        var candidates: [String] = []
        if let architecture = entry.architecture {
            candidates.append("\(Self.statusDirectory)/\(entry.package):\(architecture).md5sums")
        }
        candidates.append("\(Self.statusDirectory)/\(entry.package).md5sums")
        return candidates.first { exists($0, in: fs) }
    }

    /// A `.list` file names every path the package installed, directories included; only non-directories are kept,
    /// because callers use owned files to recognise files that belong to the OS, and `/usr/bin` belongs to many.
    func ownedFiles(fromList path: String, in fs: any RootFileSystem) throws -> [String] {
        guard let bytes = try read(path, in: fs) else { return [] }
        return keepNonDirectories(lines(of: bytes), in: fs)
    }

    /// `md5sums` lines are `<md5>  <path relative to the root>`.
    func ownedFiles(fromMD5Sums path: String, in fs: any RootFileSystem) throws -> [String] {
        guard let bytes = try read(path, in: fs) else { return [] }
        let paths = lines(of: bytes).compactMap { line -> String? in
            guard let space = line.firstIndex(of: " ") else { return nil }
            let relative = line[space...].drop(while: { $0 == " " || $0 == "*" })
            return relative.isEmpty ? nil : (relative.hasPrefix("/") ? String(relative) : "/" + relative)
        }
        return keepNonDirectories(paths, in: fs)
    }

    func keepNonDirectories(_ paths: [String], in fs: any RootFileSystem) -> [String] {
        paths.compactMap { raw in
            guard let path = try? PathNormalizer.normalize(raw), path != "/" else { return nil }
            return fs.tree.entry(at: path)?.kind == .directory ? nil : path
        }
    }

    /// License names from a machine-readable (DEP-5) copyright file: the first word of each `License:` line,
    /// sorted, without repeats. Free-form copyright files (no `Format:` header first) give none: a `License:` line
    /// in prose is not a license name.
    func copyrightLicenses(for package: String, in fs: any RootFileSystem) -> [String] {
        // A copyright file that cannot be read safely (a symlink loop) only costs the license, not the package.
        guard let bytes = try? read("\(Self.docDirectory)/\(package)/copyright", in: fs) else { return [] }
        // Machine-readable copyright files start with a Format: line; others are free text and name no license.
        guard bytes.prefix(7).map({ $0 | 0x20 }) == Array("format:".utf8) else { return [] }
        var found = Set<String>()
        for raw in bytes.split(separator: UInt8(ascii: "\n")) where raw.starts(with: "License:".utf8) {
            let line = String(decoding: raw, as: UTF8.self).trimmingSpaces()
            let value = line.dropFirst("License:".count).trimmingSpaces()
            if let first = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).first {
                found.insert(String(first))
            }
        }
        return found.sorted()
    }

    func exists(_ path: String, in fs: any RootFileSystem) -> Bool {
        guard let resolved = try? fs.tree.resolve(path) else { return false }
        return fs.tree.entry(at: resolved)?.kind == .regular
    }

    func read(_ path: String, in fs: any RootFileSystem) throws -> [UInt8]? {
        do {
            return try fs.contents(of: path)
        } catch let error as ShrikeError {
            throw error.naming(path)
        }
    }

    func lines(of bytes: [UInt8]) -> [String] {
        // Split on bytes, not Characters: file lists and copyright files are large and this runs per package.
        bytes.split(separator: UInt8(ascii: "\n"))
            .map { String(decoding: $0, as: UTF8.self).trimmingSpaces() }
            .filter { !$0.isEmpty }
    }
}
