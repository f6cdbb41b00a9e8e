import Foundation
import ShrikeTestSupport

/// A real Debian 12 (bookworm) minbase root file system made by `debootstrap`, cached between test runs.
///
/// Lives in `<repo>/.build/fixtures/debootstrap-bookworm/rootfs`. It is built into a sibling temporary directory, marked
/// complete, then renamed into place, so an interrupted run never leaves a half root file system that a later run
/// would trust. Building takes ~30–60 s and needs root and the network to deb.debian.org; later runs reuse it.
enum DebootstrapRootfs {
    static let suite = "bookworm"
    static let mirror = "http://deb.debian.org/debian"
    static let cacheDirectory = RepositoryFiles.path(".build/fixtures/debootstrap-\(suite)")
    static let markerName = "COMPLETE"
    /// Where the output of the last failed debootstrap is kept, for the skip message.
    static let failureLog = RepositoryFiles.path(".build/fixtures/debootstrap-\(suite).log")

    static var isRoot: Bool { geteuid() == 0 }
    static var haveDebootstrap: Bool { ExternalTool.find("debootstrap") != nil }
    static var haveDpkgQuery: Bool { ExternalTool.find("dpkg-query") != nil }

    /// The cached root file system's path, building it on first use; nil when it cannot be built here.
    static let root: String? = {
        guard isRoot, haveDebootstrap else { return nil }
        do {
            return try cachedOrBuilt()
        } catch {
            try? "\(error)\n".write(toFile: failureLog, atomically: true, encoding: .utf8)
            return nil
        }
    }()

    static var isAvailable: Bool { root != nil }

    struct BuildFailed: Error, CustomStringConvertible {
        var description: String
    }

    private static func cachedOrBuilt() throws -> String {
        let manager = FileManager.default
        let rootfs = cacheDirectory + "/rootfs"
        if manager.fileExists(atPath: cacheDirectory + "/" + markerName) { return rootfs }
        // An incomplete cache directory can only come from an older layout or a hand edit; never trust it.
        try? manager.removeItem(atPath: cacheDirectory)
        let parent = (cacheDirectory as NSString).deletingLastPathComponent
        try manager.createDirectory(atPath: parent, withIntermediateDirectories: true)
        // Leftovers of killed runs (their defer never ran) are half root file systems: remove them.
        let prefix = (cacheDirectory as NSString).lastPathComponent + ".building-"
        for name in (try? manager.contentsOfDirectory(atPath: parent)) ?? [] where name.hasPrefix(prefix) {
            try? manager.removeItem(atPath: parent + "/" + name)
        }
        let building = cacheDirectory + ".building-\(getpid())"
        try manager.createDirectory(atPath: building, withIntermediateDirectories: true)
        defer { try? manager.removeItem(atPath: building) }

        let result = try ExternalTool.run(["debootstrap", "--variant=minbase", suite, building + "/rootfs", mirror])
        guard result.status == 0 else {
            throw BuildFailed(description: "debootstrap exited \(result.status): \(result.stderr.suffix(2000))\(result.stdout.suffix(2000))")
        }
        // debootstrap only reports success once the base system is configured; the marker records that.
        try "debootstrap --variant=minbase \(suite) \(mirror)\n".write(toFile: building + "/" + markerName, atomically: true, encoding: .utf8)
        if rename(building, cacheDirectory) != 0 {
            // Another process may have finished first; its complete copy is as good as ours.
            guard manager.fileExists(atPath: cacheDirectory + "/" + markerName) else {
                throw BuildFailed(description: "cannot move \(building) to \(cacheDirectory): \(String(cString: strerror(errno)))")
            }
        }
        try? manager.removeItem(atPath: failureLog)
        return rootfs
    }

    /// One line of `dpkg-query -W` for a package.
    struct DpkgRecord: Hashable, Sendable {
        var name: String
        var version: String
        var architecture: String
        var sourceName: String
        var sourceVersion: String
    }

    /// The packages dpkg itself says are installed (status `?i?`) in the root file system at `root`.
    static func dpkgInstalled(root: String) throws -> [DpkgRecord] {
        let format = "${Package}\t${Version}\t${Architecture}\t${db:Status-Abbrev}\t${source:Package}\t${source:Version}\n"
        let result = try ExternalTool.run(["dpkg-query", "--admindir=\(root)/var/lib/dpkg", "-W", "-f", format])
        guard result.status == 0 else { throw BuildFailed(description: "dpkg-query failed: \(result.stderr)") }
        return result.stdout.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 6 else { return nil }
            // db:Status-Abbrev is desired/status/error, e.g. "ii "; the second letter 'i' means installed.
            let status = Array(fields[3])
            guard status.count >= 2, status[1] == "i" else { return nil }
            return DpkgRecord(name: fields[0], version: fields[1], architecture: fields[2],
                              sourceName: fields[4], sourceVersion: fields[5])
        }
    }
}
