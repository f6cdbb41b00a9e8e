import Foundation
import ShrikeCatalog
import ShrikeCore
import Testing

/// Runs external tools for the generated-rpmdb tests.
private enum RpmTools {
    static func path(of tool: String) -> String? {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return dirs.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let haveRpm = path(of: "rpm") != nil && path(of: "rpmbuild") != nil
    static let haveDbLoad = haveRpm && path(of: "db5.3_load") != nil

    /// Whether this rpm build can create a database with `backend` (Debian's rpm 4.18 writes only sqlite).
    static let writesNDB: Bool = {
        guard haveRpm, let dir = try? makeTemporaryDirectory() else { return false }
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try? run("rpm", ["--dbpath", dir.path, "--define", "_db_backend ndb", "--initdb"])
        return FileManager.default.fileExists(atPath: dir.appendingPathComponent("Packages.db").path)
    }()

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String], stdin: String? = nil) throws -> String {
        guard let executable = path(of: tool) else { throw Failure(description: "\(tool) is not installed") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read before waiting so a full pipe cannot deadlock the child.
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(tool) \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)): \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func makeTemporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-rpm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// Three tiny noarch packages: one with an Epoch, one owning several files with Source and License set, one bare.
private let specs: [String: String] = [
    "shrike-alpha": """
        Name: shrike-alpha
        Version: 1.2.3
        Release: 4.test
        Epoch: 3
        Summary: Shrike test package with an epoch
        License: MIT AND Apache-2.0
        BuildArch: noarch
        Source0: shrike-alpha-1.2.3.tar.gz
        %description
        test
        %install
        mkdir -p %{buildroot}/usr/share/shrike-alpha/nested %{buildroot}/etc
        echo one > %{buildroot}/usr/share/shrike-alpha/one.txt
        echo two > %{buildroot}/usr/share/shrike-alpha/nested/two.txt
        echo conf > %{buildroot}/etc/shrike-alpha.conf
        %files
        /usr/share/shrike-alpha
        %config /etc/shrike-alpha.conf
        """,
    "shrike-beta": """
        Name: shrike-beta
        Version: 0.9
        Release: 1
        Summary: Shrike test package owning files
        License: GPL-2.0-only
        BuildArch: noarch
        Source0: https://example.invalid/shrike-beta-0.9.tar.gz
        %description
        test
        %install
        mkdir -p %{buildroot}/usr/bin %{buildroot}/usr/lib/shrike-beta
        echo '#!/bin/sh' > %{buildroot}/usr/bin/shrike-beta
        for i in 1 2 3 4 5; do echo $i > %{buildroot}/usr/lib/shrike-beta/data$i; done
        %files
        /usr/bin/shrike-beta
        /usr/lib/shrike-beta
        """,
    "shrike-gamma": """
        Name: shrike-gamma
        Version: 2024.01
        Release: 7.fc40
        Summary: Shrike test package without files
        License: BSD-3-Clause
        BuildArch: noarch
        %description
        test
        %files
        """,
]

/// A temporary root with the three packages installed by rpm into an SQLite database.
private struct InstalledRoot {
    let directory: URL
    var root: URL { directory.appendingPathComponent("root") }
    var sqlitePath: String { root.appendingPathComponent("var/lib/rpm/rpmdb.sqlite").path }

    init() throws {
        directory = try RpmTools.makeTemporaryDirectory()
        var packages: [String] = []
        for (name, spec) in specs {
            let specURL = directory.appendingPathComponent("\(name).spec")
            try spec.write(to: specURL, atomically: true, encoding: .utf8)
            try RpmTools.run("rpmbuild", [
                "-bb", "--define", "_topdir \(directory.path)/top", "--define", "_rpmdir \(directory.path)/rpms",
                "--define", "_tmppath \(directory.path)/tmp", "--define", "__os_install_post %{nil}",
                "--define", "debug_package %{nil}", "--define", "_build_id_links none", specURL.path,
            ])
            packages.append(try FileManager.default.contentsOfDirectory(atPath: "\(directory.path)/rpms/noarch")
                .filter { $0.hasPrefix(name + "-") }.map { "\(directory.path)/rpms/noarch/\($0)" }.first ?? "")
        }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try RpmTools.run("rpm", rpmArguments + ["--initdb"])
        try RpmTools.run("rpm", rpmArguments + ["-i", "--nodeps", "--noscripts"] + packages)
    }

    var rpmArguments: [String] {
        ["--root", root.path, "--dbpath", "/var/lib/rpm", "--define", "_db_backend sqlite"]
    }

    /// `NAME EPOCHNUM VERSION RELEASE ARCH` lines as rpm prints them, sorted.
    func rpmQueryAll() throws -> [String] {
        try RpmTools.run("rpm", rpmArguments + ["-qa", "--qf", "%{NAME} %{EPOCHNUM} %{VERSION} %{RELEASE} %{ARCH}\\n"])
            .split(separator: "\n").map(String.init).sorted()
    }

    func rpmFileList(_ package: String) throws -> [String] {
        try RpmTools.run("rpm", rpmArguments + ["-ql", package]).split(separator: "\n").map(String.init)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

private func lines(_ records: [RpmPackageRecord]) -> [String] {
    records.map { "\($0.name) \($0.epoch ?? 0) \($0.version) \($0.release) \($0.arch ?? "")" }.sorted()
}

@Suite("rpm databases generated by rpm", .serialized)
struct RpmGeneratedDatabaseTests {
    @Test("SQLite rpmdb written by rpm reads back as rpm -qa / rpm -ql print it, without touching the database",
          .enabled(if: RpmTools.haveRpm, "needs rpm and rpmbuild (apt-get install rpm)"))
    func sqlite() throws {
        let installed = try InstalledRoot()
        defer { installed.remove() }
        let expected = try installed.rpmQueryAll()
        #expect(expected.count == 3)

        let dbDirectory = (installed.sqlitePath as NSString).deletingLastPathComponent
        // rpm may leave empty -wal/-shm files; whatever is there must be exactly what is there after reading.
        let before = try FileManager.default.contentsOfDirectory(atPath: dbDirectory).sorted()
        let records = try RpmDatabase.records(file: installed.sqlitePath)
        #expect(lines(records) == expected)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dbDirectory).sorted() == before)

        let alpha = try #require(records.first { $0.name == "shrike-alpha" })
        #expect(alpha.files == (try installed.rpmFileList("shrike-alpha")))
        #expect(alpha.epoch == 3)
        #expect(alpha.license == "MIT AND Apache-2.0")
        #expect(alpha.sourceRPM == "shrike-alpha-1.2.3-4.test.src.rpm")
        let beta = try #require(records.first { $0.name == "shrike-beta" })
        #expect(beta.files == (try installed.rpmFileList("shrike-beta")))
        #expect(beta.files.count == 7)
        let gamma = try #require(records.first { $0.name == "shrike-gamma" })
        #expect(gamma.files.isEmpty)
        #expect(gamma.epoch == nil)

        let package = RpmCataloger.package(from: alpha, location: "/var/lib/rpm/rpmdb.sqlite",
                                           distro: Distro(id: "fedora", versionID: "40"))
        #expect(package.version == "3:1.2.3-4.test")
        #expect(package.purl.description == "pkg:rpm/fedora/shrike-alpha@1.2.3-4.test?arch=noarch&distro=fedora-40&epoch=3")
        #expect(package.sourceName == "shrike-alpha")
    }

    @Test("SQLite rpmdb in a read-only directory with no -wal/-shm files",
          .enabled(if: RpmTools.haveRpm, "needs rpm and rpmbuild (apt-get install rpm)"))
    func sqliteReadOnlyCopy() throws {
        let installed = try InstalledRoot()
        defer { installed.remove() }
        let expected = try installed.rpmQueryAll()
        let copyDirectory = installed.directory.appendingPathComponent("readonly")
        try FileManager.default.createDirectory(at: copyDirectory, withIntermediateDirectories: true)
        let copy = copyDirectory.appendingPathComponent("rpmdb.sqlite").path
        try FileManager.default.copyItem(atPath: installed.sqlitePath, toPath: copy)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: copy)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: copyDirectory.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copyDirectory.path) }
        #expect(lines(try RpmDatabase.records(file: copy)) == expected)
        #expect(try FileManager.default.contentsOfDirectory(atPath: copyDirectory.path) == ["rpmdb.sqlite"])
    }

    @Test("Berkeley DB hash databases written by libdb from rpm's headers read back as rpm -qa prints them",
          .enabled(if: RpmTools.haveDbLoad, "needs rpm, rpmbuild and db5.3_load (apt-get install rpm db5.3-util)"),
          arguments: [(512, false), (4096, false), (512, true), (8192, true)])
    func berkeleyDB(pageSize: Int, bigEndian: Bool) throws {
        // Debian's rpm 4.18 cannot write Berkeley DB (only bdb_ro), so libdb's own db_load builds the file from
        // the header blobs rpm stored, keyed by instance number as rpm's bdb backend did.
        let installed = try InstalledRoot()
        defer { installed.remove() }
        let expected = try installed.rpmQueryAll()
        let blobs = try RpmSQLiteReader.blobs(path: installed.sqlitePath)
        var dump = "VERSION=3\nformat=bytevalue\ntype=hash\ndb_pagesize=\(pageSize)\n"
        if bigEndian { dump += "db_lorder=4321\n" }
        dump += "HEADER=END\n"
        // rpm's "next instance" counter under key 0, then one header per instance.
        dump += " 00000000\n 0\(blobs.count + 1)000000\n"
        for (i, blob) in blobs.enumerated() {
            let key = UInt32(i + 1)
            let keyBytes = bigEndian ? withUnsafeBytes(of: key.bigEndian, Array.init) : withUnsafeBytes(of: key.littleEndian, Array.init)
            dump += " " + keyBytes.map { String(format: "%02x", $0) }.joined() + "\n"
            dump += " " + blob.map { String(format: "%02x", $0) }.joined() + "\n"
        }
        dump += "DATA=END\n"
        let dbPath = installed.directory.appendingPathComponent("Packages").path
        try RpmTools.run("db5.3_load", [dbPath], stdin: dump)

        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dbPath)))
        #expect(RpmDatabase.detectFormat(bytes) == .berkeleyDB)
        let reader = try BerkeleyDBHashReader(bytes: bytes)
        #expect(reader.pageSize == pageSize)
        #expect(reader.isBigEndian == bigEndian)
        let records = try RpmDatabase.records(file: dbPath)
        #expect(lines(records) == expected)
        let beta = try #require(records.first { $0.name == "shrike-beta" })
        #expect(beta.files == (try installed.rpmFileList("shrike-beta")))
    }

    @Test("ndb database written by rpm reads back as rpm -qa prints it",
          .enabled(if: RpmTools.writesNDB, "this rpm cannot write ndb databases (Debian's rpm 4.18 is built with sqlite only); the SLE 15 fixture covers ndb"))
    func ndb() throws {
        let installed = try InstalledRoot()
        defer { installed.remove() }
        let expected = try installed.rpmQueryAll()
        let ndbRoot = installed.directory.appendingPathComponent("ndbroot")
        let arguments = ["--root", ndbRoot.path, "--dbpath", "/var/lib/rpm", "--define", "_db_backend ndb"]
        try FileManager.default.createDirectory(at: ndbRoot, withIntermediateDirectories: true)
        try RpmTools.run("rpm", arguments + ["--initdb"])
        let rpms = try FileManager.default.contentsOfDirectory(atPath: "\(installed.directory.path)/rpms/noarch")
            .map { "\(installed.directory.path)/rpms/noarch/\($0)" }
        try RpmTools.run("rpm", arguments + ["-i", "--nodeps", "--noscripts", "--justdb"] + rpms)
        let records = try RpmDatabase.records(file: ndbRoot.appendingPathComponent("var/lib/rpm/Packages.db").path)
        #expect(lines(records) == expected)
    }
}
