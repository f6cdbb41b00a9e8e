import Foundation
import Testing
import ShrikeCatalog
import ShrikeCore
import ShrikeImage
import ShrikeTestSupport

/// Shrike against a real Debian 12 root file system made by debootstrap, compared with what dpkg itself reports:
/// as a directory, and packed as a two-layer docker-archive whose second layer adds one package.
@Suite(
    .serialized,
    .enabled(if: DebootstrapRootfs.isRoot, "debootstrap needs root"),
    .enabled(if: DebootstrapRootfs.haveDebootstrap, "debootstrap is not installed (apt-get install debootstrap)"),
    .enabled(if: DebootstrapRootfs.haveDpkgQuery, "dpkg-query is not installed; it is the reference these tests compare with"),
    .enabled(if: DebootstrapRootfs.isAvailable,
             "debootstrap of bookworm from deb.debian.org failed (no network?); see .build/fixtures/debootstrap-bookworm.log")
)
struct DebootstrapRootfsTests {
    /// `name version arch` for comparing package sets.
    struct Key: Hashable, CustomStringConvertible {
        var name: String
        var version: String
        var architecture: String
        var description: String { "\(name) \(version) \(architecture)" }
    }

    static func keys(_ packages: [Package]) -> Set<Key> {
        Set(packages.map { Key(name: $0.name, version: $0.version, architecture: $0.architecture ?? "") })
    }

    static func keys(_ records: [DebootstrapRootfs.DpkgRecord]) -> Set<Key> {
        Set(records.map { Key(name: $0.name, version: $0.version, architecture: $0.architecture) })
    }

    static func catalog(_ target: String) throws -> SBOM {
        let parsed = try TargetParser.parse(target)
        let options = ImageReadOptions(selector: Catalog.osPackages.contentSelector)
        let (fs, source) = try ImageLoader.open(parsed, options: options)
        return try Catalog.osPackages.run(on: fs, source: source)
    }

    @Test func directoryTargetMatchesDpkg() throws {
        let root = try #require(DebootstrapRootfs.root)
        let expected = try DebootstrapRootfs.dpkgInstalled(root: root)
        try #require(expected.count > 50, "dpkg-query should list a minbase system's ~90 packages")

        let sbom = try Self.catalog("dir:" + root)
        #expect(sbom.source.type == "dir")
        #expect(sbom.source.layers.isEmpty)

        let found = Self.keys(sbom.packages)
        let wanted = Self.keys(expected)
        #expect(found.subtracting(wanted).isEmpty, "Shrike found packages dpkg does not list as installed")
        #expect(wanted.subtracting(found).isEmpty, "Shrike missed packages dpkg lists as installed")
        #expect(sbom.packages.count == expected.count, "each installed package exactly once")
        #expect(sbom.packages.allSatisfy { $0.type == .deb && $0.layer == nil })

        let distro = try #require(sbom.distro)
        #expect(distro.id == "debian")
        #expect(distro.versionID == "12")
        #expect(distro.codename == "bookworm")

        // Source package and version, as dpkg derives them (Source: field, else the binary's own name and version);
        // binNMUs such as bash 5.2.15-2+b13 (source 5.2.15-2) make the versions differ.
        let byName = Dictionary(sbom.packages.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for record in expected {
            guard let package = byName[record.name] else { continue }
            #expect(package.sourceName ?? package.name == record.sourceName, "source name of \(record.name)")
            #expect(package.sourceVersion ?? package.version == record.sourceVersion, "source version of \(record.name)")
        }
        #expect(byName["libc6"]?.sourceName == "glibc")
        #expect(byName["bsdutils"]?.sourceName == "util-linux")
        #expect(byName["bash"]?.sourceVersion != nil && byName["bash"]?.sourceVersion != byName["bash"]?.version,
                "bash is a binNMU in bookworm, so its source version differs from its version")
        #expect(byName["libc6"]?.purl.description.hasPrefix("pkg:deb/debian/libc6@") == true)
        #expect(byName["libc6"]?.purl.description.contains("distro=debian-12") == true)
    }

    @Test(.enabled(if: ExternalTool.find("python3") != nil, "python3 is needed to run bench/dockerarchive.py"))
    func twoLayerDockerArchiveAttributesEachPackageToItsLayer() throws {
        let root = try #require(DebootstrapRootfs.root)
        let expected = try DebootstrapRootfs.dpkgInstalled(root: root)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-debootstrap-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }

        // Layer 1: the whole root file system, as GNU tar writes it (`./` names, numeric owners), streamed to disk.
        let layer1 = work + "/layer1.tar"
        let tar = try ExternalTool.run(["tar", "--numeric-owner", "-C", root, "-cf", layer1, "."])
        try #require(tar.status == 0, "tar failed: \(tar.stderr)")

        // Layer 2: installs nothing, but rewrites the dpkg database with one extra package.
        let status = try String(contentsOfFile: root + "/var/lib/dpkg/status", encoding: .utf8)
        let fake = """
            Package: shrike-layer-two
            Status: install ok installed
            Priority: optional
            Section: misc
            Installed-Size: 1
            Maintainer: Shrike Tests <tests@shrike.invalid>
            Architecture: all
            Version: 1.2.3-4
            Description: a package that only the second layer's dpkg database lists

            """
        let newStatus = (status.hasSuffix("\n\n") ? status : status + "\n") + fake
        let layer2 = work + "/layer2.tar"
        try ImageFixtureBuilder.writeFile(TarWriter.archive([
            .directory("var/"), .directory("var/lib/"), .directory("var/lib/dpkg/"),
            .file("var/lib/dpkg/status", newStatus),
        ]), to: layer2)

        let archive = work + "/image.tar"
        try DockerArchiveScript.write(archive, layers: [layer1, layer2], tag: "shrike/debootstrap:bookworm")
        let diffIDs = try [layer1, layer2].map(DockerArchiveScript.sha256)

        let sbom = try Self.catalog("docker-archive:" + archive)
        #expect(sbom.source.type == "docker-archive")
        #expect(sbom.source.layers.map(\.description) == diffIDs)
        #expect(sbom.distro?.id == "debian" && sbom.distro?.versionID == "12")

        let fakeKey = Key(name: "shrike-layer-two", version: "1.2.3-4", architecture: "all")
        #expect(Self.keys(sbom.packages) == Self.keys(expected).union([fakeKey]))
        #expect(sbom.packages.count == expected.count + 1)

        for package in sbom.packages {
            let wantedLayer = package.name == fakeKey.name ? diffIDs[1] : diffIDs[0]
            #expect(package.layer?.description == wantedLayer, "layer of \(package.name)")
            #expect(package.locations.first == "/var/lib/dpkg/status", "location of \(package.name)")
        }
    }
}

/// Writes docker-archives with `bench/dockerarchive.py`, which streams layers from disk (a 200 MB layer is never
/// held in memory).
enum DockerArchiveScript {
    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    static func write(_ out: String, layers: [String], tag: String) throws {
        let script = """
            import json, sys
            sys.path.insert(0, sys.argv[1])
            from dockerarchive import write_docker_archive
            write_docker_archive(sys.argv[2], json.loads(sys.argv[3]), sys.argv[4])
            """
        let layerList = String(decoding: try JSONEncoder().encode(layers), as: UTF8.self)
        let result = try ExternalTool.run(["python3", "-c", script, RepositoryFiles.path("bench"), out, layerList, tag])
        guard result.status == 0 else { throw Failed(description: "dockerarchive.py failed: \(result.stderr)") }
    }

    /// `sha256:<hex>` of a file, by coreutils (independent of Shrike's and the script's hashing).
    static func sha256(_ path: String) throws -> String {
        let result = try ExternalTool.run(["sha256sum", path])
        guard result.status == 0, let hex = result.stdout.split(separator: " ").first else {
            throw Failed(description: "sha256sum failed: \(result.stderr)")
        }
        return "sha256:" + hex
    }
}
