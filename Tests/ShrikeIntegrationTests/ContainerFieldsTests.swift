import Foundation
import ShrikeTestSupport
import Testing

/// Fields read from a live podman container under `shrike watch`: users and groups from the container's own
/// /etc/passwd and /etc/group (a user the host does not have), `container.privileged` from its OCI bundle, and the
/// session fields.
@Suite("Container fields from a live container", .serialized,
       .enabled(if: geteuid() == 0 && FileManager.default.fileExists(atPath: "/sys/kernel/btf/vmlinux")
                    && ExternalTool.find("podman") != nil,
                "needs root, kernel BTF (eBPF sensor) and podman with runc"),
       .timeLimit(.minutes(5)))
struct ContainerFieldsTests {
    static let podmanCommon = ["--cgroup-manager=cgroupfs", "--events-backend=file"]
    static let image = "localhost/shrike-fields-alpine:test"
    static let rule = """
        - rule: Sleep in a container
          desc: test
          condition: evt.type = execve and container.id != host and proc.name = sleep
          output: >-
            user=%user.name home=%user.homedir shell=%user.shell group=%group.name
            privileged=%container.privileged sid=%proc.sid sname=%proc.sname
          priority: INFO
        """

    /// The Alpine minirootfs with a user and a group (uid/gid 4321) the host does not have.
    static func importImage(podman: String) throws {
        let directory = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let root = directory + "/root"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let extracted = try ExternalTool.run(["tar", "-xzf", RepositoryFiles.alpineRootfs("3.20.3"), "-C", root])
        try #require(extracted.status == 0, "tar failed: \(extracted.stderr)")
        let passwd = try String(contentsOfFile: root + "/etc/passwd", encoding: .utf8)
        try (passwd + "shrikeuser:x:4321:4321:Shrike Test:/home/shrikeuser:/bin/ash\n")
            .write(toFile: root + "/etc/passwd", atomically: false, encoding: .utf8)
        let group = try String(contentsOfFile: root + "/etc/group", encoding: .utf8)
        try (group + "shrikegroup:x:4321:\n").write(toFile: root + "/etc/group", atomically: false, encoding: .utf8)
        let imported = try ExternalTool.run(["/bin/sh", "-c", "tar -C '\(root)' -c . | '\(podman)' "
                                             + podmanCommon.joined(separator: " ") + " import - \(image)"])
        try #require(imported.status == 0, "podman import failed: \(imported.stderr)")
    }

    func output(privileged: Bool) throws -> String? {
        let podman = try #require(ExternalTool.find("podman"))
        try Self.importImage(podman: podman)
        let directory = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.rule.write(toFile: directory + "/rules.yaml", atomically: true, encoding: .utf8)
        let name = "shrike-fields-\(UUID().uuidString.prefix(8).lowercased())"
        let watch = try WatchSession(["--rules", directory + "/rules.yaml", "--container", name])
        let run = try ExternalTool.run([podman] + Self.podmanCommon + [
            "--runtime", "runc", "run", "--rm", "--name", name, "--network=none",
            "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096", "--user", "4321:4321",
        ] + (privileged ? ["--privileged"] : []) + [Self.image, "sh", "-c", "sleep 2; true"])
        let alert = watch.waitForAlert("Sleep in a container")
        let (_, stderr) = watch.stop()
        #expect(alert != nil, "no alert; podman: \(run.status) \(run.stderr); stderr: \(stderr)")
        return alert?["output"] as? String
    }

    @Test func usersComeFromTheContainersFilesAndUnprivilegedIsFalse() throws {
        #expect(getpwuid(4321) == nil, "the host must not know uid 4321 for this test to mean anything")
        let text = try #require(try output(privileged: false))
        #expect(text.contains("user=shrikeuser home=/home/shrikeuser shell=/bin/ash group=shrikegroup"), "\(text)")
        #expect(text.contains("privileged=false"), "\(text)")
        #expect(text.contains("sname=sh"), "\(text)")
        #expect(!text.contains("sid=<NA>"), "\(text)")
    }

    @Test func privilegedContainerIsTrue() throws {
        let text = try #require(try output(privileged: true))
        #expect(text.contains("privileged=true"), "\(text)")
        #expect(text.contains("user=shrikeuser"), "\(text)")
    }
}
