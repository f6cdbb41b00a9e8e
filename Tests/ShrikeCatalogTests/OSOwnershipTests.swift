import Foundation
import Testing
import ShrikeCatalog
import ShrikeCore
import ShrikeImage
import ShrikeTestSupport

/// Language packages an OS package installed are not reported again: they move to `ownedLanguagePackages` and say
/// which OS package owns them.
@Suite struct OSOwnershipTests {
    @Test("real dpkg database: Debian's requests, ms and rack are owned; pip's requests next to them is not",
          .enabled(if: LanguageFixtures.debianPackages != nil, "apt-get download of the test .debs failed (no network?)"),
          .enabled(if: LanguageFixtures.pipSite != nil, "pip could not install the old wheels (no pip or no network)"))
    func realDpkg() throws {
        let debs = try #require(LanguageFixtures.debianPackages)
        let site = try #require(LanguageFixtures.pipSite)
        let (fs, root) = try LanguageTestSupport.directoryRoot { root in
            for name in ["python3-requests", "node-ms", "ruby-rack"] {
                try LanguageFixtures.installDebian(try #require(debs[name]), into: root)
            }
            try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
            try "ID=debian\nVERSION_ID=\"12\"\n".write(toFile: root + "/etc/os-release", atomically: true, encoding: .utf8)
            try FileManager.default.createDirectory(atPath: root + "/usr/local/lib/python3.11", withIntermediateDirectories: true)
            try ExternalTool.run(["cp", "-a", site, root + "/usr/local/lib/python3.11/dist-packages"])
        }
        defer { try? FileManager.default.removeItem(atPath: root) }
        let sbom = try Catalog.directory.run(on: fs, source: SourceDescription(type: "dir", path: root))

        #expect(Set(sbom.packages.filter { $0.type == .deb }.map(\.name)) == ["python3-requests", "node-ms", "ruby-rack"])
        #expect(LanguageTestSupport.summary(sbom.packages.filter { !$0.type.isOSPackage }) == [
            "Django 2.2 pkg:pypi/django@2.2", "Jinja2 2.10 pkg:pypi/jinja2@2.10",
            "requests 2.19.1 pkg:pypi/requests@2.19.1", "urllib3 1.24.1 pkg:pypi/urllib3@1.24.1",
        ])
        let owners = Dictionary(uniqueKeysWithValues: sbom.ownedLanguagePackages.map { ("\($0.name) \($0.version)", $0.ownedBy ?? "") })
        #expect(owners.keys.sorted() == ["@types/ms 0.7.31", "ms 2.1.3", "rack 2.2.22", "requests 2.28.1"])
        let debPurl = { (name: String) in sbom.packages.first { $0.name == name }?.purl.description ?? "missing" }
        #expect(owners["requests 2.28.1"] == debPurl("python3-requests"))
        #expect(owners["ms 2.1.3"] == debPurl("node-ms"))
        #expect(owners["rack 2.2.22"] == debPurl("ruby-rack"))
        #expect(owners["requests 2.28.1"]?.hasPrefix("pkg:deb/debian/python3-requests@2.28.1%2Bdfsg-1?") == true)
    }

    @Test("merged /usr: the dpkg list names /lib/…, the tree holds /usr/lib/… behind a /lib symlink")
    func mergedUsr() throws {
        let fs = try InMemoryFileSystem(textFiles: [
            "/var/lib/dpkg/status": "Package: python3-six\nStatus: install ok installed\nVersion: 1.16.0-4\nArchitecture: all\n\n",
            "/var/lib/dpkg/info/python3-six.list": "/.\n/lib\n/lib/python3\n/lib/python3/dist-packages/six-1.16.0.egg-info\n",
            "/usr/lib/python3/dist-packages/six-1.16.0.egg-info": "Name: six\nVersion: 1.16.0\n",
            "/usr/lib/python3/dist-packages/attrs-23.1.0.dist-info/METADATA": "Name: attrs\nVersion: 23.1.0\n",
        ], symlinks: ["/lib": "usr/lib"])
        let sbom = try Catalog.default.run(on: fs, source: SourceDescription(type: "dir", path: "/"))
        #expect(sbom.ownedLanguagePackages.map(\.name) == ["six"])
        #expect(sbom.ownedLanguagePackages.first?.ownedBy == "pkg:deb/debian/python3-six@1.16.0-4?arch=all")
        #expect(sbom.packages.map(\.name).sorted() == ["attrs", "python3-six"])
    }
}
