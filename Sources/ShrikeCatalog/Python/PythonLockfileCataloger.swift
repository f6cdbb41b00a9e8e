import ShrikeCore
import ShrikeImage

/// Finds the Python dependencies a project pins: `poetry.lock`, `Pipfile.lock`, and `requirements*.txt` lines with
/// an exact `==` (or `===`) version. For `dir:` targets: lockfiles describe what would be installed, not what is.
///
/// Ranges (`>=1.2`), wildcards (`==1.*`), URLs, editable installs and options (`-r`, `--hash`) are not pins and are
/// skipped; Poetry packages from git, a directory, a file or a URL are skipped (they are not PyPI releases).
public struct PythonLockfileCataloger: Cataloger {
    public static let maxFileSize: Int64 = 32 << 20

    public let name = "python-lock"

    public init() {}

    public func wants(path: String, size: Int64) -> Bool {
        guard size <= Self.maxFileSize else { return false }
        let base = PathNormalizer.baseName(of: path)
        if base == "poetry.lock" || base == "Pipfile.lock" { return true }
        return base.hasPrefix("requirements") && base.hasSuffix(".txt")
    }

    public func catalog(_ fs: any RootFileSystem, distro: Distro?) throws -> [Package] {
        var packages: [Package] = []
        for path in LanguageFiles.wanted(by: self, in: fs) {
            guard let bytes = LanguageFiles.read(path, in: fs) else { continue }
            let pins: [(name: String, version: String)]
            switch PathNormalizer.baseName(of: path) {
            case "poetry.lock": pins = Self.poetryPins(bytes)
            case "Pipfile.lock": pins = Self.pipfilePins(bytes)
            default: pins = Self.requirementPins(bytes)
            }
            for pin in pins {
                packages.append(Package(name: pin.name, version: pin.version, type: .python,
                                        purl: PythonInstalledCataloger.purl(name: pin.name, version: pin.version),
                                        locations: [path]))
            }
        }
        return packages
    }

    static func poetryPins(_ bytes: [UInt8]) -> [(name: String, version: String)] {
        TOMLArrayTables.entries(named: "package", in: String(decoding: bytes, as: UTF8.self)).compactMap { entry in
            guard let name = entry["name"], let version = entry["version"] else { return nil }
            if let source = entry["source.type"], ["git", "directory", "file", "url"].contains(source) { return nil }
            return (name, version)
        }
    }

    /// `{"default": {"requests": {"version": "==2.19.1", …}}, "develop": {…}}`.
    static func pipfilePins(_ bytes: [UInt8]) -> [(name: String, version: String)] {
        guard let document = LanguageFiles.jsonObject(bytes) else { return [] }
        var pins: [(name: String, version: String)] = []
        for section in ["default", "develop"] {
            guard let packages = document[section] as? [String: Any] else { continue }
            for (name, value) in packages.sorted(by: { $0.key < $1.key }) {
                guard let spec = (value as? [String: Any])?["version"] as? String, spec.hasPrefix("==") else { continue }
                let version = String(spec.drop { $0 == "=" }).trimmingSpaces()
                if !version.isEmpty { pins.append((name, version)) }
            }
        }
        return pins
    }

    static func requirementPins(_ bytes: [UInt8]) -> [(name: String, version: String)] {
        var pins: [(name: String, version: String)] = []
        var logical = ""
        for line in LanguageFiles.lines(bytes) {
            // A trailing backslash continues the requirement on the next line (used with --hash options).
            if line.hasSuffix("\\") {
                logical += line.dropLast() + " "
                continue
            }
            logical += line
            if let pin = requirementPin(logical) { pins.append(pin) }
            logical = ""
        }
        if let pin = requirementPin(logical) { pins.append(pin) }
        return pins
    }

    /// `Django[argon2]==2.2 ; python_version >= "3" --hash=sha256:…  # comment` → (`Django`, `2.2`).
    static func requirementPin(_ raw: String) -> (name: String, version: String)? {
        var line = Substring(raw)
        if let comment = line.range(of: " #") { line = line[..<comment.lowerBound] }
        if let marker = line.firstIndex(of: ";") { line = line[..<marker] }
        let text = line.trimmingSpaces()
        guard !text.isEmpty, !text.hasPrefix("#"), !text.hasPrefix("-"), !text.contains("://"),
              let pin = text.range(of: "==") else { return nil }
        var name = text[..<pin.lowerBound].trimmingSpaces()
        if let extras = name.firstIndex(of: "[") { name = String(name[..<extras]).trimmingSpaces() }
        let version = text[pin.upperBound...].drop { $0 == "=" || $0 == " " }
            .prefix { !$0.isWhitespace && $0 != "," }
        guard !name.isEmpty, !version.isEmpty, !version.contains("*"),
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") })
        else { return nil }
        return (name, String(version))
    }
}
