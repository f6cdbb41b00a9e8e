import ShrikeCore
import ShrikeImage

/// Works out which distribution a root file system is, from the files distributions use to say so.
///
/// Order: `/etc/os-release`, `/usr/lib/os-release` (where `/etc/os-release` usually links to), `/etc/lsb-release`
/// (Ubuntu and its derivatives), then the vendors' own release files for images that predate os-release or had it
/// removed: `/etc/alpine-release`, `/etc/mariner-release` and `/etc/azurelinux-release`, `/etc/system-release`
/// (Amazon Linux), `/etc/redhat-release` (RHEL, CentOS, Rocky, AlmaLinux, Oracle, Fedora), `/etc/SuSE-release`,
/// `/etc/debian_version`. The first file that names a distribution wins.
public enum DistroDetector {
    /// The files `detect` reads: an image source must keep their contents.
    public static let wantedPaths: Set<String> = [
        "/etc/os-release", "/usr/lib/os-release", "/etc/lsb-release", "/etc/alpine-release", "/etc/debian_version",
        "/etc/redhat-release", "/etc/system-release", "/etc/mariner-release", "/etc/azurelinux-release",
        "/etc/SuSE-release",
    ]

    /// The distribution of `fs`, or nil when none of the release files names one (scratch and distroless-static images).
    ///
    /// Throws only what `RootFileSystem.contents(of:)` throws for unsafe paths (symlink loops); unreadable or
    /// malformed release files are skipped in favour of the next one.
    public static func detect(_ fs: any RootFileSystem) throws -> Distro? {
        for path in ["/etc/os-release", "/usr/lib/os-release"] {
            if let text = try text(of: path, in: fs), let distro = OSReleaseParser.distro(fromText: text) {
                return distro
            }
        }
        if let text = try text(of: "/etc/lsb-release", in: fs), let distro = lsb(fromRelease: text) {
            return distro
        }
        if let text = try text(of: "/etc/alpine-release", in: fs), let distro = alpine(fromRelease: text) {
            return distro
        }
        for path in ["/etc/azurelinux-release", "/etc/mariner-release"] {
            if let text = try text(of: path, in: fs), let distro = mariner(fromRelease: text) { return distro }
        }
        // Amazon Linux writes system-release (and a redhat-release link to it); RHEL-likes write both too, so one
        // parser serves them.
        for path in ["/etc/system-release", "/etc/redhat-release"] {
            if let text = try text(of: path, in: fs), let distro = redHat(fromRelease: text) { return distro }
        }
        if let text = try text(of: "/etc/SuSE-release", in: fs), let distro = suse(fromRelease: text) {
            return distro
        }
        if let text = try text(of: "/etc/debian_version", in: fs), let distro = debian(fromVersion: text) {
            return distro
        }
        return nil
    }

    /// `/etc/lsb-release`: `DISTRIB_ID=Ubuntu`, `DISTRIB_RELEASE=18.04`, `DISTRIB_CODENAME=bionic`,
    /// `DISTRIB_DESCRIPTION="Ubuntu 18.04.6 LTS"` — the same assignments os-release uses, under other names.
    public static func lsb(fromRelease text: String) -> Distro? {
        let fields = OSReleaseParser.parse(text)
        guard let id = nonEmpty(fields["DISTRIB_ID"] ?? "")?.lowercased() else { return nil }
        var version = nonEmpty(fields["DISTRIB_RELEASE"] ?? "")
        let codename = nonEmpty(fields["DISTRIB_CODENAME"] ?? "")?.lowercased()
        if id == "ubuntu", version == nil, let codename { version = UbuntuRelease.version(ofCodename: codename) }
        return Distro(id: id, versionID: version, prettyName: nonEmpty(fields["DISTRIB_DESCRIPTION"] ?? ""),
                      codename: codename, idLike: id == "ubuntu" ? ["debian"] : [])
    }

    /// `/etc/mariner-release` (`CBL-Mariner 2.0.20230630`) and `/etc/azurelinux-release` (`Azure Linux 3.0.20240727`):
    /// the release is major.minor of the first version-looking word.
    public static func mariner(fromRelease text: String) -> Distro? {
        guard let line = firstLine(text) else { return nil }
        let lower = line.lowercased()
        let id: String
        if lower.hasPrefix("cbl-mariner") || lower.hasPrefix("common base linux mariner") {
            id = "mariner"
        } else if lower.hasPrefix("azure linux") || lower.hasPrefix("microsoft azure linux") {
            id = "azurelinux"
        } else {
            return nil
        }
        guard let word = line.split(separator: " ").first(where: { $0.first?.isNumber == true }) else { return nil }
        let numbers = word.split(separator: ".").prefix(2)
        guard numbers.count == 2 else { return nil }
        return Distro(id: id, versionID: numbers.joined(separator: "."), prettyName: line)
    }

    /// `/etc/SuSE-release` (SLES 11/12, old openSUSE): a product line, then `VERSION = 12` and `PATCHLEVEL = 3`.
    /// SLES 12 SP3 becomes `sles` `12.3`, as its os-release would say.
    public static func suse(fromRelease text: String) -> Distro? {
        guard let line = firstLine(text) else { return nil }
        var fields: [String: String] = [:]
        for row in text.split(whereSeparator: \.isNewline) {
            let parts = row.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            fields[String(parts[0]).trimmingSpaces().uppercased()] = String(parts[1]).trimmingSpaces()
        }
        guard let version = fields["VERSION"].flatMap(nonEmpty) else { return nil }
        let lower = line.lowercased()
        let id: String
        if lower.hasPrefix("suse linux enterprise desktop") {
            id = "sled"
        } else if lower.hasPrefix("suse linux enterprise") {
            id = "sles"
        } else if lower.hasPrefix("opensuse") {
            id = "opensuse-leap"
        } else {
            return nil
        }
        let patch = fields["PATCHLEVEL"].flatMap(nonEmpty)
        let versionID = patch.map { $0 == "0" || version.contains(".") ? version : "\(version).\($0)" } ?? version
        return Distro(id: id, versionID: versionID, prettyName: line, idLike: ["suse"])
    }

    /// `/etc/alpine-release` holds just the version (`3.20.3`).
    public static func alpine(fromRelease text: String) -> Distro? {
        guard let version = firstLine(text), !version.isEmpty else { return nil }
        return Distro(id: "alpine", versionID: version, prettyName: "Alpine Linux v\(majorMinor(version))")
    }

    /// `/etc/debian_version` holds a point release (`12.4`, `9.13`) or, on testing and derivatives, a codename
    /// (`bookworm/sid`). A point release gives the major version, as os-release's `VERSION_ID` does (`12`), so purls
    /// and advisory namespaces come out the same either way.
    public static func debian(fromVersion text: String) -> Distro? {
        guard let line = firstLine(text), !line.isEmpty else { return nil }
        if let first = line.first, first.isNumber {
            let major = String(line.prefix(while: { $0.isNumber }))
            return Distro(id: "debian", versionID: major, prettyName: "Debian GNU/Linux \(line)")
        }
        let codename = line.split(separator: "/").first.map(String.init)
        return Distro(id: "debian", prettyName: "Debian GNU/Linux \(line)", codename: codename)
    }

    /// `/etc/redhat-release` holds one sentence: `CentOS Linux release 7.9.2009 (Core)`,
    /// `Red Hat Enterprise Linux release 8.4 (Ootpa)`, `CentOS release 6.10 (Final)`, `Fedora release 39 (Thirty Nine)`.
    /// The product name maps to its os-release `ID`; the version is kept as written; the parenthesised word is the codename.
    public static func redHat(fromRelease text: String) -> Distro? {
        guard let line = firstLine(text), let releaseRange = line.range(of: " release ") else { return nil }
        let product = String(line[..<releaseRange.lowerBound]).trimmingSpaces()
        let rest = line[releaseRange.upperBound...]
        let version = String(rest.prefix(while: { $0.isNumber || $0 == "." }))
        guard !product.isEmpty, !version.isEmpty else { return nil }
        var codename: String?
        if let open = rest.firstIndex(of: "("), let close = rest[open...].firstIndex(of: ")") {
            codename = nonEmpty(String(rest[rest.index(after: open)..<close]))
        }
        let (id, idLike) = redHatID(forProduct: product)
        return Distro(id: id, versionID: version, prettyName: line, codename: codename, idLike: idLike)
    }

    /// os-release `ID` and `ID_LIKE` of the products that write `/etc/redhat-release`.
    static func redHatID(forProduct product: String) -> (String, [String]) {
        let lower = product.lowercased()
        let known: [(prefix: String, id: String, idLike: [String])] = [
            ("red hat enterprise linux", "rhel", ["fedora"]),
            ("centos stream", "centos", ["rhel", "fedora"]),
            ("centos", "centos", ["rhel", "fedora"]),
            ("rocky linux", "rocky", ["rhel", "centos", "fedora"]),
            ("almalinux", "almalinux", ["rhel", "centos", "fedora"]),
            ("oracle linux", "ol", ["fedora"]),
            ("scientific linux", "scientific", ["rhel", "fedora"]),
            ("fedora", "fedora", []),
            ("amazon linux", "amzn", ["centos", "rhel", "fedora"]),
        ]
        for entry in known where lower.hasPrefix(entry.prefix) {
            return (entry.id, entry.idLike)
        }
        // An unknown product: its first word, lower-cased, is the best guess at an ID.
        let firstWord = lower.split(separator: " ").first.map(String.init) ?? lower
        return (firstWord, ["rhel", "fedora"])
    }

    static func text(of path: String, in fs: any RootFileSystem) throws -> String? {
        guard let bytes = try fs.contents(of: path) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func firstLine(_ text: String) -> String? {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { $0.trimmingSpaces() }
            .first { !$0.isEmpty }
    }

    static func majorMinor(_ version: String) -> String {
        version.split(separator: ".").prefix(2).joined(separator: ".")
    }

    static func nonEmpty(_ value: String) -> String? {
        let trimmed = value.trimmingSpaces()
        return trimmed.isEmpty ? nil : trimmed
    }
}
