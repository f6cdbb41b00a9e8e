import Foundation
import Testing

/// Reads the fixtures bundled with this test target (see Fixtures/PROVENANCE.md).
enum VersionFixtures {
    static func path(_ relative: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return url.appendingPathComponent(relative).path
    }

    static func text(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }

    /// The Version of every package installed on a Debian 12 system.
    static func debianInstalledVersions() throws -> [String] {
        try text("versions/debian-installed-versions.txt").split(whereSeparator: \.isNewline).map(String.init)
    }

    /// Every fixed version in Alpine's v3.9 main secdb, in file order (the `<version>:` keys under `secfixes`).
    static func alpineSecdbFixedVersions() throws -> [String] {
        try text("alpine-secdb/v3.9-main.yaml").split(whereSeparator: \.isNewline).compactMap { line in
            // Fixed versions are the only keys indented by eight spaces.
            guard line.hasPrefix("        "), !line.hasPrefix("         "), line.hasSuffix(":") else { return nil }
            return line.dropFirst(8).dropLast().trimmingCharacters(in: .init(charactersIn: "'\""))
        }
    }

    /// Deterministic pairs from `versions`: neighbours in `sorted` order (the close calls) and far strides.
    static func pairs(_ versions: [String], sorted: [String]) -> [(String, String)] {
        var pairs: [(String, String)] = []
        for (a, b) in zip(sorted, sorted.dropFirst()) { pairs.append((a, b)) }
        let n = versions.count
        for i in 0..<n { pairs.append((versions[i], versions[(i * 7 + 3) % n])) }
        return pairs
    }
}
