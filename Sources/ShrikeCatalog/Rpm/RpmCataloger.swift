import Foundation
import ShrikeCore
import ShrikeImage

/// Finds rpm packages from rpm's package database in `/var/lib/rpm` or `/usr/lib/sysimage/rpm`.
///
/// All three database formats are read (Berkeley DB `Packages`, ndb `Packages.db`, SQLite `rpmdb.sqlite`), chosen by
/// content rather than file name. When a directory holds more than one, the newest format is the live one. Packages
/// found in both directories (one is often a symlink to the other) are reported once.
public struct RpmCataloger: Cataloger {
    public static let databaseDirectories = ["/var/lib/rpm", "/usr/lib/sysimage/rpm"]
    public static let databaseFileNames = ["Packages", "Packages.db", "rpmdb.sqlite"]
    /// Every path the cataloger reads.
    public static let databasePaths = databaseDirectories.flatMap { dir in databaseFileNames.map { "\(dir)/\($0)" } }

    public init() {}

    public var name: String { "rpm" }

    public func wants(path: String, size: Int64) -> Bool {
        Self.databasePaths.contains(path)
    }

    public func catalog(_ fs: any RootFileSystem, distro: Distro?) throws -> [Package] {
        var seenDatabases = Set<String>()
        var packages: [Package] = []
        var indexByIdentity: [String: Int] = [:]
        for directory in Self.databaseDirectories {
            guard let database = try liveDatabase(in: directory, fs, seen: &seenDatabases) else { continue }
            for record in try database.records() {
                // rpm -qa lists imported signing keys as "gpg-pubkey" packages; like syft and trivy, Shrike skips
                // them: they are not software and no advisory names them.
                if record.name == "gpg-pubkey" { continue }
                let package = Self.package(from: record, location: database.path, distro: distro)
                let identity = "\(package.name)\u{0}\(package.version)\u{0}\(package.architecture ?? "")"
                if let existing = indexByIdentity[identity] {
                    if !packages[existing].locations.contains(database.path) {
                        packages[existing].locations.append(database.path)
                    }
                } else {
                    indexByIdentity[identity] = packages.count
                    packages.append(package)
                }
            }
        }
        return packages
    }

    /// Builds the SBOM package for one rpm record found in the database at `location`.
    public static func package(from record: RpmPackageRecord, location: String, distro: Distro?) -> Package {
        let versionRelease = record.release.isEmpty ? record.version : "\(record.version)-\(record.release)"
        let version = record.epoch.map { "\($0):\(versionRelease)" } ?? versionRelease
        var qualifiers: [String: String] = [:]
        if let arch = record.arch { qualifiers["arch"] = arch }
        if let epoch = record.epoch { qualifiers["epoch"] = String(epoch) }
        if let distro { qualifiers["distro"] = distro.purlQualifier }
        let purl = PackageURL(type: PackageType.rpm.purlType, namespace: distro?.id, name: record.name,
                              version: versionRelease, qualifiers: qualifiers)
        let source = record.sourceRPM.flatMap(RpmPackageRecord.splitSourceRPM)
        return Package(
            name: record.name, version: version, type: .rpm, purl: purl,
            sourceName: source?.name,
            // Only when it differs: a sub-package such as libreadline7 7.0 comes from bash-4.4.
            sourceVersion: source.flatMap { $0.versionRelease == versionRelease ? nil : $0.versionRelease },
            locations: [location],
            licenses: record.license.map { [$0] } ?? [],
            architecture: record.arch, epoch: record.epoch,
            release: record.release.isEmpty ? nil : record.release,
            vendor: record.vendor, modularityLabel: record.modularityLabel,
            ownedFiles: record.files)
    }

    /// One database file found in the root and how to read it.
    private struct FoundDatabase {
        var path: String
        var format: RpmDatabaseFormat
        var read: () throws -> [[UInt8]]

        func records() throws -> [RpmPackageRecord] {
            try read().map { try RpmPackageRecord(header: RpmHeader(blob: $0, input: path), input: path) }
        }
    }

    /// The newest-format database in `directory`, skipping files already read through another path.
    private func liveDatabase(in directory: String, _ fs: any RootFileSystem,
                              seen: inout Set<String>) throws -> FoundDatabase? {
        var found: [FoundDatabase] = []
        var unrecognised: String?
        for fileName in Self.databaseFileNames {
            let path = "\(directory)/\(fileName)"
            guard let entry = try? fs.tree.resolvedEntry(path), entry.kind == .regular else { continue }
            let realPath = (try? fs.tree.resolve(path)) ?? path
            guard !seen.contains(realPath) else { continue }
            if let bytes = try fs.contents(of: path) {
                guard !bytes.isEmpty else { continue }
                switch RpmDatabase.detectFormat(bytes) {
                case .sqlite:
                    guard let local = try fs.localFile(for: path) else {
                        throw ShrikeError(.notFound, "the rpm SQLite database has no local copy to open", input: realPath)
                    }
                    found.append(FoundDatabase(path: realPath, format: .sqlite) {
                        try RpmSQLiteReader.blobs(path: local, input: realPath)
                    })
                case .some(let format):
                    found.append(FoundDatabase(path: realPath, format: format) {
                        try RpmDatabase.blobs(bytes: bytes, input: realPath)
                    })
                case nil:
                    unrecognised = realPath
                }
            } else if let local = try fs.localFile(for: path) {
                let format = try Self.sniff(local, input: realPath)
                guard let format else { unrecognised = realPath; continue }
                found.append(FoundDatabase(path: realPath, format: format) {
                    try RpmDatabase.blobs(file: local, input: realPath)
                })
            }
        }
        guard let live = found.max(by: { $0.format < $1.format }) else {
            if let unrecognised {
                throw ShrikeError(.unsupportedFormat, "not an rpm database in any known format (Berkeley DB hash, ndb, SQLite)", input: unrecognised)
            }
            return nil
        }
        found.forEach { seen.insert($0.path) }
        return live
    }

    private static func sniff(_ localPath: String, input: String) throws -> RpmDatabaseFormat? {
        guard let handle = FileHandle(forReadingAtPath: localPath) else {
            throw ShrikeError(.io, "cannot open the rpm database file", input: input)
        }
        defer { try? handle.close() }
        let prefix: Data? = try? handle.read(upToCount: 16)
        return RpmDatabase.detectFormat([UInt8](prefix ?? Data()))
    }
}
