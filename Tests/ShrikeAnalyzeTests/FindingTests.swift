import ShrikeAnalyze
import ShrikeTestSupport
import Testing

@Suite("Findings say what to change, with the bytes at stake")
struct FindingTests {
    static let report = Result { try WasteFixtures.analyze() }

    @Test("findings of the constructed image: kind, rule, bytes and layers",
          arguments: [
              (Finding.Kind.removedInLaterLayer, "same-run", Int64(13_500_000), [2, 3]),
              (.overwrittenInLaterLayer, "write-once", 5_000_000, [2, 3]),
              (.packageCache, "apt-lists", 400_000, [2]),
              (.metadataOnlyLayer, "chown-chmod-layer", 70_000, [4]),
              (.documentation, "docs", 1_000, [0]),
          ])
    func constructed(kind: Finding.Kind, rule: String, bytes: Int64, layers: [Int]) throws {
        let findings = try Self.report.get().findings.filter { $0.kind == kind && $0.rule == rule }
        #expect(findings.count == 1, "\(kind)/\(rule): \(findings)")
        let finding = try #require(findings.first)
        #expect(finding.bytes == bytes)
        #expect(finding.layers == layers)
        #expect(!finding.fix.isEmpty)
    }

    @Test("the chown layer's rewrite is a metadata-only finding, not also an overwrite finding")
    func noDoubleCount() throws {
        let findings = try Self.report.get().findings
        #expect(!findings.contains { $0.kind == .overwrittenInLaterLayer && $0.layers == [2, 4] })
    }

    @Test("a Debian base gets a smaller-base suggestion whose sizes name their source")
    func smallerBase() throws {
        // An 8 MB Debian base: larger than Alpine's 7.8 MB and distroless's 2 MiB, smaller than debian:12-slim.
        var base = LayerFixture([.file("etc/os-release", bytes: WasteFixtures.osRelease), .file("usr/lib/libbig.so", bytes: filler(8_000_000, seed: 3))],
                                createdBy: "/bin/sh -c #(nop) ADD file:abc in / ")
        base.emptyStepsAfter = [#"/bin/sh -c #(nop)  CMD ["bash"]"#]
        let report = try WasteFixtures.analyze(ImageFixture(layers: [base, LayerFixture([.file("app", "x")])]))
        let finding = try #require(report.findings.first { $0.kind == .smallerBase })
        #expect(finding.inBase)
        #expect(finding.title.contains("debian:12"))
        #expect(finding.fix.contains("alpine:3.20") && finding.fix.contains("distroless") && !finding.fix.contains("12-slim"))
        #expect(finding.fix.contains("source:"))
        #expect(finding.bytes == report.base.bytes - 7_792_915)
    }

    @Test("a small base gets no smaller-base suggestion")
    func smallBaseNoSuggestion() throws {
        #expect(!(try Self.report.get().findings.contains { $0.kind == .smallerBase }))
    }

    @Test("package caches and build toolchains are recognised by path",
          arguments: [
              ("var/cache/apt/archives/x.deb", Finding.Kind.packageCache, "apt-archives"),
              ("var/cache/apk/APKINDEX.abc.tar.gz", .packageCache, "apk-cache"),
              ("root/.cache/pip/wheels/ab/x.whl", .packageCache, "pip-cache"),
              ("home/app/.cache/pip/http/x", .packageCache, "pip-cache"),
              ("root/.npm/_cacache/index-v5/x", .packageCache, "npm-cache"),
              ("usr/local/share/.cache/yarn/v6/x", .packageCache, "yarn-cache"),
              ("root/.cache/go-build/ab/x-d", .packageCache, "go-build-cache"),
              ("root/.cache/other/x", .packageCache, "home-cache"),
              ("usr/lib/python3/dist-packages/__pycache__/x.pyc", .packageCache, "python-bytecode"),
              ("usr/share/man/man1/ls.1.gz", .documentation, "docs"),
              ("usr/lib/gcc/x86_64-linux-gnu/12/cc1", .buildToolchain, "toolchain"),
              ("usr/bin/x86_64-linux-gnu-gcc-12", .buildToolchain, "toolchain"),
              ("usr/include/stdio.h", .buildToolchain, "toolchain"),
          ])
    func byPath(path: String, kind: Finding.Kind, rule: String) throws {
        let report = try WasteFixtures.analyze(ImageFixture(layers: [
            LayerFixture([Entry.file(path, bytes: filler(1_234, seed: 9)), Entry.file("bin/app", bytes: filler(10, seed: 1))]),
        ]))
        let finding = try #require(report.findings.first { $0.kind == kind }, "\(path): \(report.findings)")
        #expect(finding.rule == rule)
        #expect(finding.bytes == 1_234)
        #expect(finding.paths == ["/" + path])
    }

    @Test("build packages in the dpkg database are named in the toolchain finding with their installed size")
    func buildPackages() throws {
        let status = """
            Package: build-essential
            Status: install ok installed
            Installed-Size: 20
            Version: 12.9

            Package: gcc-12-base
            Status: install ok installed
            Installed-Size: 100
            Version: 12.2.0-14

            Package: libssl-dev
            Status: install ok installed
            Installed-Size: 3000
            Version: 3.0.15-1

            Package: zlib1g-dev
            Status: deinstall ok config-files
            Installed-Size: 500
            Version: 1:1.2.13

            """
        let report = try WasteFixtures.analyze(ImageFixture(layers: [
            LayerFixture([Entry.file("var/lib/dpkg/status", status)]),
        ]))
        let finding = try #require(report.findings.first { $0.kind == .buildToolchain })
        #expect(finding.title.contains("build-essential, libssl-dev"))
        #expect(!finding.title.contains("gcc-12-base"))
        #expect(!finding.title.contains("zlib1g-dev"))
        #expect(finding.bytes == 3_020 * 1024)
    }
}
