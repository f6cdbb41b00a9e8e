import Foundation
import Testing
import ShrikeReport
import ShrikeTestSupport

/// Images and files the CLI tests run `shrike` on, written once per test run under `.build/fixtures/cli`.
enum CLIFixtures {
    struct Paths: Sendable {
        var directory: String
        /// The Alpine 3.20.3 minirootfs as a one-layer docker-archive (14 apk packages).
        var alpine: String
        /// sha256 of the minirootfs tar: the one layer's diff id.
        var alpineDiffID: String
        var textFile: String
        var truncated: String
        var notATar: String
        var wrongLayerDigest: String
    }

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    static let paths: Result<Paths, Failed> = {
        do {
            return .success(try make())
        } catch {
            return .failure(Failed(description: "cannot build the CLI fixtures: \(error)"))
        }
    }()

    static var isAvailable: Bool { (try? paths.get()) != nil }

    private static func make() throws -> Paths {
        let directory = RepositoryFiles.path(".build/fixtures/cli")
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)

        let tarPath = directory + "/alpine-minirootfs-3.20.3.tar"
        let gunzip = try ExternalTool.run(["sh", "-c", "gzip -dc \"$0\" > \"$1\"", RepositoryFiles.alpineRootfs("3.20.3"), tarPath])
        guard gunzip.status == 0 else { throw Failed(description: "gzip -dc failed: \(gunzip.stderr)") }
        let tar = Array(try Data(contentsOf: URL(fileURLWithPath: tarPath)))
        let diffID = try DockerArchiveScript.sha256(tarPath)

        let layer = LayerFixture(tar: tar, compression: .gzip, createdBy: "ADD alpine-minirootfs-3.20.3-x86_64.tar.gz /")
        let alpine = directory + "/alpine.tar"
        try ImageFixtureBuilder(ImageFixture(layers: [layer], tags: ["shrike/alpine:3.20.3"])).writeDockerArchive(to: alpine)

        let archive = Array(try Data(contentsOf: URL(fileURLWithPath: alpine)))
        let truncated = directory + "/truncated.tar"
        try ImageFixtureBuilder.writeFile(Array(archive.prefix(archive.count / 2)), to: truncated)

        let wrongDigest = directory + "/wrong-layer-digest.tar"
        try ImageFixtureBuilder(ImageFixture(layers: [layer], corruptions: [.wrongLayerDigest(layer: 0)]))
            .writeDockerArchive(to: wrongDigest)

        let textFile = directory + "/notes.txt"
        try ImageFixtureBuilder.writeFile(Array("These are notes, not an image.\n".utf8), to: textFile)

        // Bytes that are no tar at all, under a name that says tar; long enough to hold several 512-byte blocks.
        let notATar = directory + "/not-a-tar.tar"
        try ImageFixtureBuilder.writeFile((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }, to: notATar)

        return Paths(directory: directory, alpine: alpine, alpineDiffID: diffID, textFile: textFile, truncated: truncated,
                     notATar: notATar, wrongLayerDigest: wrongDigest)
    }

    /// A fresh, empty directory to use as `TMPDIR` for one run.
    static func freshTemporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-cli-tmp-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// A wrong invocation and the text its one-line error must contain.
struct BadInput: Sendable, CustomTestStringConvertible {
    var name: String
    var arguments: @Sendable (CLIFixtures.Paths) -> [String]
    /// What the error line must contain: the file, value or option at fault, and the problem where it has a name.
    var mentions: @Sendable (CLIFixtures.Paths) -> [String]

    var testDescription: String { name }

    static let all: [BadInput] = [
        BadInput(name: "missing file", arguments: { ["sbom", "docker-archive:" + $0.directory + "/no-such-image.tar"] },
                 mentions: { _ in ["no-such-image.tar"] }),
        BadInput(name: "missing bare path", arguments: { ["sbom", $0.directory + "/no-such-path"] },
                 mentions: { _ in ["no-such-path"] }),
        BadInput(name: "unknown scheme", arguments: { _ in ["sbom", "nosuch:thing"] }, mentions: { _ in ["nosuch:"] }),
        BadInput(name: "text file as bare path", arguments: { ["sbom", $0.textFile] }, mentions: { _ in ["notes.txt"] }),
        BadInput(name: "text file as docker-archive", arguments: { ["sbom", "docker-archive:" + $0.textFile] },
                 mentions: { _ in ["notes.txt"] }),
        BadInput(name: "truncated docker-archive", arguments: { ["sbom", "docker-archive:" + $0.truncated] },
                 mentions: { _ in ["truncated.tar", "truncated"] }),
        BadInput(name: "non-tar .tar", arguments: { ["sbom", "docker-archive:" + $0.notATar] },
                 mentions: { _ in ["not-a-tar.tar"] }),
        BadInput(name: "layer digest wrong", arguments: { ["sbom", "docker-archive:" + $0.wrongLayerDigest] },
                 mentions: { _ in ["wrong-layer-digest.tar", "digest mismatch"] }),
        BadInput(name: "malformed --platform", arguments: { ["sbom", "--platform", "linux-amd64", $0.alpine] },
                 mentions: { _ in ["linux-amd64"] }),
        BadInput(name: "absent --platform", arguments: { ["sbom", "--platform", "linux/s390x", $0.alpine] },
                 mentions: { _ in ["linux/s390x"] }),
        BadInput(name: "bad --max-layer-size", arguments: { ["sbom", "--max-layer-size", "lots", $0.alpine] },
                 mentions: { _ in ["lots"] }),
        BadInput(name: "--max-layer-size below the layer", arguments: { ["sbom", "--max-layer-size", "1K", $0.alpine] },
                 mentions: { _ in ["alpine.tar", "--max-layer-size"] }),
        BadInput(name: "unknown -o format", arguments: { ["sbom", "-o", "xml", $0.alpine] }, mentions: { _ in ["xml"] }),
        BadInput(name: "missing target", arguments: { _ in ["sbom"] }, mentions: { _ in ["target"] }),
        BadInput(name: "unknown option", arguments: { ["sbom", "--frobnicate", $0.alpine] }, mentions: { _ in ["--frobnicate"] }),
        BadInput(name: "unknown subcommand", arguments: { _ in ["frobnicate"] }, mentions: { _ in ["frobnicate"] }),
    ]
}

/// `shrike` as scripts and CI pipelines use it: outputs, exit codes, error lines and terminal behaviour
/// (the CLI contract in DESIGN.md).
@Suite(
    .enabled(if: ShrikeBinary.isBuilt, "the shrike executable is not built next to the tests (run swift build first)"),
    .enabled(if: CLIFixtures.isAvailable, "the CLI fixtures could not be built (gzip missing?)")
)
struct CLITests {
    var fixtures: CLIFixtures.Paths { get throws { try CLIFixtures.paths.get() } }

    @Test func tableListsFourteenPackagesAndASummary() throws {
        let paths = try fixtures
        let run = try ShrikeBinary.run(["sbom", "docker-archive:" + paths.alpine])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stderr.isEmpty)
        let lines = run.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Header, 14 rows, summary, and the empty string after the final newline.
        try #require(lines.count == 17, "\(run.stdoutText)")
        #expect(lines[0].split(separator: " ", omittingEmptySubsequences: true) == ["NAME", "VERSION", "TYPE", "LAYER"])
        let rows = lines[1...14]
        let shortLayer = String(paths.alpineDiffID.dropFirst("sha256:".count).prefix(12))
        for row in rows {
            let cells = row.split(separator: " ", omittingEmptySubsequences: true)
            #expect(cells.count == 4 && cells[2] == "apk" && cells[3] == shortLayer, "row: \(row)")
        }
        #expect(rows.contains { $0.hasPrefix("musl ") && $0.contains("1.2.5-r0") })
        #expect(lines[15] == "14 packages (apk 14) in 1 layer · alpine 3.20.3")
        #expect(lines[16].isEmpty)
    }

    @Test func jsonHasTheDesignShape() throws {
        let paths = try fixtures
        let target = "docker-archive:" + paths.alpine
        let run = try ShrikeBinary.run(["sbom", target, "-o", "json"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout)) as? [String: Any])

        let source = try #require(object["source"] as? [String: Any])
        #expect(source["type"] as? String == "docker-archive")
        #expect(source["path"] as? String == paths.alpine)
        #expect((source["digest"] as? String)?.hasPrefix("sha256:") == true)
        #expect((source["digest"] as? String)?.count == 71)
        #expect(source["layers"] as? [String] == [paths.alpineDiffID])

        let distro = try #require(object["distro"] as? [String: Any])
        #expect(distro["id"] as? String == "alpine")
        #expect(distro["versionID"] as? String == "3.20.3")
        #expect(distro["prettyName"] is String)

        let packages = try #require(object["packages"] as? [[String: Any]])
        #expect(packages.count == 14)
        for package in packages {
            let name = try #require(package["name"] as? String)
            let version = try #require(package["version"] as? String)
            #expect(package["type"] as? String == "apk")
            // The origin package rides along as `upstream` when it differs from the package's own name.
            let origin = package["sourceName"] as? String
            let upstream = origin.map { $0 == name ? "" : "&upstream=\($0)" } ?? ""
            #expect(package["purl"] as? String == "pkg:apk/alpine/\(name)@\(version)?arch=x86_64&distro=alpine-3.20.3\(upstream)",
                    "purl of \(name)")
            #expect(package["layer"] as? String == paths.alpineDiffID)
            #expect(package["locations"] as? [String] == ["/lib/apk/db/installed"])
            let licenses = try #require(package["licenses"] as? [String], "licenses of \(name)")
            #expect(!licenses.isEmpty, "licenses of \(name)")
        }
        let musl = packages.first { $0["name"] as? String == "musl" }
        #expect(musl?["version"] as? String == "1.2.5-r0")
        #expect(musl?["sourceName"] as? String == "musl")
        #expect(musl?["licenses"] as? [String] == ["MIT"])
    }

    @Test(arguments: [SBOMFormat.cyclonedxJSON, .spdxJSON])
    func documentFormatsWriteOnlyToTheFile(_ format: SBOMFormat) throws {
        let paths = try fixtures
        let out = paths.directory + "/sbom-\(format.rawValue).json"
        try? FileManager.default.removeItem(atPath: out)
        let run = try ShrikeBinary.run(["sbom", "docker-archive:" + paths.alpine, "-o", format.rawValue, "--file", out])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.isEmpty, "nothing on stdout when --file is given")
        #expect(run.stderr.isEmpty)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        switch format {
        case .cyclonedxJSON:
            #expect(document["bomFormat"] as? String == "CycloneDX")
            #expect(document["specVersion"] as? String == "1.6")
            let components = try #require(document["components"] as? [[String: Any]])
            let libraries = components.filter { $0["type"] as? String == "library" }
            #expect(libraries.count == 14)
            #expect(libraries.allSatisfy { ($0["purl"] as? String)?.hasPrefix("pkg:apk/alpine/") == true })
            #expect(components.contains { $0["type"] as? String == "operating-system" && $0["name"] as? String == "alpine" })
        case .spdxJSON:
            #expect(document["spdxVersion"] as? String == "SPDX-2.3")
            let packages = try #require(document["packages"] as? [[String: Any]])
            // The 14 apk packages, plus whatever package the writer uses to describe the image itself.
            let apk = packages.filter { (($0["externalRefs"] as? [[String: Any]]) ?? []).contains {
                ($0["referenceLocator"] as? String)?.hasPrefix("pkg:apk/alpine/") == true
            } }
            #expect(apk.count == 14)
        default:
            Issue.record("unexpected format \(format)")
        }
    }

    @Test func versionPrintsTheToolVersion() throws {
        let run = try ShrikeBinary.run(["--version"])
        #expect(run.status == 0)
        #expect(run.stdoutText == ShrikeTool.version + "\n")
        #expect(run.stderr.isEmpty)
    }

    @Test func successLeavesTheScratchDirectoryEmpty() throws {
        let paths = try fixtures
        let tmp = try CLIFixtures.freshTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let run = try ShrikeBinary.run(["sbom", paths.alpine, "-o", "json"], environment: ["TMPDIR": tmp])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp) == [])
    }

    @Test(arguments: BadInput.all)
    func badInputExitsTwoWithOneLine(_ bad: BadInput) throws {
        let paths = try fixtures
        let tmp = try CLIFixtures.freshTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let run = try ShrikeBinary.run(bad.arguments(paths), environment: ["TMPDIR": tmp])

        #expect(run.exitedNormally, "shrike crashed: \(run.stderr)")
        #expect(run.status == 2, "exit status; stderr: \(run.stderr)")
        #expect(run.stdout.isEmpty, "stdout: \(run.stdoutText)")
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty, "exactly one line on stderr, got: \(run.stderr)")
        #expect(run.stderr.hasPrefix("shrike: error: "), "stderr: \(run.stderr)")
        for mention in bad.mentions(paths) {
            #expect(run.stderr.contains(mention), "the line names \(mention): \(run.stderr)")
        }
        for crashSign in ["Fatal error", "Stack dump", "Backtrace", "Current stack trace", "Usage:"] {
            #expect(!run.stderr.contains(crashSign), "stderr: \(run.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp) == [], "scratch files left in TMPDIR")
    }

    @Test func pipedOutputHasNoEscapes() throws {
        let paths = try fixtures
        for environment in [[:], ["NO_COLOR": "1"]] {
            let run = try ShrikeBinary.run(["sbom", paths.alpine], environment: environment)
            #expect(run.status == 0)
            #expect(!run.stdout.contains(0x1B), "stdout with \(environment)")
            #expect(!run.stderr.contains("\u{1B}"), "stderr with \(environment)")
        }
    }

    @Test(.enabled(if: ExternalTool.find("script") != nil, "util-linux script is needed for a pseudo-terminal"))
    func noColorTurnsOffStylingOnATerminal() throws {
        let paths = try fixtures
        let styled = try ShrikeBinary.runOnTerminal(["sbom", paths.alpine])
        #expect(styled.status == 0)
        // The control: without NO_COLOR a terminal gets styling, so the check below can see escapes when present.
        #expect(styled.stdout.contains(0x1B), "terminal output without NO_COLOR: \(styled.stdoutText)")
        #expect(styled.stdoutText.contains("14 packages (apk 14)"))

        let plain = try ShrikeBinary.runOnTerminal(["sbom", paths.alpine], environment: ["NO_COLOR": "1"])
        #expect(plain.status == 0)
        #expect(plain.stdoutText.contains("14 packages (apk 14)"))
        #expect(!plain.stdout.contains(0x1B), "terminal output with NO_COLOR: \(plain.stdoutText)")
    }
}
