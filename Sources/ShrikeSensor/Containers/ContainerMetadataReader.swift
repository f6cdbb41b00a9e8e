import Foundation

/// Reads a container's name and image from its runtime's own files. Reads only; returns empty fields when the files are
/// absent or do not mention the container (never a guess).
public struct ContainerMetadataReader: Sendable {
    /// containers/storage root used by podman and CRI-O (root podman's default).
    public var containersStorage: String
    public var dockerRoot: String
    public var containerdTasks: String

    public init(containersStorage: String = "/var/lib/containers/storage", dockerRoot: String = "/var/lib/docker",
                containerdTasks: String = "/run/containerd/io.containerd.runtime.v2.task") {
        self.containersStorage = containersStorage
        self.dockerRoot = dockerRoot
        self.containerdTasks = containerdTasks
    }

    public func metadata(fullID: String, runtime: String) -> (name: String, image: String, runtime: String) {
        if let docker = docker(fullID) { return (docker.name, docker.image, "docker") }
        if let podman = containersStorage(fullID) { return (podman.name, podman.image, runtime.isEmpty ? "podman" : runtime) }
        if let cri = containerd(fullID) { return (cri.name, cri.image, "containerd") }
        return ("", "", runtime)
    }

    /// Whether the container runs privileged, from the first of these that exists: docker's `hostconfig.json`
    /// (`Privileged`), else the OCI runtime config of its bundle (podman and CRI-O keep it in containers/storage's
    /// `userdata/config.json`, containerd in its task directory), judged by `OCIPrivilege`. Nil when none is readable.
    public func privileged(fullID id: String) -> Bool? {
        if let host = readJSON("\(dockerRoot)/containers/\(id)/hostconfig.json") as? [String: Any],
           let privileged = host["Privileged"] as? Bool {
            return privileged
        }
        for path in bundlePaths(id) {
            if let spec = readJSON(path) as? [String: Any], let privileged = OCIPrivilege.isPrivileged(spec: spec) {
                return privileged
            }
        }
        return nil
    }

    /// The host paths mounted into the container: docker's `MountPoints`, else the bind mounts of its OCI bundle
    /// (podman/CRI-O in containers/storage, containerd's task directory). Nil when no readable file lists them.
    public func mounts(fullID id: String) -> [ContainerMount]? {
        if let json = readJSON("\(dockerRoot)/containers/\(id)/config.v2.json") as? [String: Any],
           json["MountPoints"] != nil {
            return ContainerMount.dockerMounts(configV2: json)
        }
        for path in bundlePaths(id) {
            if let spec = readJSON(path) as? [String: Any], spec["mounts"] != nil {
                return ContainerMount.bindMounts(ociSpec: spec)
            }
        }
        return nil
    }

    /// The OCI bundle `config.json` files that may describe container `id`.
    private func bundlePaths(_ id: String) -> [String] {
        var bundles = ["\(containersStorage)/overlay-containers/\(id)/userdata/config.json"]
        if let namespaces = try? FileManager.default.contentsOfDirectory(atPath: containerdTasks) {
            bundles += namespaces.sorted().map { "\(containerdTasks)/\($0)/\(id)/config.json" }
        }
        return bundles
    }

    /// When the container started, Unix epoch nanoseconds: docker's `State.StartedAt` in `config.v2.json`. Nil for
    /// the runtimes whose start time is not in a readable file (the resolver then uses the container's processes).
    public func startTime(fullID id: String) -> UInt64? {
        guard let json = readJSON("\(dockerRoot)/containers/\(id)/config.v2.json") as? [String: Any],
              let state = json["State"] as? [String: Any], let started = state["StartedAt"] as? String else { return nil }
        return Self.parseRFC3339(started)
    }

    /// RFC 3339 with up to nanosecond fractions (`2026-12-07T05:27:48.123456789Z`), as docker writes it.
    static func parseRFC3339(_ text: String) -> UInt64? {
        var main = Substring(text)
        var fraction: UInt64 = 0
        if let dot = text.firstIndex(of: ".") {
            let digits = text[text.index(after: dot)...].prefix { $0.isNumber }
            let nine = String((digits + "000000000").prefix(9))
            fraction = UInt64(nine) ?? 0
            main = text[..<dot] + text[text.index(after: dot)...].drop { $0.isNumber }
        }
        let formatter = ISO8601DateFormatter()
        guard let date = formatter.date(from: String(main)), date.timeIntervalSince1970 > 0 else { return nil }
        return UInt64(date.timeIntervalSince1970) * 1_000_000_000 + fraction
    }

    /// Docker: `<root>/containers/<id>/config.v2.json` holds `Name` ("/name") and `Config.Image`.
    func docker(_ id: String) -> (name: String, image: String)? {
        guard let json = readJSON("\(dockerRoot)/containers/\(id)/config.v2.json") as? [String: Any] else { return nil }
        let name = (json["Name"] as? String).map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 } ?? ""
        let image = ((json["Config"] as? [String: Any])?["Image"] as? String) ?? ""
        return (name, image)
    }

    /// podman and CRI-O: containers/storage's `overlay-containers/containers.json` names each container and its image
    /// id; podman's per-container `metadata` JSON string also carries the image name. CRI-O annotations live in
    /// `userdata/config.json`.
    func containersStorage(_ id: String) -> (name: String, image: String)? {
        let list = readJSON("\(containersStorage)/overlay-containers/containers.json") as? [[String: Any]] ?? []
        if let container = list.first(where: { ($0["id"] as? String) == id }) {
            var name = (container["names"] as? [String])?.first ?? ""
            var image = ""
            if let metadata = (container["metadata"] as? String).flatMap({ $0.data(using: .utf8) }),
               let fields = try? JSONSerialization.jsonObject(with: metadata) as? [String: Any] {
                image = fields["image-name"] as? String ?? ""
                if name.isEmpty { name = fields["name"] as? String ?? "" }
            }
            if image.isEmpty, let imageID = container["image"] as? String {
                let images = readJSON("\(containersStorage)/overlay-images/images.json") as? [[String: Any]] ?? []
                image = (images.first { ($0["id"] as? String) == imageID }?["names"] as? [String])?.first ?? ""
            }
            return (name, image)
        }
        let config = "\(containersStorage)/overlay-containers/\(id)/userdata/config.json"
        if let annotations = (readJSON(config) as? [String: Any])?["annotations"] as? [String: String] {
            return (annotations["io.kubernetes.cri-o.ContainerName"] ?? annotations["io.kubernetes.container.name"] ?? "",
                    annotations["io.kubernetes.cri-o.ImageName"] ?? "")
        }
        return nil
    }

    /// containerd (CRI): the OCI bundle's `config.json` annotations in any namespace's task directory.
    func containerd(_ id: String) -> (name: String, image: String)? {
        guard let namespaces = try? FileManager.default.contentsOfDirectory(atPath: containerdTasks) else { return nil }
        for namespace in namespaces {
            let config = "\(containerdTasks)/\(namespace)/\(id)/config.json"
            guard let annotations = (readJSON(config) as? [String: Any])?["annotations"] as? [String: String] else {
                continue
            }
            return (annotations["io.kubernetes.cri.container-name"] ?? "",
                    annotations["io.kubernetes.cri.image-name"] ?? "")
        }
        return nil
    }

    private func readJSON(_ path: String) -> Any? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONSerialization.jsonObject(with: data)
    }
}
