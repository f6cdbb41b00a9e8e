import Foundation
import Testing
import ShrikeCatalog
import ShrikeCore
import ShrikeImage
import ShrikeTestSupport

/// Zipped eggs: one built by setuptools' own `bdist_egg`, and hand-made zips for the edge cases.
@Suite struct PythonEggCatalogerTests {
    let cataloger = PythonInstalledCataloger()

    /// Builds a real egg with setuptools (`python3 setup.py bdist_egg`) in a temporary project; nil when it can't.
    static let realEgg: String? = {
        guard let python = ExternalTool.find("python3"),
              let dir = try? LanguageFixtures.temporaryDirectory() else { return nil }
        let setup = """
            from setuptools import setup
            setup(name="Shrike_Egg.Demo", version="0.3.1", license="MIT", packages=["shrike_egg_demo"])
            """
        do {
            try FileManager.default.createDirectory(atPath: dir + "/shrike_egg_demo", withIntermediateDirectories: true)
            try "".write(toFile: dir + "/shrike_egg_demo/__init__.py", atomically: true, encoding: .utf8)
            try setup.write(toFile: dir + "/setup.py", atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = ["setup.py", "-q", "bdist_egg"]
            process.currentDirectoryURL = URL(fileURLWithPath: dir)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { return nil }
            let eggs = try FileManager.default.contentsOfDirectory(atPath: dir + "/dist").filter { $0.hasSuffix(".egg") }
            return eggs.first.map { dir + "/dist/" + $0 }
        } catch {
            return nil
        }
    }()

    @Test("an egg built by setuptools' bdist_egg: name, version, PEP 503 purl, license, the egg as its location",
          .enabled(if: realEgg != nil, "python3 with setuptools could not build an egg"))
    func setuptoolsEgg() throws {
        let egg = try #require(Self.realEgg)
        let name = (egg as NSString).lastPathComponent
        let (fs, root) = try LanguageTestSupport.directoryRoot { root in
            let dir = root + "/usr/lib/python3.11/site-packages"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: egg, toPath: dir + "/" + name)
        }
        defer { try? FileManager.default.removeItem(atPath: root) }
        let packages = try cataloger.catalog(fs, distro: nil)
        #expect(LanguageTestSupport.summary(packages) == ["Shrike-Egg.Demo 0.3.1 pkg:pypi/shrike-egg-demo@0.3.1"])
        #expect(packages.first?.locations == ["/usr/lib/python3.11/site-packages/\(name)"])
        #expect(packages.first?.ownedFiles == ["/usr/lib/python3.11/site-packages/\(name)"])
        #expect(packages.first?.licenses == ["MIT"])
    }

    static func rootfs(egg bytes: [UInt8]) throws -> (DirectoryFileSystem, String) {
        try LanguageTestSupport.directoryRoot { root in
            let dir = root + "/opt/app/lib"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: dir + "/thing-1.0-py3.11.egg", contents: Data(bytes))
        }
    }

    @Test("a hand-made egg is read from EGG-INFO/PKG-INFO only")
    func handMadeEgg() throws {
        var zip = JarBuilder()
        zip.add("EGG-INFO/PKG-INFO", "Metadata-Version: 1.1\nName: thing\nVersion: 1.0\n")
        zip.add("thing/__init__.py", "x = 1\n")
        let (fs, root) = try Self.rootfs(egg: try zip.build())
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(LanguageTestSupport.summary(try cataloger.catalog(fs, distro: nil)) == ["thing 1.0 pkg:pypi/thing@1.0"])
    }

    @Test("hostile or broken eggs yield nothing and do not throw",
          arguments: ["not a zip", "no metadata", "bomb"])
    func brokenEggs(kind: String) throws {
        var bytes: [UInt8]
        switch kind {
        case "not a zip":
            bytes = Array("PK but not really a zip".utf8)
        case "no metadata":
            var zip = JarBuilder()
            zip.add("thing/__init__.py", "x = 1\n")
            bytes = try zip.build()
        default:
            // 8 MiB of metadata compresses to a few KiB: more than the 1 MiB cap, so it is refused, not read.
            var zip = JarBuilder()
            zip.add("EGG-INFO/PKG-INFO", "Name: thing\nVersion: 1.0\n" + String(repeating: "A", count: 8 << 20))
            bytes = try zip.build()
        }
        let (fs, root) = try Self.rootfs(egg: bytes)
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try cataloger.catalog(fs, distro: nil).isEmpty)
    }
}
