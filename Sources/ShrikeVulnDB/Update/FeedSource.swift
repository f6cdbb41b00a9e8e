import Foundation
import ShrikeCore

/// One advisory feed `shrike db update` downloads: an OSV zip export, an Alpine or Wolfi secdb JSON file, the Debian
/// security tracker's JSON, an OVAL file (plain or `.xml.bz2`), or a yum repository's `mirror.list`, which is resolved
/// to the repository's updateinfo (`YumRepositoryFeed`). What the feed holds is recognised from its content when it is
/// imported, so any URL serving one of those formats works (a mirror, a local copy on 127.0.0.1).
///
/// Only `https` URLs are accepted, except plain `http` to a loopback host (`127.0.0.0/8`, `::1`, `localhost`), where
/// nobody can tamper with the data in transit: advisories decide what a CI gate lets through.
public struct FeedSource: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The URL as given (after validation).
    public let url: URL

    /// Validates `string` as a feed URL. Throws `usage` for anything but an absolute https URL or an http URL to a
    /// loopback host.
    public init(url string: String) throws {
        let trimmed = string.trimmingCharacters(in: .whitespaces)
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw ShrikeError(.usage, "not an absolute URL; give an https URL such as https://secdb.alpinelinux.org/v3.20/main.json", input: string)
        }
        switch scheme {
        case "https":
            break
        case "http":
            guard Self.isLoopback(host: host) else {
                throw ShrikeError(.usage, "plain http is only accepted for loopback hosts (127.0.0.1, ::1, localhost); use https", input: string)
            }
        default:
            throw ShrikeError(.usage, "unsupported scheme '\(scheme)'; feeds are downloaded over https (http only from loopback hosts)", input: string)
        }
        self.url = url
    }

    public var description: String { url.absoluteString }

    /// True for `localhost`, `127.0.0.0/8` and `::1` (with or without brackets).
    public static func isLoopback(host: String) -> Bool {
        let lower = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if lower == "localhost" || lower == "::1" || lower == "0:0:0:0:0:0:0:1" { return true }
        let octets = lower.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { UInt8($0) != nil }
    }

    /// The OSV ecosystems whose exports are downloaded by default (the language ecosystems Shrike matches).
    public static let defaultOSVEcosystems = ["PyPI", "npm", "Go", "crates.io", "Maven", "RubyGems", "Packagist", "NuGet", "Hex"]
    /// The distributions whose OSV exports are downloaded by default: their vendors publish OSV themselves (AlmaLinux,
    /// Rocky Linux, Ubuntu: Canonical's OSV of the Ubuntu CVE Tracker and its USNs).
    public static let defaultDistroOSVEcosystems = ["AlmaLinux", "Rocky%20Linux", "Ubuntu"]
    /// Vendor feeds downloaded by default besides OSV, Alpine and Debian (docs/vulnerability-data.md gives each one's
    /// licence and cadence): Wolfi's and Chainguard's secdb, Microsoft's OVAL for CBL-Mariner 2.0 and Azure Linux 3.0,
    /// Oracle's ELSA OVAL for Oracle Linux 8 and 9 and Red Hat's OVAL v2 for RHEL 8 and 9 (both bzip2-compressed).
    public static let defaultVendorFeeds = [
        "https://packages.wolfi.dev/os/security.json",
        "https://packages.cgr.dev/chainguard/security.json",
        "https://raw.githubusercontent.com/microsoft/AzureLinuxVulnerabilityData/main/cbl-mariner-2.0-oval.xml",
        "https://raw.githubusercontent.com/microsoft/AzureLinuxVulnerabilityData/main/azurelinux-3.0-oval.xml",
        "https://linux.oracle.com/security/oval/com.oracle.elsa-ol8.xml.bz2",
        "https://linux.oracle.com/security/oval/com.oracle.elsa-ol9.xml.bz2",
        "https://security.access.redhat.com/data/oval/v2/RHEL8/rhel-8.oval.xml.bz2",
        "https://security.access.redhat.com/data/oval/v2/RHEL9/rhel-9.oval.xml.bz2",
    ]
    /// The Amazon Linux repositories whose updateinfo (ALAS) is downloaded by default, by their mirror lists: Amazon
    /// Linux 2023 and Amazon Linux 2 core for x86_64, the lists Trivy's vuln-list-update reads (records are matched by
    /// package name and version, not architecture).
    public static let defaultAmazonMirrorLists = [
        "https://cdn.amazonlinux.com/al2023/core/mirrors/latest/x86_64/mirror.list",
        "https://cdn.amazonlinux.com/2/core/latest/x86_64/mirror.list",
    ]
    /// The Alpine releases whose secdb (main and community) is downloaded by default.
    public static let defaultAlpineReleases = ["3.16", "3.17", "3.18", "3.19", "3.20", "3.21", "3.22"]

    /// The feeds `shrike db update` downloads when no `--source` or feeds file is given: OSV per language ecosystem
    /// and distribution, Alpine secdb per release and repository, the Debian security tracker, the vendor feeds and
    /// the Amazon Linux mirror lists.
    public static var defaults: [FeedSource] {
        var urls = (defaultOSVEcosystems + defaultDistroOSVEcosystems).map {
            "https://osv-vulnerabilities.storage.googleapis.com/\($0)/all.zip"
        }
        for release in defaultAlpineReleases {
            for repository in ["main", "community"] {
                urls.append("https://secdb.alpinelinux.org/v\(release)/\(repository).json")
            }
        }
        urls.append("https://security-tracker.debian.org/tracker/data/json")
        urls += defaultVendorFeeds
        urls += defaultAmazonMirrorLists
        // The literals above are valid https URLs; compactMap only satisfies the throwing initialiser.
        return urls.compactMap { try? FeedSource(url: $0) }
    }

    /// Reads a feeds file: one URL per line; blank lines and lines starting with `#` are skipped, and a `#` after
    /// whitespace starts a comment. Throws `usage` naming the file and line for a bad URL, and when no URL is left.
    public static func list(parsing text: String, file: String) throws -> [FeedSource] {
        var feeds: [FeedSource] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(rawLine)
            if let comment = line.range(of: " #") ?? line.range(of: "\t#") { line = line[..<comment.lowerBound] }
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            do {
                feeds.append(try FeedSource(url: trimmed))
            } catch let error as ShrikeError {
                throw ShrikeError(.usage, "line \(index + 1): \(error.description)", input: file)
            }
        }
        guard !feeds.isEmpty else {
            throw ShrikeError(.usage, "the feeds file lists no URL (one https URL per line)", input: file)
        }
        return feeds
    }

    /// Reads the feeds file at `path` (see `list(parsing:file:)`).
    public static func list(contentsOf path: String) throws -> [FeedSource] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ShrikeError(.notFound, "cannot read the feeds file", input: path)
        }
        return try list(parsing: String(decoding: data, as: UTF8.self), file: path)
    }
}
