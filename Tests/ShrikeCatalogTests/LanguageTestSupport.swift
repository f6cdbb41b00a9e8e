import Foundation
import ShrikeCatalog
import ShrikeImage
import ShrikeTestSupport

/// Helpers shared by the language cataloger tests.
enum LanguageTestSupport {
    /// `name version purl` of each package, sorted: one string per package makes mismatches easy to read.
    static func summary(_ packages: [Package]) -> [String] {
        packages.map { "\($0.name) \($0.version) \($0.purl)" }.sorted()
    }

    /// Runs `cataloger` twice over the same files: with every file's content, and with only the contents its `wants`
    /// keeps (as an image source would). Both must agree, which proves `wants` asks for everything it reads.
    static func catalogBothWays(_ cataloger: any Cataloger, files: [String: String]) throws -> [Package] {
        let full = try cataloger.catalog(InMemoryFileSystem(textFiles: files), distro: nil)
        let selective = try cataloger.catalog(
            InMemoryFileSystem(textFiles: files, keepContent: { cataloger.wants(path: $0, size: $1) }), distro: nil)
        precondition(summary(full) == summary(selective), "wants() drops a file the cataloger reads: \(summary(full)) vs \(summary(selective))")
        return full
    }

    /// A directory file system over a fresh temporary root that `fill` populates.
    static func directoryRoot(_ fill: (String) throws -> Void) throws -> (DirectoryFileSystem, String) {
        let root = try LanguageFixtures.temporaryDirectory()
        try fill(root)
        return (try DirectoryFileSystem(root: root), root)
    }
}
