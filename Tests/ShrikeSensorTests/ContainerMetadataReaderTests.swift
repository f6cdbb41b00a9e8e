import Foundation
import Testing
@testable import ShrikeSensor

@Suite("Container metadata from runtime files")
struct ContainerMetadataReaderTests {
    static let id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

    static func temporaryRoot() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-meta-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return root
    }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func podmanContainersJSON() throws {
        let root = try Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // The shape containers/storage writes (podman 4): metadata is a JSON string.
        try Self.write("""
            [{"id":"\(Self.id)","names":["quirky_web"],"image":"feedface","layer":"x",
              "metadata":"{\\"image-name\\":\\"localhost/shrike-alpine:test\\",\\"image-id\\":\\"feedface\\",\\"name\\":\\"quirky_web\\"}",
              "created":"2026-11-29T09:00:00Z"}]
            """, to: root + "/storage/overlay-containers/containers.json")
        let reader = ContainerMetadataReader(containersStorage: root + "/storage", dockerRoot: root + "/docker",
                                             containerdTasks: root + "/containerd")
        let meta = reader.metadata(fullID: Self.id, runtime: "podman")
        #expect(meta.name == "quirky_web")
        #expect(meta.image == "localhost/shrike-alpine:test")
        #expect(meta.runtime == "podman")
    }

    @Test func podmanImageNameFromImagesJSONWhenMetadataLacksIt() throws {
        let root = try Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.write("[{\"id\":\"\(Self.id)\",\"names\":[\"c1\"],\"image\":\"feedface\"}]",
                       to: root + "/storage/overlay-containers/containers.json")
        try Self.write("[{\"id\":\"feedface\",\"names\":[\"docker.io/library/alpine:3.20\"]}]",
                       to: root + "/storage/overlay-images/images.json")
        let reader = ContainerMetadataReader(containersStorage: root + "/storage", dockerRoot: root + "/docker",
                                             containerdTasks: root + "/containerd")
        #expect(reader.metadata(fullID: Self.id, runtime: "podman").image == "docker.io/library/alpine:3.20")
    }

    @Test func dockerConfig() throws {
        let root = try Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.write("{\"Name\":\"/api\",\"Config\":{\"Image\":\"registry.example/api:2\"}}",
                       to: root + "/docker/containers/\(Self.id)/config.v2.json")
        let reader = ContainerMetadataReader(containersStorage: root + "/storage", dockerRoot: root + "/docker",
                                             containerdTasks: root + "/containerd")
        let meta = reader.metadata(fullID: Self.id, runtime: "docker")
        #expect(meta.name == "api")
        #expect(meta.image == "registry.example/api:2")
    }

    @Test func containerdCRIAnnotations() throws {
        let root = try Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.write("""
            {"ociVersion":"1.1.0","annotations":{"io.kubernetes.cri.container-name":"app",
             "io.kubernetes.cri.image-name":"ghcr.io/acme/app:1.4"}}
            """, to: root + "/containerd/k8s.io/\(Self.id)/config.json")
        let reader = ContainerMetadataReader(containersStorage: root + "/storage", dockerRoot: root + "/docker",
                                             containerdTasks: root + "/containerd")
        let meta = reader.metadata(fullID: Self.id, runtime: "containerd")
        #expect(meta.name == "app")
        #expect(meta.image == "ghcr.io/acme/app:1.4")
    }

    @Test func unknownContainerGivesEmptyFieldsNotAGuess() throws {
        let root = try Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let reader = ContainerMetadataReader(containersStorage: root + "/storage", dockerRoot: root + "/docker",
                                             containerdTasks: root + "/containerd")
        let meta = reader.metadata(fullID: Self.id, runtime: "cri-o")
        #expect(meta.name.isEmpty && meta.image.isEmpty)
        #expect(meta.runtime == "cri-o")
    }

    @Test(arguments: [
        ("2026-12-07T05:27:48.123456789Z", UInt64(1_796_621_268_123_456_789)),
        ("2026-12-07T05:27:48Z", UInt64(1_796_621_268_000_000_000)),
        ("2026-12-07T05:27:48.5Z", UInt64(1_796_621_268_500_000_000)),
    ])
    func dockerStartedAt(text: String, nanoseconds: UInt64) throws {
        #expect(ContainerMetadataReader.parseRFC3339(text) == nanoseconds)
        let root = try Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Self.write(#"{"Name":"/api","Config":{"Image":"x"},"State":{"StartedAt":"\#(text)"}}"#,
                       to: root + "/docker/containers/\(Self.id)/config.v2.json")
        let reader = ContainerMetadataReader(containersStorage: root + "/storage", dockerRoot: root + "/docker",
                                             containerdTasks: root + "/containerd")
        #expect(reader.startTime(fullID: Self.id) == nanoseconds)
    }

    @Test(arguments: ["", "0001-01-01T00:00:00Z", "yesterday"])
    func unsetOrBadStartTimesAreNil(text: String) {
        // docker writes the zero time for containers that never started.
        #expect(ContainerMetadataReader.parseRFC3339(text) == nil)
    }

    @Test func ociBundleBindMountsAreTheContainersMounts() throws {
        let root = try Self.temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // The shape podman writes (userdata/config.json): kernel file systems first, then binds.
        try Self.write("""
            {"ociVersion":"1.0.2","mounts":[
             {"destination":"/proc","type":"proc","source":"proc","options":["nosuid","noexec","nodev"]},
             {"destination":"/dev","type":"tmpfs","source":"tmpfs","options":["nosuid","strictatime","mode=755"]},
             {"destination":"/var/run/docker.sock","type":"bind","source":"/run/docker.sock",
              "options":["rbind","rw","rprivate"]},
             {"destination":"/data","type":"bind","source":"/srv/data","options":["bind","ro"]}]}
            """, to: root + "/storage/overlay-containers/\(Self.id)/userdata/config.json")
        let reader = ContainerMetadataReader(containersStorage: root + "/storage", dockerRoot: root + "/docker",
                                             containerdTasks: root + "/containerd")
        let mounts = try #require(reader.mounts(fullID: Self.id))
        #expect(mounts == [
            ContainerMount(source: "/run/docker.sock", destination: "/var/run/docker.sock", mode: "rw",
                           readWrite: true, propagation: "rprivate"),
            ContainerMount(source: "/srv/data", destination: "/data", mode: "ro", readWrite: false, propagation: ""),
        ])
        #expect(ContainerMetadataReader(containersStorage: root + "/none", dockerRoot: root + "/none",
                                        containerdTasks: root + "/none").mounts(fullID: Self.id) == nil)
    }
}
