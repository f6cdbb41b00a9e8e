import Foundation
import ShrikeTestSupport
import Testing

/// `shrike scan` of a real Amazon Linux 2023 rpm database with no Amazon data imported: one line says what was not
/// checked, JSON lists it, and `--fail-on` fails unless `--allow-unchecked` (issue 13's "never silent").
@Suite("shrike scan: packages without advisory data", .enabled(if: ShrikeBinary.isBuilt, "needs the shrike executable (swift build)"),
       .enabled(if: SharedData.has("os/rpmdb/amazonlinux-2023/rpmdb.sqlite"), Comment(rawValue: SharedData.reason("os/rpmdb/amazonlinux-2023/rpmdb.sqlite"))))
struct UncheckedScanCLITests {
    /// A root file system holding the real rpmdb.sqlite and Amazon Linux 2023's os-release, and a database with only
    /// Alpine data in it.
    static func fixture() throws -> (root: String, db: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-unchecked-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/var/lib/rpm", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: SharedData.path("os/rpmdb/amazonlinux-2023/rpmdb.sqlite"),
                                         toPath: root + "/var/lib/rpm/rpmdb.sqlite")
        try "NAME=\"Amazon Linux\"\nVERSION=\"2023\"\nID=\"amzn\"\nID_LIKE=\"fedora\"\nVERSION_ID=\"2023\"\n"
            .write(toFile: root + "/etc/os-release", atomically: true, encoding: .utf8)
        let db = root + ".sqlite"
        let imported = try ShrikeBinary.run(["db", "import", "--db", db,
                                             RepositoryFiles.path("Tests/ShrikeVulnDBTests/Fixtures/alpine-secdb")])
        #expect(imported.status == 0, "stderr: \(imported.stderr)")
        return (root, db)
    }

    @Test("one summary line on stderr, the count in JSON, exit 0 without --fail-on")
    func summary() throws {
        let (root, db) = try Self.fixture()
        defer { try? FileManager.default.removeItem(atPath: root); try? FileManager.default.removeItem(atPath: db) }
        let sbom = try ShrikeBinary.run(["sbom", "dir:" + root, "-o", "json"])
        let packages = try #require((try JSONSerialization.jsonObject(with: Data(sbom.stdout)) as? [String: Any])?["packages"] as? [Any])
        #expect(packages.count > 90)

        let run = try ShrikeBinary.run(["scan", "dir:" + root, "--db", db, "-o", "json"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let lines = run.stderr.split(separator: "\n").filter { $0.contains("not checked") }
        #expect(lines.count == 1, "\(run.stderr)")
        #expect(lines.first?.contains("no advisory data for amazon:2023 in the database — \(packages.count) rpm packages were not checked") == true,
                "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout)) as? [String: Any])
        #expect((object["unchecked"] as? [String: Any])?["packages"] as? Int == packages.count)
    }

    @Test("--fail-on fails on unchecked packages; --allow-unchecked lets it pass", arguments: [
        (["--fail-on", "critical"], Int32(1)),
        (["--fail-on", "critical", "--allow-unchecked"], Int32(0)),
        ([], Int32(0)),
    ])
    func failOn(_ flags: [String], _ status: Int32) throws {
        let (root, db) = try Self.fixture()
        defer { try? FileManager.default.removeItem(atPath: root); try? FileManager.default.removeItem(atPath: db) }
        let run = try ShrikeBinary.run(["scan", "dir:" + root, "--db", db] + flags)
        #expect(run.status == status, "\(flags): \(run.stderr)")
        #expect(run.stdoutText.contains("NOT CHECKED"))
    }
}
