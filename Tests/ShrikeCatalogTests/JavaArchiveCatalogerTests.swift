import Foundation
import ShrikeCore
import ShrikeImage
import ShrikeTestSupport
import Testing
@testable import ShrikeCatalog

@Suite("Java archives")
struct JavaArchiveCatalogerTests {
    static func catalog(_ files: [String: [UInt8]], limits: JavaArchiveLimits = .default) throws -> [Package] {
        let cataloger = JavaArchiveCataloger(limits: limits)
        let fs = try InMemoryFileSystem(files: files, keepContent: { cataloger.wants(path: $0, size: $1) })
        return try cataloger.catalog(fs, distro: nil)
    }

    // MARK: identity

    @Test func everyPomPropertiesIsOnePackage() throws {
        var jar = JarBuilder()
        jar.add("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nImplementation-Title: app\nImplementation-Version: 9.9\n")
        jar.addPom(group: "com.example", artifact: "app", version: "1.0.0")
        jar.addPom(group: "org.apache.logging.log4j", artifact: "log4j-core", version: "2.14.1")
        jar.add("org/apache/logging/log4j/core/Logger.class", [0xca, 0xfe, 0xba, 0xbe])
        let packages = try Self.catalog(["/opt/app/app-all.jar": try jar.build()])
        #expect(packages.map(\.purl.description) == [
            "pkg:maven/com.example/app@1.0.0", "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
        ])
        #expect(packages.allSatisfy { $0.type == .java && $0.locations == ["/opt/app/app-all.jar"] })
    }

    @Test func manifestWithContinuationLines() throws {
        var jar = JarBuilder()
        jar.add("META-INF/MANIFEST.MF", """
            Manifest-Version: 1.0\r
            Implementation-Title: netty-co\r
             dec-http\r
            Implementation-Version: 4.1.\r
             86.Final\r
            Implementation-Vendor-Id: io.netty\r
            Implementation-Vendor: The Netty Project\r
            \r
            Name: io/netty/handler/\r
            Implementation-Version: 0.0.1\r

            """)
        let packages = try Self.catalog(["/app/lib/codec.jar": try jar.build()])
        #expect(packages.map(\.purl.description) == ["pkg:maven/io.netty/netty-codec-http@4.1.86.Final"])
        #expect(packages.first?.vendor == "The Netty Project")
    }

    static let manifestCases: [(String, String, String)] = [
        // Bundle fields only: the group is the symbolic name without the artifact (as libjzlib-java's jar).
        ("jzlib-1.1.3.jar", "Bundle-SymbolicName: com.jcraft.jzlib\nBundle-Version: 1.1.3\n", "pkg:maven/com.jcraft/jzlib@1.1.3"),
        // A descriptive title (spaces) is not an artifact id: the file name's artifact is used (libxz-java).
        ("xz-1.9.jar", "Implementation-Title: XZ data compression\nImplementation-Version: 1.9\nBundle-SymbolicName: org.tukaani.xz\n",
         "pkg:maven/org.tukaani/xz@1.9"),
        // The manifest's version wins over the file name's.
        ("jsch-0.1.55.jar", "Bundle-Version: 0.1.54\nBundle-SymbolicName: com.jcraft.jsch;singleton:=true\n",
         "pkg:maven/com.jcraft/jsch@0.1.54"),
        // No metadata at all: the file name.
        ("guava-31.1-jre.jar", "Manifest-Version: 1.0\n", "pkg:maven/guava@31.1-jre"),
        ("commons-cli-1.4.jar", "", "pkg:maven/commons-cli@1.4"),
        ("plain.jar", "Specification-Version: 2.0\n", "pkg:maven/plain@2.0"),
    ]

    @Test(arguments: manifestCases)
    func identityWithoutPomProperties(file: String, manifest: String, purl: String) throws {
        var jar = JarBuilder()
        if !manifest.isEmpty { jar.add("META-INF/MANIFEST.MF", manifest) }
        jar.add("a/B.class", [0xca, 0xfe])
        #expect(try Self.catalog(["/usr/share/java/" + file: try jar.build()]).map(\.purl.description) == [purl])
    }

    @Test func manifestParsing() {
        let manifest = JavaManifest(parsing: "Manifest-Version: 1.0\nbundle-version:  2.3 \nLong: ab\n cd\n  ef\n\nName: x\nOther: 1\n")
        #expect(manifest["Bundle-Version"] == "2.3")
        #expect(manifest["long"] == "abcd ef")
        #expect(manifest["Other"] == nil)
    }

    @Test(arguments: [("log4j-core-2.17.1.jar", "log4j-core", "2.17.1"), ("guava-31.1-jre.jar", "guava", "31.1-jre"),
                      ("a/b/jsr305.jar", "jsr305", nil), ("spring-boot-3.1.0-SNAPSHOT.war", "spring-boot", "3.1.0-SNAPSHOT")])
    func fileNames(path: String, artifact: String, version: String?) {
        let name = JavaArchiveFileName(path: path)
        #expect(name.artifact == artifact)
        #expect(name.version == version)
    }

    // MARK: nesting

    @Test func nestedArchivesInWarsAndFatJars() throws {
        var inner = JarBuilder()
        inner.addPom(group: "org.yaml", artifact: "snakeyaml", version: "1.33")
        var versionless = JarBuilder()
        versionless.add("x/Y.class", [0xca, 0xfe])
        var boot = JarBuilder()
        boot.addPom(group: "com.example", artifact: "service", version: "0.1.0")
        boot.add("BOOT-INF/lib/snakeyaml-1.33.jar", try inner.build(), deflate: false)
        boot.add("BOOT-INF/lib/jackson-core-2.13.0.jar", try versionless.build())
        var war = JarBuilder()
        war.add("WEB-INF/lib/service-0.1.0.jar", try boot.build())
        war.add("index.html", "<html/>")
        let packages = try Self.catalog(["/srv/app.war": try war.build()])
        #expect(packages.map(\.purl.description) == [
            "pkg:maven/app", "pkg:maven/com.example/service@0.1.0", "pkg:maven/org.yaml/snakeyaml@1.33",
            "pkg:maven/jackson-core@2.13.0",
        ])
        let snakeyaml = try #require(packages.first { $0.name == "snakeyaml" })
        #expect(snakeyaml.locations == ["/srv/app.war", "/srv/app.war:WEB-INF/lib/service-0.1.0.jar:BOOT-INF/lib/snakeyaml-1.33.jar"])
    }

    @Test func nestingDepthIsCapped() throws {
        var level = JarBuilder()
        level.addPom(group: "g", artifact: "level9", version: "1")
        var bytes = try level.build()
        for depth in stride(from: 8, through: 0, by: -1) {
            var outer = JarBuilder()
            outer.addPom(group: "g", artifact: "level\(depth)", version: "1")
            outer.add("lib/level\(depth + 1).jar", bytes)
            bytes = try outer.build()
        }
        let packages = try Self.catalog(["/a.jar": bytes], limits: JavaArchiveLimits(maxDepth: 3))
        #expect(packages.map(\.name) == ["level0", "level1", "level2", "level3"])
    }

    // MARK: hostile archives

    /// 64 MiB of zeros deflate to ~64 KiB: a nested "jar" that would expand far past the test limits.
    static func bomb() throws -> (archive: [UInt8], entry: String) {
        var jar = JarBuilder()
        jar.addPom(group: "com.example", artifact: "victim", version: "1.0")
        jar.add("BOOT-INF/lib/bomb.jar", [UInt8](repeating: 0, count: 64 << 20))
        var sibling = JarBuilder()
        sibling.addPom(group: "com.example", artifact: "sibling", version: "2.0")
        jar.add("BOOT-INF/lib/sibling.jar", try sibling.build())
        return (try jar.build(), "BOOT-INF/lib/bomb.jar")
    }

    static let testLimits = JavaArchiveLimits(maxNestedSize: 8 << 20, maxTotalUncompressed: 16 << 20)

    @Test func zipBombDeclaringItsSizeIsSkipped() throws {
        let (archive, _) = try Self.bomb()
        #expect(archive.count < 1 << 20)
        let packages = try Self.catalog(["/app/victim.jar": archive], limits: Self.testLimits)
        #expect(packages.map(\.name) == ["victim", "sibling"])
    }

    @Test func zipBombWithALyingHeaderStopsAtTheLimit() throws {
        let (archive, entry) = try Self.bomb()
        let lying = JarBuilder.lie(about: entry, size: 1000, in: archive)
        #expect(lying != archive)
        let clock = ContinuousClock()
        let start = clock.now
        let packages = try Self.catalog(["/app/victim.jar": lying], limits: Self.testLimits)
        #expect(packages.first?.name == "victim")
        #expect(!packages.contains { $0.locations.last?.hasSuffix("bomb.jar") == true })
        #expect(clock.now - start < .seconds(20))
    }

    @Test func totalBudgetBoundsManyNestedArchives() throws {
        var jar = JarBuilder()
        jar.addPom(group: "g", artifact: "outer", version: "1")
        var filler = JarBuilder()
        filler.addPom(group: "g", artifact: "inner", version: "1")
        filler.add("padding.bin", [UInt8](repeating: 7, count: 1 << 20), deflate: false)
        let innerBytes = try filler.build()
        for index in 0..<40 { jar.add("lib/inner\(index).jar", innerBytes) }
        let limits = JavaArchiveLimits(maxNestedSize: 4 << 20, maxTotalUncompressed: 10 << 20)
        let packages = try Self.catalog(["/x.jar": try jar.build()], limits: limits)
        // Each nested jar costs ~1 MiB of the 10 MiB budget: reading stops well before all 40.
        #expect(packages.first?.name == "outer")
        #expect(packages.count > 5 && packages.count <= 11)
    }

    @Test(arguments: ["not a zip", "PK\u{03}\u{04}truncated", ""])
    func corruptArchivesAreSkipped(content: String) throws {
        var good = JarBuilder()
        good.addPom(group: "g", artifact: "good", version: "1")
        let packages = try Self.catalog(["/a/broken.jar": Array(content.utf8), "/a/good.jar": try good.build()])
        #expect(packages.map(\.name) == ["good"])
    }

    @Test(arguments: [("/app/x.jar", true), ("/app/X.WAR", true), ("/a.ear", true), ("/var/jenkins/plugins/git.jpi", true),
                      ("/var/jenkins/plugins/git.hpi", true), ("/app/x.jar.sha1", false), ("/app/x.zip", false)])
    func wantedFiles(path: String, wanted: Bool) {
        #expect(JavaArchiveCataloger().wants(path: path, size: 1000) == wanted)
        #expect(!JavaArchiveCataloger().wants(path: path, size: 2 << 30))
    }

    // MARK: real jars from Debian

    /// Debian packages downloaded (not installed) and unpacked into one temporary root; nil when apt cannot fetch.
    static let scratch = NSTemporaryDirectory() + "shrike-java-tests-\(getpid())"
    static let debianJavaRoot: String? = {
        let dir = JavaArchiveCatalogerTests.scratch
        let root = dir + "/root"
        atexit { try? FileManager.default.removeItem(atPath: JavaArchiveCatalogerTests.scratch) }
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        // `apt-get download` writes into the current directory; _apt needs to be able to write there.
        _ = try? ExternalTool.run(["chmod", "777", dir])
        for package in ["liblog4j2-java", "libxz-java", "libjzlib-java", "libjsch-java"] {
            guard let result = try? ExternalTool.run(["/bin/sh", "-c", "cd '\(dir)' && apt-get download -q \(package)"]),
                  result.status == 0 else { return nil }
        }
        guard let debs = try? FileManager.default.contentsOfDirectory(atPath: dir).filter({ $0.hasSuffix(".deb") }),
              debs.count == 4 else { return nil }
        for deb in debs {
            guard (try? ExternalTool.run(["dpkg-deb", "-x", dir + "/" + deb, root]))?.status == 0 else { return nil }
        }
        return root
    }()

    /// Maven coordinates read with `unzip -p` from each regular jar's pom.properties (independently of the code).
    static func coordinatesFromUnzip(_ jar: String) throws -> [String] {
        let listing = try ExternalTool.run(["unzip", "-Z1", jar]).stdout.split(separator: "\n")
        return try listing.filter { $0.hasPrefix("META-INF/maven/") && $0.hasSuffix("/pom.properties") }.map { entry in
            let text = try ExternalTool.run(["unzip", "-p", jar, String(entry)]).stdout
            var values: [String: String] = [:]
            for line in text.split(whereSeparator: \.isNewline) where line.contains("=") && !line.hasPrefix("#") {
                let parts = line.split(separator: "=", maxSplits: 1)
                values[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
            return "pkg:maven/\(values["groupId"] ?? "")/\(values["artifactId"] ?? "")@\(values["version"] ?? "")"
        }
    }

    @Test(.enabled(if: ExternalTool.find("apt-get") != nil && ExternalTool.find("unzip") != nil,
                   "needs apt-get (Debian archive access) and unzip"))
    func debianJarsMatchTheirOwnMetadata() throws {
        let root = try #require(Self.debianJavaRoot, "apt-get download of the Debian lib*-java packages failed")
        let fs = try DirectoryFileSystem(root: root)
        let packages = try JavaArchiveCataloger().catalog(fs, distro: nil)
        let reported = Set(packages.map(\.purl.description))
        // log4j jars: pom.properties, read independently with unzip -p.
        var expected: Set<String> = []
        for entry in fs.tree.entries.values where entry.kind == .regular && entry.path.hasSuffix(".jar") {
            expected.formUnion(try Self.coordinatesFromUnzip(root + entry.path))
        }
        #expect(expected.contains("pkg:maven/org.apache.logging.log4j/log4j-core@2.19.0"))
        #expect(expected.count == 10)
        // The other three carry no pom.properties; their manifests say (read with unzip -p META-INF/MANIFEST.MF):
        // jzlib: Bundle-SymbolicName com.jcraft.jzlib, Bundle-Version 1.1.3; xz: Implementation-Version 1.9,
        // Bundle-SymbolicName org.tukaani.xz; jsch: Bundle-Version 0.1.54 (in Debian's 0.1.55-1), com.jcraft.jsch.
        expected.formUnion(["pkg:maven/com.jcraft/jzlib@1.1.3", "pkg:maven/org.tukaani/xz@1.9", "pkg:maven/com.jcraft/jsch@0.1.54"])
        #expect(reported == expected)
        // Symlinked names (log4j-core-2.19.0.jar → log4j-core.jar, the maven-repo links) are not counted twice.
        #expect(packages.count == expected.count)
    }
}
