import Foundation
import ShrikeCore
import ShrikeImage
import ShrikeTestSupport
import Testing
@testable import ShrikeCatalog

/// Stanzas modelled on a real Debian 12 status file: a binNMU with an epoch and `Source: name (version)`, a
/// `Multi-Arch: same` library installed for two architectures, multi-line fields, and packages in states that must
/// not be reported (removed with config kept, interrupted unpack, selected for removal).
private let debianStatus = """
    Package: bsdutils
    Essential: yes
    Status: install ok installed
    Priority: required
    Section: utils
    Installed-Size: 355
    Maintainer: util-linux packagers <util-linux@packages.debian.org>
    Architecture: amd64
    Multi-Arch: foreign
    Source: util-linux (2.38.1-5+deb12u3)
    Version: 1:2.38.1-5+deb12u3
    Pre-Depends: libc6 (>= 2.34), libsystemd0
    Recommends: bsdextrautils
    Description: basic utilities from 4.4BSD-Lite
     This package contains the bits and pieces that people expect to find on
     a Unix system, specifically logger and renice.
    Homepage: https://www.kernel.org/pub/linux/utils/util-linux/

    Package: libc6
    Status: install ok installed
    Priority: optional
    Section: libs
    Installed-Size: 13001
    Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
    Architecture: amd64
    Multi-Arch: same
    Source: glibc
    Version: 2.36-9+deb12u4
    Depends: libgcc-s1
    Conffiles:
     /etc/ld.so.conf.d/x86_64-linux-gnu.conf d4e7a7b88a71b5ffd9e2644e71a0cfab
    Description: GNU C Library: Shared libraries
     Contains the standard libraries that are used by nearly all programs on
     the system.

    Package: libc6
    Status: install ok installed
    Priority: optional
    Section: libs
    Installed-Size: 12321
    Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
    Architecture: i386
    Multi-Arch: same
    Source: glibc
    Version: 2.36-9+deb12u4
    Description: GNU C Library: Shared libraries

    Package: linux-image-6.1.0-17-amd64
    Status: deinstall ok config-files
    Priority: optional
    Section: kernel
    Architecture: amd64
    Source: linux-signed-amd64 (6.1.69+1)
    Version: 6.1.69-1
    Conffiles:
     /etc/kernel/postinst.d/dkms 0ef41d1a0d2c0d9f0cbfbb21d0e1bbd5

    Package: broken-unpack
    Status: install reinstreq half-installed
    Architecture: amd64
    Version: 1.0-1

    Package: half-done
    Status: install ok unpacked
    Architecture: all
    Version: 2.0-1

    Package: going-away
    Status: deinstall ok installed
    Architecture: all
    Version: 3.0-1

    Package: held
    Status: hold ok installed
    Architecture: all
    Version: 0.9-2
    """

private let bsdutilsCopyright = """
    Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
    Upstream-Name: util-linux
    Source: https://www.kernel.org/pub/linux/utils/util-linux/

    Files: *
    Copyright: 1991, 1992 Linus Torvalds
    License: GPL-2+

    Files: lib/md5.c
    Copyright: no copyright
    License: public-domain

    License: GPL-2+
     This program is free software; you can redistribute it and/or modify
     it under the terms of the GNU General Public License as published by
    License: BSD-3-clause or GPL-2
    """

private let debian12 = Distro(id: "debian", versionID: "12", prettyName: "Debian GNU/Linux 12 (bookworm)",
                              codename: "bookworm")

private func debianRoot(keepContent: ContentSelector? = nil) throws -> InMemoryFileSystem {
    try InMemoryFileSystem(
        textFiles: [
            "/var/lib/dpkg/status": debianStatus,
            "/var/lib/dpkg/status-old": "Package: stale\nVersion: 1\n",
            "/var/lib/dpkg/info/bsdutils.list": "/.\n/usr\n/usr/bin\n/usr/bin/logger\n/usr/bin/renice\n",
            "/var/lib/dpkg/info/bsdutils.md5sums": "f0b4b2c5  usr/bin/should-not-be-used\n",
            "/var/lib/dpkg/info/libc6:amd64.list": "/.\n/lib64\n/lib64/ld-linux-x86-64.so.2\n/usr/lib/x86_64-linux-gnu/libc.so.6\n",
            "/var/lib/dpkg/info/libc6:i386.list": "/.\n/usr/lib/i386-linux-gnu/libc.so.6\n",
            "/var/lib/dpkg/info/held.list": "/usr/share/held/file\r\n",
            "/usr/bin/logger": "", "/usr/bin/renice": "", "/lib64/ld-linux-x86-64.so.2": "",
            "/usr/lib/x86_64-linux-gnu/libc.so.6": "", "/usr/lib/i386-linux-gnu/libc.so.6": "",
            "/usr/share/doc/bsdutils/copyright": bsdutilsCopyright,
            "/usr/share/doc/libc6/copyright": "This is the Debian prepackaged version of the GNU C Library.\nLicense: see below\n",
        ],
        keepContent: keepContent)
}

struct DpkgCatalogerTests {
    // MARK: status format

    @Test func parsesEveryStanzaInOrder() {
        let entries = DpkgStatusParser.parse(debianStatus)
        #expect(entries.map(\.package) == ["bsdutils", "libc6", "libc6", "linux-image-6.1.0-17-amd64", "broken-unpack",
                                           "half-done", "going-away", "held"])
        #expect(entries[0] == DpkgStatusEntry(package: "bsdutils", version: "1:2.38.1-5+deb12u3", architecture: "amd64",
                                              source: "util-linux", sourceVersion: "2.38.1-5+deb12u3",
                                              status: "install ok installed"))
        #expect(entries[1].source == "glibc")
        #expect(entries[1].sourceVersion == nil)
        #expect(entries[2].architecture == "i386")
    }

    @Test func continuationLinesJoinTheirField() {
        let stanzas = DpkgStatusParser.stanzas(debianStatus)
        #expect(stanzas[0]["description"] == """
            basic utilities from 4.4BSD-Lite
            This package contains the bits and pieces that people expect to find on
            a Unix system, specifically logger and renice.
            """)
        #expect(stanzas[1]["conffiles"] == "\n/etc/ld.so.conf.d/x86_64-linux-gnu.conf d4e7a7b88a71b5ffd9e2644e71a0cfab")
        // A continuation line that looks like a field does not start one.
        #expect(stanzas[1]["contains the standard libraries that are used by nearly all programs on\nthe system."] == nil)
    }

    @Test func onlyInstalledPackagesAreKept() {
        let installed = DpkgStatusParser.parseInstalled(Array(debianStatus.utf8))
        #expect(installed.map { "\($0.package):\($0.architecture ?? "")" } == ["bsdutils:amd64", "libc6:amd64", "libc6:i386",
                                                                             "held:all"])
    }

    @Test(arguments: [
        ("install ok installed", true),
        ("hold ok installed", true),
        ("deinstall ok installed", false),
        ("purge ok installed", false),
        ("deinstall ok config-files", false),
        ("install ok half-installed", false),
        ("install ok unpacked", false),
        ("install ok half-configured", false),
        ("install ok triggers-pending", false),
        ("install ok not-installed", false),
        ("garbage", false),
    ])
    func statusDecidesInstalled(status: String, installed: Bool) {
        #expect(DpkgStatusEntry(package: "p", version: "1", status: status).isInstalled == installed)
    }

    @Test func missingStatusCountsAsInstalled() {
        #expect(DpkgStatusEntry(package: "p", version: "1").isInstalled)
    }

    @Test func toleratesCRLFMissingNewlineAndJunk() {
        let text = "\r\n\r\nPackage: a\r\nVersion: 1\r\nnonsense line\r\n: no key\r\n\r\nPackage: no-version\r\n\r\npackage: b\nVERSION: 2\nSource: bsrc (1.9)"
        let entries = DpkgStatusParser.parse(text)
        #expect(entries == [DpkgStatusEntry(package: "a", version: "1"),
                            DpkgStatusEntry(package: "b", version: "2", source: "bsrc", sourceVersion: "1.9")])
    }

    @Test func emptyInputHasNoPackages() {
        #expect(DpkgStatusParser.parse("").isEmpty)
        #expect(DpkgStatusParser.parse("\n\n \n").isEmpty)
    }

    // MARK: cataloger

    @Test func catalogsInstalledPackagesWithPurlsAndFiles() throws {
        let packages = try DpkgCataloger().catalog(try debianRoot(), distro: debian12)
        #expect(packages.map(\.name) == ["bsdutils", "libc6", "libc6", "held"])

        let bsdutils = packages[0]
        #expect(bsdutils.type == .deb)
        #expect(bsdutils.version == "1:2.38.1-5+deb12u3")
        #expect(bsdutils.purl.description
            == "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bdeb12u3?arch=amd64&distro=debian-12&upstream=util-linux%402.38.1-5%2Bdeb12u3")
        #expect(bsdutils.sourceName == "util-linux")
        #expect(bsdutils.sourceVersion == "2.38.1-5+deb12u3")
        #expect(bsdutils.architecture == "amd64")
        #expect(bsdutils.locations == ["/var/lib/dpkg/status", "/var/lib/dpkg/info/bsdutils.list"])
        #expect(bsdutils.ownedFiles == ["/usr/bin/logger", "/usr/bin/renice"])
        #expect(bsdutils.licenses == ["BSD-3-clause", "GPL-2+", "public-domain"])

        let libc = packages[1]
        #expect(libc.purl.description == "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc")
        #expect(libc.sourceName == "glibc")
        #expect(libc.sourceVersion == nil)
        #expect(libc.locations == ["/var/lib/dpkg/status", "/var/lib/dpkg/info/libc6:amd64.list"])
        #expect(libc.ownedFiles == ["/lib64/ld-linux-x86-64.so.2", "/usr/lib/x86_64-linux-gnu/libc.so.6"])
        // Not a machine-readable copyright file: its "License:" line in prose is not a license name.
        #expect(libc.licenses.isEmpty)

        let libc32 = packages[2]
        #expect(libc32.purl.description == "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=i386&distro=debian-12&upstream=glibc")
        #expect(libc32.ownedFiles == ["/usr/lib/i386-linux-gnu/libc.so.6"])

        let held = packages[3]
        #expect(held.sourceName == "held")  // no Source: field means the source package has the same name
        #expect(held.purl.description == "pkg:deb/debian/held@0.9-2?arch=all&distro=debian-12")
        #expect(held.ownedFiles == ["/usr/share/held/file"])
        #expect(held.locations == ["/var/lib/dpkg/status", "/var/lib/dpkg/info/held.list"])
        #expect(held.licenses.isEmpty)
    }

    @Test func namespaceFollowsTheDistro() throws {
        let ubuntu = Distro(id: "ubuntu", versionID: "22.04", idLike: ["debian"])
        let packages = try DpkgCataloger().catalog(try debianRoot(), distro: ubuntu)
        #expect(packages[3].purl.description == "pkg:deb/ubuntu/held@0.9-2?arch=all&distro=ubuntu-22.04")
        let unknown = try DpkgCataloger().catalog(try debianRoot(), distro: nil)
        #expect(unknown[3].purl.description == "pkg:deb/debian/held@0.9-2?arch=all")
    }

    @Test func wantsIsEnoughToCatalog() throws {
        let cataloger = DpkgCataloger()
        let full = try cataloger.catalog(try debianRoot(), distro: debian12)
        let streamed = try cataloger.catalog(try debianRoot(keepContent: cataloger.wants), distro: debian12)
        #expect(streamed == full)
        #expect(streamed.count == 4)
    }

    @Test(arguments: [
        ("/var/lib/dpkg/status", 1, true),
        ("/var/lib/dpkg/status.d/libssl3", 1, true),
        ("/var/lib/dpkg/status.d/libssl3.md5sums", 1, true),
        ("/var/lib/dpkg/info/libc6:amd64.list", 1, true),
        ("/usr/share/doc/bash/copyright", 4096, true),
        ("/usr/share/doc/huge/copyright", DpkgCataloger.maxCopyrightSize + 1, false),
        ("/usr/share/doc/bash/examples/copyright", 10, false),
        ("/var/lib/dpkg/info/libc6:amd64.md5sums", 1, false),
        ("/var/lib/dpkg/info/libc6:amd64.postinst", 1, false),
        ("/var/lib/dpkg/status-old", 1, false),
        ("/var/lib/dpkg/available", 1, false),
        ("/var/lib/dpkg/status.d/sub/file", 1, false),
        ("/etc/os-release", 1, false),
    ])
    func wantsExactlyItsFiles(path: String, size: Int64, wanted: Bool) {
        #expect(DpkgCataloger().wants(path: path, size: size) == wanted)
    }

    @Test func noDatabaseNoPackages() throws {
        let fs = try InMemoryFileSystem(textFiles: ["/etc/os-release": "ID=debian\n"])
        #expect(try DpkgCataloger().catalog(fs, distro: debian12).isEmpty)
    }

    @Test func statusLinkLoopIsAnErrorNamingTheFile() throws {
        let fs = try InMemoryFileSystem(symlinks: ["/var/lib/dpkg/status": "status"])
        #expect {
            try DpkgCataloger().catalog(fs, distro: debian12)
        } throws: { error in
            (error as? ShrikeError)?.code == .unsafePath
        }
    }

    // MARK: distroless

    /// Laid out like gcr.io/distroless/base-debian12: one stanza file per package without `Status:`, `md5sums`
    /// beside it, no `info/` directory.
    private func distrolessRoot(keepContent: ContentSelector? = nil) throws -> InMemoryFileSystem {
        try InMemoryFileSystem(
            textFiles: [
                "/var/lib/dpkg/status.d/libssl3": """
                    Package: libssl3
                    Source: openssl
                    Version: 3.0.11-1~deb12u2
                    Architecture: amd64
                    Maintainer: Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>
                    Installed-Size: 6283
                    Depends: libc6 (>= 2.34)
                    Section: libs
                    Priority: optional
                    Multi-Arch: same
                    Homepage: https://www.openssl.org/
                    Description: Secure Sockets Layer toolkit - shared libraries
                     This package is part of the OpenSSL project's implementation of the SSL
                     and TLS cryptographic protocols for secure communication over the
                     Internet.
                     .
                     It contains libssl and libcrypto shared libraries.

                    """,
                "/var/lib/dpkg/status.d/libssl3.md5sums": """
                    4f7f8fbcd2aa5bd4b5fc8a4ab5d1d1a6  usr/lib/x86_64-linux-gnu/libcrypto.so.3
                    0d3c2e1fb8a52c7a8e4d3c6bd1e76f22  usr/lib/x86_64-linux-gnu/libssl.so.3
                    a1b2c3d4e5f60718293a4b5c6d7e8f90  usr/share/doc/libssl3/changelog.Debian.gz

                    """,
                "/var/lib/dpkg/status.d/tzdata": """
                    Package: tzdata
                    Version: 2024a-0+deb12u1
                    Architecture: all
                    Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
                    Installed-Size: 2660
                    Depends: debconf (>= 0.5) | debconf-2.0
                    Provides: tzdata-bookworm
                    Section: localization
                    Priority: required
                    Multi-Arch: foreign
                    Description: time zone and daylight-saving time data
                    """,
                "/var/lib/dpkg/status.d/base-files": "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\nStatus: install ok installed\n",
                "/usr/lib/x86_64-linux-gnu/libcrypto.so.3": "",
                "/usr/lib/x86_64-linux-gnu/libssl.so.3": "",
                "/usr/share/doc/libssl3/copyright": "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nLicense: Apache-2.0\n",
                "/etc/os-release": "ID=debian\nVERSION_ID=\"12\"\n",
            ],
            keepContent: keepContent)
    }

    @Test func distrolessStatusDirectory() throws {
        let cataloger = DpkgCataloger()
        let packages = try cataloger.catalog(try distrolessRoot(), distro: debian12)
        #expect(packages.map(\.name) == ["base-files", "libssl3", "tzdata"])
        let ssl = packages[1]
        #expect(ssl.version == "3.0.11-1~deb12u2")
        #expect(ssl.purl.description == "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl")
        #expect(ssl.locations == ["/var/lib/dpkg/status.d/libssl3", "/var/lib/dpkg/status.d/libssl3.md5sums"])
        #expect(ssl.ownedFiles == ["/usr/lib/x86_64-linux-gnu/libcrypto.so.3", "/usr/lib/x86_64-linux-gnu/libssl.so.3",
                                   "/usr/share/doc/libssl3/changelog.Debian.gz"])
        #expect(ssl.licenses == ["Apache-2.0"])
        #expect(packages[2].locations == ["/var/lib/dpkg/status.d/tzdata"])
        #expect(packages[2].ownedFiles.isEmpty)

        let streamed = try cataloger.catalog(try distrolessRoot(keepContent: cataloger.wants), distro: debian12)
        #expect(streamed == packages)
    }

    @Test func statusAndStatusDirectoryTogether() throws {
        let fs = try InMemoryFileSystem(textFiles: [
            "/var/lib/dpkg/status": "Package: a\nStatus: install ok installed\nVersion: 1\n",
            "/var/lib/dpkg/status.d/b": "Package: b\nVersion: 2\n",
        ])
        let packages = try DpkgCataloger().catalog(fs, distro: nil)
        #expect(packages.map(\.name) == ["a", "b"])
        #expect(packages.map { $0.locations.first } == ["/var/lib/dpkg/status", "/var/lib/dpkg/status.d/b"])
    }

    // MARK: this machine's real database

    static let dpkgQueryPath = ["/usr/bin/dpkg-query", "/bin/dpkg-query"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let hostHasDpkg = dpkgQueryPath != nil && FileManager.default.fileExists(atPath: "/var/lib/dpkg/status")

    @Test(.enabled(if: hostHasDpkg, "needs dpkg-query and /var/lib/dpkg/status (a Debian-family host)"))
    func agreesWithDpkgQueryOnThisMachine() throws {
        let status = try #require(FileManager.default.contents(atPath: "/var/lib/dpkg/status"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.dpkgQueryPath))
        process.arguments = ["-W", "-f", "${Package} ${Version} ${db:Status-Abbrev}\n"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)

        // "ii" (and "hi", held): state installed, selection install or hold; what isInstalled means.
        let expected = String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard fields.count >= 3, fields[2].count >= 2, "ihu".contains(fields[2].first ?? " "),
                  fields[2].dropFirst().first == "i" else { return nil }
            return "\(fields[0]) \(fields[1])"
        }.sorted()
        let parsed = DpkgStatusParser.parseInstalled(Array(status)).map { "\($0.package) \($0.version)" }.sorted()
        #expect(!expected.isEmpty)
        #expect(parsed == expected)
    }
}
