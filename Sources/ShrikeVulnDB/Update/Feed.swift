import Foundation
import ShrikeCore

/// One advisory feed `shrike db update` downloads: where it is and which importer reads it.
public struct Feed: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// An OSV export: a zip of OSV JSON records (`…/PyPI/all.zip`).
        case osvZip = "osv-zip"
        /// Alpine's secdb JSON for one release and repository (`…/v3.20/main.json`).
        case alpineSecDB = "alpine-secdb"
        /// The Debian security tracker's JSON dump.
        case debianTracker = "debian-tracker"
    }

    public var url: URL
    public var kind: Kind

    public init(url: URL, kind: Kind) {
        self.url = url
        self.kind = kind
    }

    /// A feed from a URL alone, its kind told by the path (`.zip` → OSV, `/vX.Y/….json` → Alpine secdb,
    /// `…/tracker/data/json` or a name containing `debian` → Debian tracker).
    public init(url string: String) throws {
        guard let url = URL(string: string), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              url.host != nil
        else {
            throw ShrikeError(.usage, "a feed source must be an http(s) URL", input: string)
        }
        let path = url.path.lowercased()
        if path.hasSuffix(".zip") {
            self.init(url: url, kind: .osvZip)
        } else if path.range(of: #"/v\d+\.\d+/[a-z]+\.json$"#, options: .regularExpression) != nil {
            self.init(url: url, kind: .alpineSecDB)
        } else if path.hasSuffix("/tracker/data/json") || path.contains("debian") {
            self.init(url: url, kind: .debianTracker)
        } else {
            throw ShrikeError(.usage, "cannot tell which advisory format this URL serves (want an OSV .zip, an Alpine secdb vX.Y/REPO.json, or the Debian tracker JSON)", input: string)
        }
    }

    /// The feeds Shrike downloads by default: OSV per language ecosystem, Alpine secdb for supported releases,
    /// and the Debian security tracker.
    public static let defaults: [Feed] = {
        var feeds: [Feed] = []
        for ecosystem in ["PyPI", "npm", "Go", "crates.io", "Maven", "RubyGems", "Packagist", "NuGet", "Hex"] {
            if let url = URL(string: "https://osv-vulnerabilities.storage.googleapis.com/\(ecosystem)/all.zip") {
                feeds.append(Feed(url: url, kind: .osvZip))
            }
        }
        for release in ["3.17", "3.18", "3.19", "3.20", "3.21", "3.22"] {
            for repository in ["main", "community"] {
                if let url = URL(string: "https://secdb.alpinelinux.org/v\(release)/\(repository).json") {
                    feeds.append(Feed(url: url, kind: .alpineSecDB))
                }
            }
        }
        if let url = URL(string: "https://security-tracker.debian.org/tracker/data/json") {
            feeds.append(Feed(url: url, kind: .debianTracker))
        }
        return feeds
    }()

    /// A file name for the downloaded copy that keeps the importer's hints (`.zip`, `vX.Y/main.json`).
    var localName: String {
        let safeHost = (url.host ?? "feed").replacingOccurrences(of: ":", with: "_")
        let parts = url.path.split(separator: "/").suffix(2).joined(separator: "_")
        return "\(safeHost)_\(parts.isEmpty ? "index" : parts)"
    }
}
