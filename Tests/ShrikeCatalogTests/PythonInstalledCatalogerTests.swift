import Foundation
import Testing
import ShrikeCatalog
import ShrikeCore
import ShrikeImage
import ShrikeTestSupport

/// Installed Python distributions: real wheels installed by pip, Debian's egg-info, and hand-written edge cases.
@Suite struct PythonInstalledCatalogerTests {
    let cataloger = PythonInstalledCataloger()

    @Test("wheels installed by pip --target: names, PEP 503 purls, licenses and RECORD files",
          .enabled(if: LanguageFixtures.pipSite != nil, "pip could not install the old wheels (no pip or no network)"))
    func pipWheels() throws {
        let site = try #require(LanguageFixtures.pipSite)
        let (fs, root) = try LanguageTestSupport.directoryRoot { root in
            try FileManager.default.createDirectory(atPath: root + "/usr/local/lib/python3.11", withIntermediateDirectories: true)
            try ExternalTool.run(["cp", "-a", site, root + "/usr/local/lib/python3.11/site-packages"])
        }
        defer { try? FileManager.default.removeItem(atPath: root) }
        let packages = try cataloger.catalog(fs, distro: nil)
        #expect(LanguageTestSupport.summary(packages) == [
            "Django 2.2 pkg:pypi/django@2.2", "Jinja2 2.10 pkg:pypi/jinja2@2.10",
            "requests 2.19.1 pkg:pypi/requests@2.19.1", "urllib3 1.24.1 pkg:pypi/urllib3@1.24.1",
        ])
        let byName = Dictionary(uniqueKeysWithValues: packages.map { ($0.name, $0) })
        let sitePackages = "/usr/local/lib/python3.11/site-packages"
        #expect(byName["requests"]?.licenses == ["Apache 2.0"])
        #expect(byName["urllib3"]?.licenses == ["MIT"])
        #expect(byName["Jinja2"]?.locations == ["\(sitePackages)/Jinja2-2.10.dist-info/METADATA",
                                                "\(sitePackages)/Jinja2-2.10.dist-info/RECORD"])
        #expect(byName["requests"]?.ownedFiles.contains("\(sitePackages)/requests/api.py") == true)
        // RECORD paths climb out of site-packages for scripts: ../../bin/django-admin.
        #expect(byName["Django"]?.ownedFiles.contains("/usr/local/lib/bin/django-admin") == true)
        #expect(byName.values.allSatisfy { $0.type == .python })
    }

    @Test("Debian's python3-requests: an egg-info directory under dist-packages",
          .enabled(if: LanguageFixtures.debianPackages != nil, "apt-get download of the test .debs failed (no network?)"))
    func debianEggInfo() throws {
        let deb = try #require(LanguageFixtures.debianPackages?["python3-requests"])
        let (fs, root) = try LanguageTestSupport.directoryRoot { try LanguageFixtures.unpackDebian(deb, into: $0) }
        defer { try? FileManager.default.removeItem(atPath: root) }
        let packages = try cataloger.catalog(fs, distro: nil)
        #expect(LanguageTestSupport.summary(packages) == ["requests 2.28.1 pkg:pypi/requests@2.28.1"])
        #expect(packages.first?.locations == ["/usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO"])
        #expect(packages.first?.licenses == ["Apache 2.0"])
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var files: [String: String]
        var expected: [String]
        var licenses: [String]? = nil
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "egg-info file", files: ["/usr/lib/python3/dist-packages/six-1.16.0.egg-info":
            "Metadata-Version: 1.1\nName: six\nVersion: 1.16.0\nLicense: MIT\n"],
             expected: ["six 1.16.0 pkg:pypi/six@1.16.0"], licenses: ["MIT"]),
        Case(name: "unzipped egg", files: ["/usr/lib/python2.7/site-packages/Zope.Interface-4.0-py2.7.egg/EGG-INFO/PKG-INFO":
            "Metadata-Version: 1.0\nName: Zope.Interface\nVersion: 4.0\n"],
             expected: ["Zope.Interface 4.0 pkg:pypi/zope-interface@4.0"]),
        Case(name: "PEP 503 runs of separators", files: ["/s/foo__bar-.baz-1.0.dist-info/METADATA":
            "Name: Foo__Bar-.Baz\nVersion: 1.0\n"], expected: ["Foo__Bar-.Baz 1.0 pkg:pypi/foo-bar-baz@1.0"]),
        Case(name: "License-Expression wins", files: ["/s/a-1.dist-info/METADATA":
            "Name: a\nVersion: 1\nLicense: some text\nLicense-Expression: MIT OR Apache-2.0\n"],
             expected: ["a 1 pkg:pypi/a@1"], licenses: ["MIT OR Apache-2.0"]),
        Case(name: "a whole license text falls back to classifiers", files: ["/s/b-2.dist-info/METADATA":
            "Name: b\nVersion: 2\nLicense: Copyright (c) 2010\n        Permission is hereby granted\nClassifier: License :: OSI Approved :: MIT License\nClassifier: License :: OSI Approved :: BSD License\n"],
             expected: ["b 2 pkg:pypi/b@2"], licenses: ["MIT", "BSD License"]),
        Case(name: "UNKNOWN names no license", files: ["/s/c-3.dist-info/METADATA": "Name: c\nVersion: 3\nLicense: UNKNOWN\n"],
             expected: ["c 3 pkg:pypi/c@3"], licenses: []),
        Case(name: "headers end at the first blank line", files: ["/s/d-4.dist-info/METADATA":
            "Name: d\nVersion: 4\n\nVersion: 99\nName: other\n"], expected: ["d 4 pkg:pypi/d@4"]),
        Case(name: "no version, no package", files: ["/s/e.dist-info/METADATA": "Name: e\n"], expected: []),
        Case(name: "METADATA outside a dist-info is not Python's", files: ["/s/META-INF/METADATA": "Name: f\nVersion: 1\n"],
             expected: []),
        Case(name: "CRLF line ends", files: ["/s/g-5.dist-info/METADATA": "Name: g\r\nVersion: 5\r\n"],
             expected: ["g 5 pkg:pypi/g@5"]),
    ]

    @Test("metadata files and fields", arguments: cases)
    func metadata(_ c: Case) throws {
        let packages = try LanguageTestSupport.catalogBothWays(cataloger, files: c.files)
        #expect(LanguageTestSupport.summary(packages) == c.expected)
        if let licenses = c.licenses { #expect(packages.first?.licenses == licenses) }
    }

    @Test("RECORD: quoted paths with commas, paths that climb out, and installed-files.txt for eggs")
    func recordFiles() throws {
        let packages = try LanguageTestSupport.catalogBothWays(cataloger, files: [
            "/venv/lib/site-packages/x-1.dist-info/METADATA": "Name: x\nVersion: 1\n",
            "/venv/lib/site-packages/x-1.dist-info/RECORD":
                "x/__init__.py,sha256=abc,10\n\"x/a,b.py\",sha256=def,3\n../../bin/x,,\nx-1.dist-info/RECORD,,\n",
            "/usr/lib/python3/dist-packages/y-2.egg-info/PKG-INFO": "Name: y\nVersion: 2\n",
            "/usr/lib/python3/dist-packages/y-2.egg-info/installed-files.txt": "../y/__init__.py\nPKG-INFO\n",
        ])
        let byName = Dictionary(uniqueKeysWithValues: packages.map { ($0.name, $0) })
        #expect(byName["x"]?.ownedFiles == ["/venv/lib/site-packages/x/__init__.py", "/venv/lib/site-packages/x/a,b.py",
                                            "/venv/bin/x", "/venv/lib/site-packages/x-1.dist-info/RECORD"])
        #expect(byName["y"]?.ownedFiles == ["/usr/lib/python3/dist-packages/y/__init__.py",
                                            "/usr/lib/python3/dist-packages/y-2.egg-info/PKG-INFO"])
        #expect(byName["y"]?.locations.last == "/usr/lib/python3/dist-packages/y-2.egg-info/installed-files.txt")
    }

    @Test("wants is selective", arguments: [
        ("/a/b-1.dist-info/METADATA", true), ("/a/b-1.dist-info/RECORD", true), ("/a/b.egg-info/PKG-INFO", true),
        ("/a/b.egg-info", true), ("/a/b.egg/EGG-INFO/PKG-INFO", true), ("/a/b.egg-info/installed-files.txt", true),
        ("/a/METADATA", false), ("/a/b-1.dist-info/LICENSE", false), ("/a/PKG-INFO", false), ("/a/x.py", false),
        ("/a/b.egg-info/top_level.txt", false),
    ])
    func wants(_ path: String, _ wanted: Bool) {
        #expect(cataloger.wants(path: path, size: 100) == wanted)
        #expect(!cataloger.wants(path: path, size: PythonInstalledCataloger.maxFileSize + 1))
    }
}
