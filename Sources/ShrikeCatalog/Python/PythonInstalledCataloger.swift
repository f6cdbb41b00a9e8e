import ShrikeCore
import ShrikeImage

/// Finds installed Python distributions anywhere in the tree: `*.dist-info/METADATA` (wheels, pip),
/// `*.egg-info/PKG-INFO` and `*.egg-info` files (setuptools, most distribution packages), `*.egg/EGG-INFO/PKG-INFO`
/// (unzipped eggs) and zipped `*.egg` files (their `EGG-INFO/PKG-INFO`).
///
/// The purl name is normalised per PEP 503 (`pkg:pypi/jinja2@2.10`); `name` keeps the declared spelling (`Jinja2`).
/// Files listed in `RECORD` (or an egg's `installed-files.txt`) become the package's `ownedFiles`; a zipped egg owns
/// itself.
public struct PythonInstalledCataloger: Cataloger {
    /// Metadata and file lists above this size are skipped: real ones are kilobytes (large wheels' RECORDs a few MB).
    public static let maxFileSize: Int64 = 16 << 20

    public let name = "python"

    public init() {}

    public func wants(path: String, size: Int64) -> Bool {
        guard size <= Self.maxFileSize else { return false }
        if path.hasSuffix("/METADATA") || path.hasSuffix("/RECORD") {
            return PathNormalizer.parent(of: path).hasSuffix(".dist-info")
        }
        if path.hasSuffix("/PKG-INFO") {
            let parent = PathNormalizer.parent(of: path)
            return parent.hasSuffix(".egg-info") || (parent.hasSuffix("/EGG-INFO") && PathNormalizer.parent(of: parent).hasSuffix(".egg"))
        }
        if path.hasSuffix("/installed-files.txt") { return PathNormalizer.parent(of: path).hasSuffix(".egg-info") }
        if path.hasSuffix(".egg") { return size <= PythonEggArchive.maxArchiveSize }
        return path.hasSuffix(".egg-info")
    }

    /// True for the files that declare a package (the others only add files to one).
    static func isMetadata(_ path: String) -> Bool {
        path.hasSuffix("/METADATA") || path.hasSuffix("/PKG-INFO") || path.hasSuffix(".egg-info") || path.hasSuffix(".egg")
    }

    public func catalog(_ fs: any RootFileSystem, distro: Distro?) throws -> [Package] {
        var packages: [Package] = []
        for path in LanguageFiles.wanted(by: self, in: fs) where Self.isMetadata(path) {
            if path.hasSuffix(".egg") {
                if let bytes = PythonEggArchive.metadata(of: path, in: fs),
                   var package = package(metadata: PythonMetadata(parsing: bytes), at: path, fs: fs) {
                    package.ownedFiles = [path]
                    packages.append(package)
                }
                continue
            }
            guard let bytes = LanguageFiles.read(path, in: fs) else { continue }
            if let package = package(metadata: PythonMetadata(parsing: bytes), at: path, fs: fs) {
                packages.append(package)
            }
        }
        return packages
    }

    func package(metadata: PythonMetadata, at path: String, fs: any RootFileSystem) -> Package? {
        guard let name = metadata.name, let version = metadata.version else { return nil }
        var locations = [path]
        var owned: [String] = []
        let parent = PathNormalizer.parent(of: path)
        if parent.hasSuffix(".dist-info") {
            let record = parent + "/RECORD"
            if let bytes = LanguageFiles.read(record, in: fs) {
                locations.append(record)
                owned = PythonRecordFile.paths(fromRecord: bytes, base: PathNormalizer.parent(of: parent))
            }
        } else if parent.hasSuffix(".egg-info") {
            let list = parent + "/installed-files.txt"
            if let bytes = LanguageFiles.read(list, in: fs) {
                locations.append(list)
                owned = PythonRecordFile.paths(fromInstalledFiles: bytes, base: parent)
            }
        }
        return Package(name: name, version: version, type: .python, purl: Self.purl(name: name, version: version),
                       locations: locations, licenses: metadata.licenses, ownedFiles: owned)
    }

    /// `pkg:pypi/<PEP 503 name>@<version>`.
    public static func purl(name: String, version: String) -> PackageURL {
        PackageURL(type: PackageType.python.purlType, name: pep503Normalized(name), version: version)
    }

    /// PEP 503: lower case, and every run of `-`, `_`, `.` becomes one `-`.
    public static func pep503Normalized(_ name: String) -> String {
        var out = ""
        var inSeparatorRun = false
        for character in name.lowercased() {
            if character == "-" || character == "_" || character == "." {
                if !inSeparatorRun { out.append("-") }
                inSeparatorRun = true
            } else {
                out.append(character)
                inSeparatorRun = false
            }
        }
        return out
    }
}
