import Foundation
import ShrikeCore
import ShrikeTestSupport
import Testing

// These tests prove the fixtures are real formats by handing them to independent tools: GNU tar, gzip, zstd and
// skopeo (apt-get install -y skopeo). Tests needing a missing tool are skipped with the reason.

private enum Tools {
    static func exists(_ name: String) -> Bool {
        ["/usr/bin/", "/bin/", "/usr/local/bin/"].contains { FileManager.default.isExecutableFile(atPath: $0 + name) }
    }
    static let tar = exists("tar")
    static let gzip = exists("gzip")
    static let zstd = exists("zstd")
    static let skopeo = exists("skopeo")
}

private struct ToolResult {
    var status: Int32
    var stdout: [UInt8]
    var stderr: String
    var text: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs a command with output captured through files (no pipe deadlocks on large output).
private func run(_ arguments: [String], in scratch: Scratch) throws -> ToolResult {
    let out = scratch.path("stdout-\(UUID().uuidString)")
    let err = scratch.path("stderr-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: out, contents: nil)
    _ = FileManager.default.createFile(atPath: err, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["TZ"] = "UTC"
    environment["LC_ALL"] = "C"
    process.environment = environment
    process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
    process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
    try process.run()
    process.waitUntilExit()
    let stdout = try Data(contentsOf: URL(fileURLWithPath: out))
    let stderr = try Data(contentsOf: URL(fileURLWithPath: err))
    return ToolResult(status: process.terminationStatus, stdout: Array(stdout), stderr: String(decoding: stderr, as: UTF8.self))
}

/// A temporary directory removed when the test ends.
private final class Scratch {
    let root: String
    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-fixture-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: root) }
    func path(_ name: String) -> String { root + "/" + name }
    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = path(name)
        try ImageFixtureBuilder.writeFile(bytes, to: path)
        return path
    }
}

private func collapse(_ line: Substring) -> String {
    line.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
}

private let longName = "usr/share/" + String(repeating: "deeply-nested-directory/", count: 5) + "file-with-a-long-name.txt"
private let longTarget = "/opt/" + String(repeating: "very-long-link-target/", count: 6) + "end"

private func sampleEntries() -> [TarEntry] {
    [
        .directory("etc"),
        .file("etc/hello", "hello\n", uid: 1000, gid: 1000),
        .symlink("etc/link", to: "hello"),
        .hardlink("etc/hard", to: "etc/hello"),
        .directory("dev"),
        .characterDevice("dev/null", major: 1, minor: 3),
        .blockDevice("dev/sda", major: 8, minor: 0),
        .fifo("run-fifo"),
        .file(longName, "long\n", mode: 0o600),
        .symlink("long-link", to: longTarget),
    ]
}

private func expectedListing(prefix: String) -> [String] {
    let time = "2024-01-01 00:00"
    return [
        "drwxr-xr-x 0/0 0 \(time) \(prefix)etc/",
        "-rw-r--r-- 1000/1000 6 \(time) \(prefix)etc/hello",
        "lrwxrwxrwx 0/0 0 \(time) \(prefix)etc/link -> hello",
        "hrw-r--r-- 0/0 0 \(time) \(prefix)etc/hard link to etc/hello",
        "drwxr-xr-x 0/0 0 \(time) \(prefix)dev/",
        "crw-rw-rw- 0/0 1,3 \(time) \(prefix)dev/null",
        "brw-rw---- 0/0 8,0 \(time) \(prefix)dev/sda",
        "prw-r--r-- 0/0 0 \(time) \(prefix)run-fifo",
        "-rw------- 0/0 5 \(time) \(prefix)\(longName)",
        "lrwxrwxrwx 0/0 0 \(time) \(prefix)long-link -> \(longTarget)",
    ]
}

@Suite("Fixture builders write real formats")
struct FixtureBuilderTests {
    // MARK: TarWriter against GNU tar

    @Test("GNU tar lists TarWriter output entry for entry",
          .enabled(if: Tools.tar, "GNU tar is not installed"),
          arguments: [TarWriter.LongNameStyle.pax, .gnu, .ustarPrefix], [false, true])
    func gnuTarListsEntries(style: TarWriter.LongNameStyle, dotSlash: Bool) throws {
        let scratch = try Scratch()
        let archive = TarWriter.archive(sampleEntries(), dotSlashPrefix: dotSlash, longNames: style)
        #expect(archive.count % 512 == 0)
        let path = try scratch.write(archive, "sample.tar")
        let listing = try run(["tar", "--numeric-owner", "-tvf", path], in: scratch)
        #expect(listing.status == 0, "\(listing.stderr)")
        let lines = listing.text.split(separator: "\n").map(collapse)
        #expect(lines == expectedListing(prefix: dotSlash ? "./" : ""))

        let hello = try run(["tar", "-xOf", path, (dotSlash ? "./" : "") + "etc/hello"], in: scratch)
        #expect(hello.text == "hello\n")
        let long = try run(["tar", "-xOf", path, (dotSlash ? "./" : "") + longName], in: scratch)
        #expect(long.text == "long\n")
    }

    @Test("Base-256 and PAX size fields are read by GNU tar", .enabled(if: Tools.tar, "GNU tar is not installed"),
          arguments: [TarHeaderOverrides.SizeEncoding.base256, .pax])
    func unusualSizeEncodings(encoding: TarHeaderOverrides.SizeEncoding) throws {
        let scratch = try Scratch()
        let entry = TarEntry.file("sized", "12345").with { $0.sizeEncoding = encoding }
        let path = try scratch.write(TarWriter.archive([entry, .file("after", "next\n")]), "sized.tar")
        let listing = try run(["tar", "--numeric-owner", "-tvf", path], in: scratch)
        #expect(listing.status == 0, "\(listing.stderr)")
        #expect(listing.text.split(separator: "\n").map(collapse) == [
            "-rw-r--r-- 0/0 5 2024-01-01 00:00 sized", "-rw-r--r-- 0/0 5 2024-01-01 00:00 after",
        ])
        #expect(try run(["tar", "-xOf", path, "sized"], in: scratch).text == "12345")
    }

    @Test("Hostile headers are rejected by GNU tar", .enabled(if: Tools.tar, "GNU tar is not installed"))
    func hostileHeadersRejected() throws {
        let scratch = try Scratch()
        let badChecksum = TarWriter.archive([TarEntry.file("x", "data").with { $0.checksum = .wrong }])
        let bad = try run(["tar", "-tf", try scratch.write(badChecksum, "bad.tar")], in: scratch)
        #expect(bad.status != 0)
        #expect(TarWriter.archive([.file("x", "data")]) != badChecksum)

        var writer = TarWriter()
        writer.append(.file("big", bytes: [UInt8](repeating: 1, count: 4000)))
        writer.truncate(to: 1500)
        let truncated = try run(["tar", "-tf", try scratch.write(writer.bytes, "cut.tar")], in: scratch)
        #expect(truncated.status != 0)
        #expect(truncated.stderr.contains("Unexpected EOF"))
    }

    // MARK: Compression

    @Test("gzip and zstd accept and restore compressed layers",
          .enabled(if: Tools.gzip && Tools.zstd, "gzip or zstd is not installed"))
    func compressedLayersAreReal() throws {
        let scratch = try Scratch()
        let tar = TarWriter.archive(sampleEntries())
        let gz = try scratch.write(try FixtureCompression.gzip(tar), "layer.tar.gz")
        let zst = try scratch.write(try FixtureCompression.zstd(tar), "layer.tar.zst")
        #expect(try run(["gzip", "-t", gz], in: scratch).status == 0)
        #expect(try run(["zstd", "-q", "-t", zst], in: scratch).status == 0)
        #expect(try run(["gzip", "-dc", gz], in: scratch).stdout == tar)
        #expect(try run(["zstd", "-q", "-dc", zst], in: scratch).stdout == tar)
    }

    @Test("The gzip bomb is a valid gzip of its prefix and N zeros, about 1000 times smaller",
          .enabled(if: Tools.gzip, "gzip is not installed"))
    func gzipBombIsValid() throws {
        let scratch = try Scratch()
        let zeros: Int64 = (64 << 20) + 12345
        let bomb = try FixtureCompression.gzipBomb(prefix: Array("head".utf8), zeroCount: zeros)
        #expect(Int64(bomb.count) < zeros / 500)
        let path = try scratch.write(bomb, "bomb.gz")
        #expect(try run(["gzip", "-t", path], in: scratch).status == 0)
        let count = try run(["sh", "-c", "gzip -dc '\(path)' | wc -c"], in: scratch)
        #expect(count.text.trimmingCharacters(in: .whitespacesAndNewlines) == String(zeros + 4))
        let head = try run(["sh", "-c", "gzip -dc '\(path)' | head -c 8 | od -An -c"], in: scratch)
        #expect(collapse(Substring(head.text.trimmingCharacters(in: .whitespacesAndNewlines))) == "h e a d \\0 \\0 \\0 \\0")
    }

    // MARK: Image layouts, checked by skopeo

    static func sampleImage(compression: LayerCompression = .gzip, corruptions: [FixtureCorruption] = [],
                                    architecture: String = "amd64") -> ImageFixture {
        ImageFixture(
            layers: [
                LayerFixture([.directory("etc"), .file("etc/os-release", "ID=shrike\nVERSION_ID=1.0\n"),
                              .directory("bin"), .file("bin/sh", "#!fake\n", mode: 0o755)],
                             compression: compression, createdBy: "ADD rootfs.tar /", dotSlashPrefix: true),
                LayerFixture([.directory("app"), .file("app/main.py", "print('hi')\n"), .whiteout("bin/sh")],
                             compression: compression, createdBy: "COPY app /app"),
            ],
            tags: ["shrike/fixture:1.0"], architecture: architecture, corruptions: corruptions)
    }

    @Test("Config lists the true diff ids and history; corruptions change what they say")
    func configContents() throws {
        let builder = try ImageFixtureBuilder(Self.sampleImage())
        let image = builder.image
        #expect(image.diffIDs == image.layers.map(\.diffID))
        let config = try JSONSerialization.jsonObject(with: Data(image.config)) as? [String: Any]
        let rootfs = config?["rootfs"] as? [String: Any]
        #expect(rootfs?["diff_ids"] as? [String] == image.layers.map(\.diffID.description))
        #expect((config?["history"] as? [[String: Any]])?.compactMap { $0["created_by"] as? String } == ["ADD rootfs.tar /", "COPY app /app"])
        #expect(image.layers[0].mediaType == MediaType.ociLayerGzip)

        let wrong = try ImageFixtureBuilder(Self.sampleImage(corruptions: [.wrongDiffID(layer: 1)])).image
        #expect(wrong.diffIDs[0] == wrong.layers[0].diffID)
        #expect(wrong.diffIDs[1] != wrong.layers[1].diffID)

        let huge = try ImageFixtureBuilder(Self.sampleImage(corruptions: [.hugeManifest(bytes: 3 << 20)]))
        #expect(try huge.ociLayoutFiles().first { $0.path == "index.json" }?.bytes.count == 3 << 20)
        #expect(try huge.dockerArchiveFiles().first { $0.path == "manifest.json" }?.bytes.count == 3 << 20)
        let missing = try ImageFixtureBuilder(Self.sampleImage(corruptions: [.missingBlob(layer: 0)]))
        #expect(try !missing.ociLayoutFiles().contains { $0.path == "blobs/sha256/\(missing.image.layers[0].digest.hex)" })
    }

    @Test("Classic docker-archive has <hex>.json, <id>/layer.tar and repositories")
    func classicDockerArchiveShape() throws {
        let builder = try ImageFixtureBuilder(Self.sampleImage())
        let files = try builder.dockerArchiveFiles(layout: .classic)
        let manifest = files.first { $0.path == "manifest.json" }
        let entries = try JSONSerialization.jsonObject(with: Data(manifest?.bytes ?? [])) as? [[String: Any]]
        #expect(entries?.first?["Config"] as? String == "\(builder.image.configDigest.hex).json")
        #expect(entries?.first?["RepoTags"] as? [String] == ["shrike/fixture:1.0"])
        let layers = entries?.first?["Layers"] as? [String] ?? []
        #expect(layers.count == 2 && layers.allSatisfy { $0.hasSuffix("/layer.tar") })
        #expect(files.first { $0.path == layers.first }?.bytes == builder.image.layers[0].tar)
        #expect(files.contains { $0.path == "repositories" })
    }

    @Test("skopeo reads the OCI layout, and copy verifies every digest",
          .enabled(if: Tools.skopeo, "skopeo is not installed (apt-get install -y skopeo)"),
          arguments: LayerCompression.allCases)
    func skopeoReadsOCILayout(compression: LayerCompression) throws {
        let scratch = try Scratch()
        let builder = try ImageFixtureBuilder(Self.sampleImage(compression: compression))
        let layout = scratch.path("layout")
        try builder.writeOCILayout(to: layout)
        let raw = try run(["skopeo", "inspect", "--raw", "oci:\(layout):1.0"], in: scratch)
        #expect(raw.status == 0, "\(raw.stderr)")
        #expect(raw.stdout == builder.image.manifest)
        let inspect = try run(["skopeo", "inspect", "oci:\(layout):1.0"], in: scratch)
        #expect(inspect.status == 0, "\(inspect.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(inspect.stdout)) as? [String: Any]
        #expect(json?["Architecture"] as? String == "amd64")
        #expect(json?["Layers"] as? [String] == builder.image.layers.map(\.digest.description))
        let copy = try run(["skopeo", "copy", "-q", "oci:\(layout):1.0", "dir:\(scratch.path("copy"))"], in: scratch)
        #expect(copy.status == 0, "\(copy.stderr)")
    }

    @Test("skopeo reads the OCI archive", .enabled(if: Tools.skopeo, "skopeo is not installed (apt-get install -y skopeo)"))
    func skopeoReadsOCIArchive() throws {
        let scratch = try Scratch()
        let builder = try ImageFixtureBuilder(Self.sampleImage())
        let archive = scratch.path("image.oci.tar")
        try builder.writeOCIArchive(to: archive)
        let raw = try run(["skopeo", "inspect", "--raw", "oci-archive:\(archive):1.0"], in: scratch)
        #expect(raw.status == 0, "\(raw.stderr)")
        #expect(raw.stdout == builder.image.manifest)
        let copy = try run(["skopeo", "copy", "-q", "oci-archive:\(archive):1.0", "dir:\(scratch.path("copy"))"], in: scratch)
        #expect(copy.status == 0, "\(copy.stderr)")
    }

    @Test("skopeo reads both docker-archive layouts", .enabled(if: Tools.skopeo, "skopeo is not installed (apt-get install -y skopeo)"),
          arguments: [DockerArchiveLayout.classic, .ociBlobs])
    func skopeoReadsDockerArchive(layout: DockerArchiveLayout) throws {
        let scratch = try Scratch()
        let builder = try ImageFixtureBuilder(Self.sampleImage())
        let archive = scratch.path("image.docker.tar")
        try builder.writeDockerArchive(to: archive, layout: layout)
        let inspect = try run(["skopeo", "inspect", "docker-archive:\(archive)"], in: scratch)
        #expect(inspect.status == 0, "\(inspect.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(inspect.stdout)) as? [String: Any]
        #expect(json?["Architecture"] as? String == "amd64")
        #expect(json?["Layers"] as? [String] == builder.image.diffIDs.map(\.description))
        let config = try run(["skopeo", "inspect", "--config", "--raw", "docker-archive:\(archive)"], in: scratch)
        #expect(config.stdout == builder.image.config)
        let copy = try run(["skopeo", "copy", "-q", "docker-archive:\(archive)", "dir:\(scratch.path("copy"))"], in: scratch)
        #expect(copy.status == 0, "\(copy.stderr)")
    }

    @Test("skopeo picks each platform from a multi-platform index",
          .enabled(if: Tools.skopeo, "skopeo is not installed (apt-get install -y skopeo)"))
    func skopeoReadsMultiPlatform() throws {
        let scratch = try Scratch()
        let builder = try ImageFixtureBuilder(platforms: [Self.sampleImage(architecture: "amd64"),
                                                          Self.sampleImage(architecture: "arm64")],
                                              tags: ["shrike/fixture:multi"])
        let layout = scratch.path("layout")
        try builder.writeOCILayout(to: layout)
        let raw = try run(["skopeo", "inspect", "--raw", "oci:\(layout):multi"], in: scratch)
        #expect(raw.status == 0, "\(raw.stderr)")
        #expect(raw.stdout == builder.index)
        for (index, arch) in ["amd64", "arm64"].enumerated() {
            let inspect = try run(["skopeo", "--override-arch", arch, "inspect", "oci:\(layout):multi"], in: scratch)
            #expect(inspect.status == 0, "\(inspect.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(inspect.stdout)) as? [String: Any]
            #expect(json?["Architecture"] as? String == arch)
            // skopeo reports the digest of what the tag names: the index, not the platform manifest.
            #expect(json?["Digest"] as? String == builder.indexDigest?.description)
            let config = try run(["skopeo", "--override-arch", arch, "inspect", "--config", "--raw", "oci:\(layout):multi"], in: scratch)
            #expect(config.stdout == builder.images[index].config)
        }
        let copy = try run(["skopeo", "copy", "-q", "--all", "oci:\(layout):multi", "dir:\(scratch.path("copy"))"], in: scratch)
        #expect(copy.status == 0, "\(copy.stderr)")
    }

    @Test("skopeo copy rejects corrupted blobs", .enabled(if: Tools.skopeo, "skopeo is not installed (apt-get install -y skopeo)"),
          arguments: [FixtureCorruption.wrongLayerDigest(layer: 1), .truncatedBlob(layer: 0), .missingBlob(layer: 1), .missingConfig])
    func skopeoRejectsCorruption(corruption: FixtureCorruption) throws {
        let scratch = try Scratch()
        let builder = try ImageFixtureBuilder(Self.sampleImage(corruptions: [corruption]))
        let layout = scratch.path("layout")
        try builder.writeOCILayout(to: layout)
        let copy = try run(["skopeo", "copy", "-q", "oci:\(layout):1.0", "dir:\(scratch.path("copy"))"], in: scratch)
        #expect(copy.status != 0)
        if corruption == .wrongLayerDigest(layer: 1) {
            #expect(copy.stderr.lowercased().contains("digest did not match"), "\(copy.stderr)")
        }
    }

    // MARK: Hostile corpus

    @Test("Every hostile case builds, and GNU tar agrees which tars are broken",
          .enabled(if: Tools.tar, "GNU tar is not installed"), arguments: HostileTarCorpus.names)
    func hostileCase(name: String) throws {
        let scratch = try Scratch()
        let hostile = try HostileTarCorpus.hostileCase(named: name, bombSize: 8 << 20)
        #expect(hostile.name == name)
        #expect(!hostile.summary.isEmpty && !hostile.expectation.isEmpty)
        _ = try ImageFixtureBuilder(hostile.image).ociLayoutFiles()
        if name == "not-gzip" {
            #expect(try run(["gzip", "-t", try scratch.write(try hostile.hostileBlob(), "layer.gz")], in: scratch).status != 0)
            return
        }
        guard let tar = hostile.hostileTar else {
            // The bomb: gzip must expand it to a tar holding the 8 MiB file.
            #expect(name == "gzip-bomb")
            let path = try scratch.write(try hostile.hostileBlob(), "bomb.gz")
            let listing = try run(["sh", "-c", "gzip -dc '\(path)' | tar --numeric-owner -tvf -"], in: scratch)
            #expect(collapse(Substring(listing.text.trimmingCharacters(in: .newlines))) == "-rw-r--r-- 0/0 8388608 2024-01-01 00:00 bomb")
            return
        }
        let path = try scratch.write(tar, "layer.tar")
        let listing = try run(["tar", "-tvf", path], in: scratch)
        let broken = ["truncated-tar", "size-beyond-data", "bad-checksum", "not-a-tar"].contains(name)
        #expect((listing.status != 0) == broken, "\(listing.stderr)")
        if name == "nul-in-name-ustar" { #expect(try run(["tar", "-tf", path], in: scratch).text == "innocent.txt\n") }
        if name == "symlink-chain-50" { #expect(listing.text.split(separator: "\n").count == 51) }
    }

    @Test("Hostile case names are unique and unknown names are refused")
    func hostileNames() throws {
        #expect(Set(HostileTarCorpus.names).count == HostileTarCorpus.names.count)
        #expect(throws: ShrikeError.self) { try HostileTarCorpus.hostileCase(named: "no-such-case") }
    }
}

extension FixtureBuilderTests {
    @Test("skopeo copy rejects a docker-archive whose layer.tar does not match its diff id",
          .enabled(if: Tools.skopeo, "skopeo is not installed (apt-get install -y skopeo)"),
          arguments: [FixtureCorruption.wrongLayerDigest(layer: 0), .wrongDiffID(layer: 1)])
    func skopeoRejectsCorruptDockerArchive(corruption: FixtureCorruption) throws {
        let scratch = try Scratch()
        let builder = try ImageFixtureBuilder(Self.sampleImage(corruptions: [corruption]))
        let archive = scratch.path("image.docker.tar")
        try builder.writeDockerArchive(to: archive)
        let copy = try run(["skopeo", "copy", "-q", "docker-archive:\(archive)", "dir:\(scratch.path("copy"))"], in: scratch)
        #expect(copy.status != 0)
        #expect(copy.stderr.lowercased().contains("digest"), "\(copy.stderr)")
    }
}
