import ShrikeCatalog
import ShrikeCore
import ShrikeVulnDB

/// Writes `shrike scan -o json`, the shape DESIGN.md fixes:
/// `{"source", "distro", "matches": [{"vulnerability": {id, aliases, severity, status, fixedVersion, namespace, urls},
/// "package": {name, version, type, purl, layer}}], "summary": {critical … unknown}}`, keys sorted. `fixedVersion`
/// and `layer` are null when unknown, so every key is always present. Advisories that name vulnerable symbols add
/// `vulnerability.symbols` (flat: Go `<import path>.<symbol>`, RustSec functions) and, for Go,
/// `vulnerability.affectedSymbols: [{"path": "golang.org/x/net/html", "symbols": ["Parse"]}]` (both absent otherwise).
/// With `--show-suppressed` a `suppressed` array
/// follows, each entry a match plus `vex: {status, justification, impactStatement}`. `unchecked` is always present:
/// `{"packages": N, "groups": [{distribution, namespaces, type, count, reason, message}]}` — packages that were not
/// checked at all (no distribution, unknown release, no advisory data), so "no matches" is never mistaken for "safe".
/// A match carries `vulnerability.vendorStatus` when the vendor published its own word for the state.
public struct ScanJSONWriter: ScanWriter {
    public init() {}

    public func write(_ report: ScanReport) throws -> [UInt8] {
        try JSONOutput.encode(Document(report: report), format: "json")
    }

    private struct Document: Encodable {
        let report: ScanReport

        enum Keys: String, CodingKey { case source, distro, matches, summary, suppressed, unchecked }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(SBOMJSONWriter.Source(source: report.sbom.source), forKey: .source)
            if let distro = report.sbom.distro {
                try c.encode(SBOMJSONWriter.DistroObject(distro: distro), forKey: .distro)
            } else {
                try c.encodeNil(forKey: .distro)
            }
            try c.encode(report.matches.map { MatchObject(match: $0, vex: nil) }, forKey: .matches)
            try c.encode(report.summary, forKey: .summary)
            try c.encode(UncheckedObject(report: report), forKey: .unchecked)
            if report.showSuppressed {
                try c.encode(report.suppressed.map { MatchObject(match: $0.match, vex: $0) }, forKey: .suppressed)
            }
        }
    }

    struct UncheckedObject: Encodable {
        let report: ScanReport

        enum Keys: String, CodingKey { case packages, groups }
        enum GroupKeys: String, CodingKey { case distribution, namespaces, type, count, reason, message }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(report.uncheckedCount, forKey: .packages)
            var groups = c.nestedUnkeyedContainer(forKey: .groups)
            for group in report.unchecked {
                var g = groups.nestedContainer(keyedBy: GroupKeys.self)
                try g.encode(group.distribution, forKey: .distribution)
                try g.encode(group.namespaces, forKey: .namespaces)
                try g.encode(group.packageType.rawValue, forKey: .type)
                try g.encode(group.count, forKey: .count)
                try g.encode(group.reason.rawValue, forKey: .reason)
                try g.encode(group.message, forKey: .message)
            }
        }
    }

    struct MatchObject: Encodable {
        let match: Match
        let vex: SuppressedMatch?

        enum Keys: String, CodingKey { case vulnerability, package, vex }
        enum VulnerabilityKeys: String, CodingKey {
            case id, aliases, severity, status, fixedVersion, namespace, urls, symbols, affectedSymbols, vendorStatus
        }
        struct SymbolsObject: Encodable {
            let path: String
            let symbols: [String]
        }
        enum PackageKeys: String, CodingKey { case name, version, type, purl, layer }
        enum VEXKeys: String, CodingKey { case status, justification, impactStatement }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            let v = match.vulnerability
            var vulnerability = c.nestedContainer(keyedBy: VulnerabilityKeys.self, forKey: .vulnerability)
            try vulnerability.encode(v.id, forKey: .id)
            try vulnerability.encode(v.aliases, forKey: .aliases)
            try vulnerability.encode(v.severity.rawValue, forKey: .severity)
            try vulnerability.encode(v.status.rawValue, forKey: .status)
            try vulnerability.encode(v.fixedVersion, forKey: .fixedVersion)
            try vulnerability.encode(v.namespace, forKey: .namespace)
            try vulnerability.encode(v.urls, forKey: .urls)
            try vulnerability.encodeIfPresent(v.vendorStatus, forKey: .vendorStatus)
            if !v.symbols.isEmpty { try vulnerability.encode(v.symbols, forKey: .symbols) }
            if !v.affectedImports.isEmpty {
                try vulnerability.encode(v.affectedImports.map { SymbolsObject(path: $0.path, symbols: $0.symbols) },
                                         forKey: .affectedSymbols)
            }
            let p = match.package
            var package = c.nestedContainer(keyedBy: PackageKeys.self, forKey: .package)
            try package.encode(p.name, forKey: .name)
            try package.encode(p.version, forKey: .version)
            try package.encode(p.type.rawValue, forKey: .type)
            try package.encode(p.purl.description, forKey: .purl)
            try package.encode(p.layer?.description, forKey: .layer)
            if let vex {
                var object = c.nestedContainer(keyedBy: VEXKeys.self, forKey: .vex)
                try object.encode(vex.status.rawValue, forKey: .status)
                try object.encodeIfPresent(vex.justification, forKey: .justification)
                try object.encodeIfPresent(vex.impactStatement, forKey: .impactStatement)
            }
        }
    }
}
