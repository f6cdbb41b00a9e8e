/// One mount the container's runtime set up from the host into it (bind mounts and volumes), as Falco's
/// `container.mount*` fields describe it.
public struct ContainerMount: Sendable, Equatable, Hashable {
    /// The host path.
    public var source: String
    /// The path inside the container.
    public var destination: String
    /// The runtime's mode text (`ro`, `rw`, `z`, …; empty when none was given).
    public var mode: String
    public var readWrite: Bool
    /// `rprivate`, `shared`, `rslave`, …; empty when the runtime did not say.
    public var propagation: String

    public init(source: String, destination: String, mode: String, readWrite: Bool, propagation: String) {
        self.source = source
        self.destination = destination
        self.mode = mode
        self.readWrite = readWrite
        self.propagation = propagation
    }

    /// `source:dest:mode:rdrw:propagation`, as `container.mounts` and `container.mount[…]` print one.
    public var falcoDescription: String { "\(source):\(destination):\(mode):\(readWrite):\(propagation)" }

    static let propagations: Set<String> = ["private", "rprivate", "shared", "rshared", "slave", "rslave",
                                            "unbindable", "runbindable"]

    /// The bind mounts of an OCI runtime spec (`config.json`'s `mounts`): what podman, CRI-O and containerd bundles
    /// list for volumes and host paths. Kernel file systems (proc, sysfs, tmpfs, mqueue, …) are not from the host.
    public static func bindMounts(ociSpec spec: [String: Any]) -> [ContainerMount] {
        guard let mounts = spec["mounts"] as? [[String: Any]] else { return [] }
        return mounts.compactMap { mount in
            let options = mount["options"] as? [String] ?? []
            let isBind = mount["type"] as? String == "bind" || options.contains("bind") || options.contains("rbind")
            guard isBind, let source = mount["source"] as? String, let destination = mount["destination"] as? String
            else { return nil }
            let readOnly = options.contains("ro")
            return ContainerMount(source: source, destination: destination, mode: readOnly ? "ro" : "rw",
                                  readWrite: !readOnly,
                                  propagation: options.first { propagations.contains($0) } ?? "")
        }
    }

    /// Docker's `config.v2.json` `MountPoints` (keyed by destination).
    public static func dockerMounts(configV2 json: [String: Any]) -> [ContainerMount] {
        guard let points = json["MountPoints"] as? [String: [String: Any]] else { return [] }
        return points.keys.sorted().compactMap { key in
            guard let point = points[key], let source = point["Source"] as? String else { return nil }
            return ContainerMount(source: source, destination: point["Destination"] as? String ?? key,
                                  mode: point["Mode"] as? String ?? "", readWrite: point["RW"] as? Bool ?? true,
                                  propagation: point["Propagation"] as? String ?? "")
        }
    }
}
