import Foundation

/// The image digests of the containers running on this machine, from the runtimes' own files (the same ones
/// `ContainerMetadataReader` reads): docker's `config.v2.json` (`State.Running`, `Image`), and containers/storage
/// (podman, CRI-O) for containers whose runtime folder under `/run` holds a pid file. Empty when none is readable.
///
/// These are image ids — the digest of the image's config — which is what both runtimes record for a container.
public struct RunningImageReader: Sendable {
    public var dockerRoot: String
    public var containersStorage: String
    public var containersRun: String

    public init(dockerRoot: String = "/var/lib/docker", containersStorage: String = "/var/lib/containers/storage",
                containersRun: String = "/run/containers/storage") {
        self.dockerRoot = dockerRoot
        self.containersStorage = containersStorage
        self.containersRun = containersRun
    }

    /// Sorted, without repeats.
    public func digests() -> [String] {
        Array(Set(docker() + containersStorageImages())).sorted()
    }

    func docker() -> [String] {
        let folder = dockerRoot + "/containers"
        guard let ids = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return ids.compactMap { id in
            guard let json = readJSON("\(folder)/\(id)/config.v2.json") as? [String: Any],
                  (json["State"] as? [String: Any])?["Running"] as? Bool == true,
                  let image = json["Image"] as? String else { return nil }
            return Self.digest(image)
        }
    }

    func containersStorageImages() -> [String] {
        let list = readJSON("\(containersStorage)/overlay-containers/containers.json") as? [[String: Any]] ?? []
        return list.compactMap { container in
            guard let id = container["id"] as? String, let image = container["image"] as? String else { return nil }
            let userdata = "\(containersRun)/overlay-containers/\(id)/userdata"
            let running = ["pidfile", "conmon.pid"].contains {
                FileManager.default.fileExists(atPath: "\(userdata)/\($0)")
            }
            return running ? Self.digest(image) : nil
        }
    }

    /// `sha256:<hex>` for a bare 64-hex id or an already prefixed one; nil for anything else.
    static func digest(_ text: String) -> String? {
        let hex = text.hasPrefix("sha256:") ? String(text.dropFirst(7)) : text
        guard hex.count == 64, hex.allSatisfy({ $0.isHexDigit }) else { return nil }
        return "sha256:" + hex.lowercased()
    }

    private func readJSON(_ path: String) -> Any? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONSerialization.jsonObject(with: data)
    }
}
