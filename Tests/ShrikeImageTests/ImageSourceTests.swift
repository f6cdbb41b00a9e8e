import Foundation
import Testing
import ShrikeCore
@testable import ShrikeImage
import ShrikeTestSupport

/// Every image format, every compression, and the squash rules, on a real Alpine base layer plus a second layer
/// that adds, replaces, deletes and hides files.
@Suite struct ImageSourceTests {
    typealias Format = ImageSourceFixtures.Format
    static var alpineTar: [UInt8] { ImageSourceFixtures.alpineTar }

    static func upperLayer(_ compression: LayerCompression) -> LayerFixture {
        LayerFixture([
            .directory("etc/"),
            .file("etc/added.conf", "added in layer 2\n"),
            .file("etc/motd", "replaced in layer 2\n"),
            .whiteout("etc/issue"),
            .directory("usr/share/apk/keys/"),
            .opaqueWhiteout("usr/share/apk/keys"),
            .file("usr/share/apk/keys/only.pub", "key\n"),
            .symlink("etc/shortcut", to: "/usr/share/apk/keys/only.pub"),
            .hardlink("etc/motd-link", to: "etc/motd"),
        ], compression: compression, createdBy: "RUN change things")
    }

    static func fixture(_ compression: LayerCompression, mediaTypes: FixtureMediaTypes = .oci) -> ImageFixture {
        ImageFixture(layers: [LayerFixture(tar: alpineTar, compression: compression, createdBy: "ADD alpine-minirootfs /"),
                              upperLayer(compression)],
                     tags: ["shrike/alpine:3.20.3"], mediaTypes: mediaTypes)
    }

    static func write(_ builder: ImageFixtureBuilder, as format: Format, in dir: String) throws -> Target {
        try ImageSourceFixtures.write(builder, as: format, in: dir)
    }

    static func temporaryDirectory() throws -> String { try ImageSourceFixtures.temporaryDirectory() }

    static let selector: ContentSelector = { path, _ in path == "/lib/apk/db/installed" || path == "/etc/motd" || path == "/etc/motd-link" }

    @Test("reads every format and compression, squashing layers as the OCI spec says",
          arguments: Format.allCases, LayerCompression.allCases)
    func squash(format: Format, compression: LayerCompression) throws {
        try #require(!Self.alpineTar.isEmpty)
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let builder = try ImageFixtureBuilder(Self.fixture(compression))
        let target = try Self.write(builder, as: format, in: dir)
        let (fs, source) = try ImageLoader.open(target, options: ImageReadOptions(selector: Self.selector))
        let tree = fs.tree

        #expect(fs.layers.count == 2)
        #expect(source.layers == builder.image.diffIDs)
        #expect(fs.layers[0].createdBy == "ADD alpine-minirootfs /")
        #expect(source.architecture == "amd64")

        // Added, replaced, deleted, hidden.
        #expect(tree.entry(at: "/etc/added.conf")?.layer == 1)
        #expect(tree.entry(at: "/etc/motd")?.layer == 1)
        #expect(try fs.contents(of: "/etc/motd") == Array("replaced in layer 2\n".utf8))
        #expect(tree.entry(at: "/etc/issue") == nil, "whited out")
        #expect(tree.entry(at: "/bin/busybox")?.layer == 0)
        #expect((tree.entry(at: "/bin/busybox")?.size ?? 0) > 500_000)
        #expect(tree.entry(at: "/bin/sh")?.kind == .symlink)
        let keys = tree.entries.keys.filter { $0.hasPrefix("/usr/share/apk/keys/") }.sorted()
        #expect(keys == ["/usr/share/apk/keys/only.pub"], "opaque directory hides the base layer's keys")
        #expect(tree.entry(at: "/etc/shortcut")?.linkTarget == "/usr/share/apk/keys/only.pub")
        #expect(try tree.resolve("/etc/shortcut") == "/usr/share/apk/keys/only.pub")
        let link = tree.entry(at: "/etc/motd-link")
        #expect(link?.hardlinkTo == "/etc/motd")
        #expect(link?.size == Int64("replaced in layer 2\n".utf8.count))
        #expect(try fs.contents(of: "/etc/motd-link") == Array("replaced in layer 2\n".utf8))

        // Versions of a kept file: the base layer's, then layer 2's.
        #expect(fs.versions(of: "/etc/motd").map(\.layer) == [0, 1])
        #expect(try fs.contents(of: "/etc/motd", asOfLayer: 0).map { String(decoding: $0, as: UTF8.self) }?.contains("Alpine") == true)
        // The database was kept; files nobody asked for were not.
        #expect((try fs.contents(of: "/lib/apk/db/installed")?.count ?? 0) > 10_000)
        #expect(try fs.contents(of: "/etc/added.conf") == nil)
    }

    @Test("the tree matches GNU tar's view of the base layer")
    func baseLayerMatchesTar() throws {
        try #require(!Self.alpineTar.isEmpty)
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let builder = try ImageFixtureBuilder(ImageFixture(layers: [LayerFixture(tar: Self.alpineTar, compression: .gzip)]))
        let target = try Self.write(builder, as: .ociDirectory, in: dir)
        let (fs, _) = try ImageLoader.open(target)
        let listing = try ExternalTool.run(["tar", "-tzf", RepositoryFiles.alpineRootfs("3.20.3")])
        let names = Set(listing.stdout.split(separator: "\n").compactMap { try? PathNormalizer.normalize(String($0)) })
        #expect(Set(fs.tree.entries.keys) == names)
    }

    @Test("a multi-platform index picks linux/amd64 unless --platform says otherwise")
    func platforms() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let amd = ImageFixture(layers: [LayerFixture([.file("arch", "amd64\n")])], architecture: "amd64")
        let arm = ImageFixture(layers: [LayerFixture([.file("arch", "arm64\n")])], architecture: "arm64", variant: "v8")
        let builder = try ImageFixtureBuilder(platforms: [arm, amd], tags: ["multi:1"])
        try builder.writeOCILayout(to: dir + "/layout")
        let target = Target.ociDirectory(path: dir + "/layout", tag: nil)
        let keepArch: ContentSelector = { path, _ in path == "/arch" }

        let (defaultFS, defaultSource) = try ImageLoader.open(target, options: ImageReadOptions(selector: keepArch))
        #expect(try defaultFS.contents(of: "/arch") == Array("amd64\n".utf8))
        #expect(defaultSource.architecture == "amd64")

        var options = ImageReadOptions(platform: try Platform(parsing: "linux/arm64"), platformIsExplicit: true, selector: keepArch)
        let (armFS, _) = try ImageLoader.open(target, options: options)
        #expect(try armFS.contents(of: "/arch") == Array("arm64\n".utf8))

        options.platform = Platform(os: "linux", architecture: "s390x")
        #expect { try ImageLoader.open(target, options: options) } throws: { error in
            (error as? ShrikeError)?.description.contains("no linux/s390x image") == true
        }
    }

    @Test("an explicit --platform is checked against a single image's config", arguments: [
        ("linux/amd64", true), ("linux/arm64", false),
    ])
    func singleImagePlatform(platform: String, accepted: Bool) throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let builder = try ImageFixtureBuilder(ImageFixture(layers: [LayerFixture([.file("a", "a")])], architecture: "amd64"))
        let options = ImageReadOptions(platform: try Platform(parsing: platform), platformIsExplicit: true)
        for format in [Format.ociDirectory, .dockerArchiveClassic] {
            let target = try Self.write(builder, as: format, in: dir)
            if accepted {
                #expect(try ImageLoader.open(target, options: options).1.architecture == "amd64")
            } else {
                #expect(throws: ShrikeError.self, "\(format)") { try ImageLoader.open(target, options: options) }
            }
        }
    }

    @Test("a layout with several tagged images needs a tag; the tag picks one")
    func tags() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let one = try ImageFixtureBuilder(ImageFixture(layers: [LayerFixture([.file("which", "one\n")])], tags: ["app:one"]))
        let two = try ImageFixtureBuilder(ImageFixture(layers: [LayerFixture([.file("which", "two\n")])], tags: ["app:two"]))
        try one.writeOCILayout(to: dir + "/layout")
        // Merge the second image into the same layout: its blobs and an extra index entry.
        let secondFiles = try two.ociLayoutFiles()
        for file in secondFiles where file.path.hasPrefix("blobs/") {
            try Data(file.bytes).write(to: URL(fileURLWithPath: dir + "/layout/" + file.path))
        }
        let firstIndex = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/layout/index.json"))) as? [String: Any]
        let secondIndex = try JSONSerialization.jsonObject(with: Data(secondFiles.first { $0.path == "index.json" }?.bytes ?? [])) as? [String: Any]
        var merged = firstIndex ?? [:]
        merged["manifests"] = ((firstIndex?["manifests"] as? [Any]) ?? []) + ((secondIndex?["manifests"] as? [Any]) ?? [])
        try JSONSerialization.data(withJSONObject: merged).write(to: URL(fileURLWithPath: dir + "/layout/index.json"))

        let keep: ContentSelector = { path, _ in path == "/which" }
        #expect { try ImageLoader.open(.ociDirectory(path: dir + "/layout", tag: nil)) } throws: { error in
            let text = (error as? ShrikeError)?.description ?? ""
            return text.contains("holds 2 images") && text.contains("one") && text.contains("two")
        }
        let (fs, source) = try ImageLoader.open(.ociDirectory(path: dir + "/layout", tag: "two"), options: ImageReadOptions(selector: keep))
        #expect(try fs.contents(of: "/which") == Array("two\n".utf8))
        #expect(source.tags == ["two"])
        #expect(throws: ShrikeError.self) { try ImageLoader.open(.ociDirectory(path: dir + "/layout", tag: "three")) }
    }

    @Test("target strings parse and bare paths are detected by content")
    func targets() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let builder = try ImageFixtureBuilder(ImageFixture(layers: [LayerFixture([.file("x", "x")])], tags: ["t:1"]))
        try builder.writeDockerArchive(to: dir + "/docker.tar")
        try builder.writeOCIArchive(to: dir + "/oci.tar")
        try builder.writeOCILayout(to: dir + "/layout")
        try FileManager.default.createDirectory(atPath: dir + "/rootfs/etc", withIntermediateDirectories: true)
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: dir + "/junk.bin"))

        #expect(try TargetParser.parse(dir + "/docker.tar") == .dockerArchive(path: dir + "/docker.tar", tag: nil))
        #expect(try TargetParser.parse(dir + "/oci.tar") == .ociArchive(path: dir + "/oci.tar", tag: nil))
        #expect(try TargetParser.parse(dir + "/layout") == .ociDirectory(path: dir + "/layout", tag: nil))
        #expect(try TargetParser.parse(dir + "/rootfs") == .directory(path: dir + "/rootfs"))
        #expect(try TargetParser.parse("oci-dir:\(dir)/layout:1") == .ociDirectory(path: dir + "/layout", tag: "1"))
        #expect(try TargetParser.parse("docker-archive:\(dir)/docker.tar") == .dockerArchive(path: dir + "/docker.tar", tag: nil))
        for bad in ["", "nosuch:thing", "dir:", "docker-archive:", "dir:\(dir)/docker.tar", "oci-dir:\(dir)/missing",
                    dir + "/junk.bin", "registry:", "registry:example.com/UPPER", "vm:disk.qcow2", dir + "/missing"] {
            #expect(throws: ShrikeError.self, "\(bad)") { try TargetParser.parse(bad) }
        }
    }

    @Test("skopeo's own docker-archive of our image reads the same", .enabled(if: ExternalTool.find("skopeo") != nil, "skopeo is not installed"))
    func skopeoWrittenArchive() throws {
        try #require(!Self.alpineTar.isEmpty)
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let builder = try ImageFixtureBuilder(Self.fixture(.gzip))
        try builder.writeOCILayout(to: dir + "/layout")
        let copy = try ExternalTool.run(["skopeo", "copy", "-q", "oci:\(dir)/layout:3.20.3", "docker-archive:\(dir)/skopeo.tar:shrike/alpine:3.20.3"])
        try #require(copy.status == 0, "skopeo copy failed: \(copy.stderr)")
        let (fromSkopeo, source) = try ImageLoader.open(.dockerArchive(path: dir + "/skopeo.tar", tag: nil))
        let (fromLayout, _) = try ImageLoader.open(.ociDirectory(path: dir + "/layout", tag: nil))
        #expect(Set(fromSkopeo.tree.entries.keys) == Set(fromLayout.tree.entries.keys))
        #expect(source.layers == builder.image.diffIDs)
    }
}
