import Foundation
import Testing
@testable import ShrikeSensor

/// `container.privileged` where the runtime's files say it: docker's hostconfig.json, an OCI bundle's config.json.
@Suite("Container privilege from runtime files")
struct ContainerPrivilegeTests {
    static let id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    static let allCaps = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_SYS_ADMIN", "CAP_SYS_MODULE", "CAP_SYS_RAWIO",
                          "CAP_NET_ADMIN", "CAP_BPF"]
    static let defaultCaps = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_KILL", "CAP_NET_BIND_SERVICE"]

    static func spec(bounding: [String], masked: [String], readOnly: [String]) -> [String: Any] {
        ["ociVersion": "1.0.2", "process": ["capabilities": ["bounding": bounding, "effective": bounding]],
         "linux": ["maskedPaths": masked, "readonlyPaths": readOnly]]
    }

    @Test func ociJudgement() {
        #expect(OCIPrivilege.isPrivileged(spec: Self.spec(bounding: Self.allCaps, masked: [], readOnly: [])) == true)
        #expect(OCIPrivilege.isPrivileged(spec: Self.spec(bounding: Self.defaultCaps, masked: ["/proc/kcore"],
                                                          readOnly: ["/proc/sys"])) == false)
        // All capabilities but /proc still masked (`--cap-add=ALL` alone) is not privileged.
        #expect(OCIPrivilege.isPrivileged(spec: Self.spec(bounding: Self.allCaps, masked: ["/proc/kcore"],
                                                          readOnly: [])) == false)
        #expect(OCIPrivilege.isPrivileged(spec: ["annotations": [String: String]()]) == nil)
    }

    static func root() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-priv-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return root
    }

    static func write(_ object: Any, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
    }

    func reader(_ root: String) -> ContainerMetadataReader {
        ContainerMetadataReader(containersStorage: root + "/storage", dockerRoot: root + "/docker",
                                containerdTasks: root + "/containerd")
    }

    @Test(arguments: [true, false])
    func podmanBundle(privileged: Bool) throws {
        let root = try Self.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let spec = privileged ? Self.spec(bounding: Self.allCaps, masked: [], readOnly: [])
            : Self.spec(bounding: Self.defaultCaps, masked: ["/proc/acpi"], readOnly: ["/proc/bus"])
        try Self.write(spec, to: root + "/storage/overlay-containers/\(Self.id)/userdata/config.json")
        #expect(reader(root).privileged(fullID: Self.id) == privileged)
    }

    @Test func dockerHostConfigWins() throws {
        let root = try Self.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.write(["Privileged": true], to: root + "/docker/containers/\(Self.id)/hostconfig.json")
        #expect(reader(root).privileged(fullID: Self.id) == true)
    }

    @Test func containerdTaskBundle() throws {
        let root = try Self.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.write(Self.spec(bounding: Self.defaultCaps, masked: ["/proc/kcore"], readOnly: []),
                       to: root + "/containerd/k8s.io/\(Self.id)/config.json")
        #expect(reader(root).privileged(fullID: Self.id) == false)
    }

    @Test func unknownWithoutFiles() throws {
        let root = try Self.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(reader(root).privileged(fullID: Self.id) == nil)
    }

    @Test func jsonCarriesPrivilege() throws {
        let container = ContainerInfo(fullID: Self.id, name: "web", image: "alpine", runtime: "podman", privileged: true)
        let process = ProcessSnapshot(pid: 5, tid: 5, ppid: 1, uid: 0, gid: 0, loginuid: .max, name: "sh",
                                      exe: "/bin/sh", args: ["sh"], cwd: "/", tty: 0, container: container)
        var encoder = EventJSONEncoder()
        let line = encoder.encode(Event(time: 1_764_410_400_000_000_000, type: "execve", category: .process, ret: 0,
                                        process: process))
        #expect(line.contains(#""privileged":true"#))
        let decoded = try EventJSONDecoder().decode(line: Substring(line), number: 1)
        #expect(decoded.process.container.privileged == true)
    }
}
