import Foundation
import ShrikeCore
import ShrikeImage
import ShrikeTestSupport
import Testing
@testable import ShrikeCatalog

struct ApkCatalogerTests {
    static let tarTrait = ConditionTrait.enabled(if: MinirootfsFixture.tarAvailable, "needs /bin/tar to read the minirootfs fixture")

    private func minirootfs(_ archive: String, keepContent: ContentSelector? = nil) throws -> (InMemoryFileSystem, Distro) {
        let installed = try MinirootfsFixture.extract("./lib/apk/db/installed", from: archive)
        let osRelease = try MinirootfsFixture.extract("./etc/os-release", from: archive)
        let fs = try InMemoryFileSystem(files: ["/lib/apk/db/installed": installed, "/etc/os-release": osRelease],
                                        keepContent: keepContent)
        return (fs, try #require(try DistroDetector.detect(fs)))
    }

    // MARK: real databases

    @Test(tarTrait) func alpine396() throws {
        let (fs, distro) = try minirootfs(MinirootfsFixture.alpine396)
        let packages = try ApkCataloger().catalog(fs, distro: distro)
        #expect(packages.count == 14)
        #expect(packages.map { "\($0.name) \($0.version) \($0.sourceName ?? "-")" } == [
            "musl 1.1.20-r5 musl", "busybox 1.29.3-r10 busybox", "alpine-baselayout 3.1.0-r3 alpine-baselayout",
            "alpine-keys 2.1-r1 alpine-keys", "libcrypto1.1 1.1.1g-r0 openssl", "libssl1.1 1.1.1g-r0 openssl",
            "ca-certificates-cacert 20191127-r0 ca-certificates", "libtls-standalone 2.7.4-r6 libtls-standalone",
            "ssl_client 1.29.3-r10 busybox", "zlib 1.2.11-r1 zlib", "apk-tools 2.10.3-r1 apk-tools",
            "scanelf 1.2.3-r0 pax-utils", "musl-utils 1.1.20-r5 musl", "libc-utils 0.7.1-r0 libc-dev",
        ])
        #expect(packages.allSatisfy { $0.type == .apk && $0.architecture == "x86_64" })
        #expect(packages.allSatisfy { $0.locations == ["/lib/apk/db/installed"] })

        let musl = packages[0]
        #expect(musl.purl.description == "pkg:apk/alpine/musl@1.1.20-r5?arch=x86_64&distro=alpine-3.9.6")
        #expect(musl.licenses == ["MIT"])
        #expect(musl.ownedFiles == ["/lib/libc.musl-x86_64.so.1", "/lib/ld-musl-x86_64.so.1"])

        let byName = Dictionary(uniqueKeysWithValues: packages.map { ($0.name, $0) })
        // Old Alpine wrote license lists separated by spaces, not SPDX expressions.
        #expect(byName["musl-utils"]?.licenses == ["MIT", "BSD", "GPL2+"])
        #expect(byName["ca-certificates-cacert"]?.licenses == ["MPL-2.0", "GPL-2.0-or-later"])
        #expect(byName["apk-tools"]?.licenses == ["GPL2"])
        #expect(byName["ssl_client"]?.purl.description
            == "pkg:apk/alpine/ssl_client@1.29.3-r10?arch=x86_64&distro=alpine-3.9.6&upstream=busybox")
        #expect(packages.reduce(0) { $0 + $1.ownedFiles.count } == 79)
    }

    @Test(tarTrait) func alpine3203() throws {
        let (fs, distro) = try minirootfs(MinirootfsFixture.alpine3203)
        let packages = try ApkCataloger().catalog(fs, distro: distro)
        #expect(packages.map { "\($0.name) \($0.version)" } == [
            "alpine-baselayout 3.6.5-r0", "alpine-baselayout-data 3.6.5-r0", "alpine-keys 2.4-r1", "apk-tools 2.14.4-r0",
            "busybox 1.36.1-r29", "busybox-binsh 1.36.1-r29", "ca-certificates-bundle 20240705-r0", "libcrypto3 3.3.2-r0",
            "libssl3 3.3.2-r0", "musl 1.2.5-r0", "musl-utils 1.2.5-r0", "scanelf 1.3.7-r2", "ssl_client 1.36.1-r29",
            "zlib 1.3.1-r1",
        ])
        let byName = Dictionary(uniqueKeysWithValues: packages.map { ($0.name, $0) })
        // Current Alpine writes SPDX expressions: one license entry each.
        #expect(byName["ca-certificates-bundle"]?.licenses == ["MPL-2.0 AND MIT"])
        #expect(byName["musl-utils"]?.licenses == ["MIT AND BSD-2-Clause AND GPL-2.0-or-later"])
        #expect(byName["zlib"]?.licenses == ["Zlib"])
        #expect(byName["libcrypto3"]?.sourceName == "openssl")
        #expect(byName["libcrypto3"]?.purl.description
            == "pkg:apk/alpine/libcrypto3@3.3.2-r0?arch=x86_64&distro=alpine-3.20.3&upstream=openssl")
        #expect(byName["busybox-binsh"]?.ownedFiles == ["/bin/sh"])
        #expect(packages.reduce(0) { $0 + $1.ownedFiles.count } == 107)
    }

    @Test(tarTrait) func wantsIsEnoughToCatalog() throws {
        let cataloger = ApkCataloger()
        let (full, distro) = try minirootfs(MinirootfsFixture.alpine3203)
        let (streamed, _) = try minirootfs(MinirootfsFixture.alpine3203) { path, size in
            cataloger.wants(path: path, size: size) || DistroDetector.wantedPaths.contains(path)
        }
        let expected = try cataloger.catalog(full, distro: distro)
        #expect(try cataloger.catalog(streamed, distro: distro) == expected)
        #expect(expected.count == 14)
    }

    // MARK: format edge cases

    @Test func crlfAndMissingFinalNewline() {
        let text = "C:Q1abc=\r\nP:a\r\nV:1-r0\r\nA:x86_64\r\nF:usr/bin\r\nR:a\r\n\r\nP:b\r\nV:2-r1\r\nR:rootfile"
        let entries = ApkInstalledParser.parse(text)
        #expect(entries == [
            ApkInstalledEntry(name: "a", version: "1-r0", architecture: "x86_64", files: ["/usr/bin/a"]),
            ApkInstalledEntry(name: "b", version: "2-r1", files: ["/rootfile"]),
        ])
    }

    @Test func filesFollowTheirDirectory() {
        let text = """
            P:pkg
            V:1
            F:etc
            F:etc/ssl
            R:cert.pem
            a:0:0:644
            Z:Q1xyz=
            F:usr/lib/
            R:libx.so
            F:
            R:top

            """
        #expect(ApkInstalledParser.parse(text).first?.files == ["/etc/ssl/cert.pem", "/usr/lib/libx.so", "/top"])
    }

    @Test func recordsWithoutNameOrVersionAreDropped() {
        let text = "\n\nV:1\nA:x86_64\n\nP:only-name\n\nP:ok\nV:2\nthis is junk\nX\n:\n\n\n"
        #expect(ApkInstalledParser.parse(text).map(\.name) == ["ok"])
        #expect(ApkInstalledParser.parse("").isEmpty)
    }

    @Test func usrLibDatabaseAndDistroNamespace() throws {
        let fs = try InMemoryFileSystem(textFiles: ["/usr/lib/apk/db/installed": "P:glibc\nV:2.40-r3\nA:aarch64\no:glibc\nL:LGPL-2.1-or-later\n"])
        let wolfi = Distro(id: "wolfi", versionID: "20230201")
        let packages = try ApkCataloger().catalog(fs, distro: wolfi)
        #expect(packages.map(\.purl.description) == ["pkg:apk/wolfi/glibc@2.40-r3?arch=aarch64&distro=wolfi-20230201"])
        #expect(packages.first?.locations == ["/usr/lib/apk/db/installed"])
        let unknown = try ApkCataloger().catalog(fs, distro: nil)
        #expect(unknown.map(\.purl.description) == ["pkg:apk/alpine/glibc@2.40-r3?arch=aarch64"])
    }

    @Test func libApkThroughASymlinkedDirectory() throws {
        let fs = try InMemoryFileSystem(textFiles: ["/usr/lib/apk/db/installed": "P:x\nV:1\n"],
                                        symlinks: ["/lib/apk": "../usr/lib/apk"])
        #expect(try ApkCataloger().catalog(fs, distro: nil).map(\.name) == ["x"])
    }

    @Test func noDatabaseNoPackages() throws {
        #expect(try ApkCataloger().catalog(try InMemoryFileSystem(), distro: nil).isEmpty)
    }

    @Test(arguments: [
        ("/lib/apk/db/installed", true),
        ("/usr/lib/apk/db/installed", true),
        ("/lib/apk/db/scripts.tar", false),
        ("/lib/apk/db/triggers", false),
        ("/etc/apk/world", false),
    ])
    func wantsExactlyTheDatabase(path: String, wanted: Bool) {
        #expect(ApkCataloger().wants(path: path, size: 100) == wanted)
    }

    // MARK: license fields

    @Test(arguments: [
        ("MIT", ["MIT"]),
        ("MIT BSD GPL2+", ["MIT", "BSD", "GPL2+"]),
        ("MPL-2.0 AND MIT", ["MPL-2.0 AND MIT"]),
        ("GPL-2.0-or-later WITH Classpath-exception-2.0", ["GPL-2.0-or-later WITH Classpath-exception-2.0"]),
        ("(MIT OR Apache-2.0) AND BSD-3-Clause", ["(MIT OR Apache-2.0) AND BSD-3-Clause"]),
        ("  ", []),
    ])
    func licenseFieldSplitting(raw: String, expected: [String]) {
        #expect(DeclaredLicenseSplitter.split(raw) == expected)
    }
}
