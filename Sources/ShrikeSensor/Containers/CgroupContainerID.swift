/// Finds the container id in a cgroup path, for every layout the common runtimes use.
///
/// systemd driver: `…/docker-<id>.scope`, `…/cri-containerd-<id>.scope`, `…/crio-<id>.scope`, `…/libpod-<id>.scope`;
/// cgroupfs driver: `/docker/<id>`, `/kubepods/…/pod<uid>/<id>`, `/libpod_parent/libpod-<id>`; v1 and v2 alike.
/// Conmon's own cgroups (`libpod-conmon-…`, `crio-conmon-…`) are not containers.
public enum CgroupContainerID {
    public struct Match: Equatable, Sendable {
        public var id: String
        public var runtime: String
    }

    /// The container in `path`, or nil for a host cgroup.
    public static func find(in path: String) -> Match? {
        for component in path.split(separator: "/").reversed() {
            var name = Substring(component)
            if name.hasSuffix(".scope") { name = name.dropLast(6) }
            guard name.count >= 64 else { continue }
            let id = name.suffix(64)
            guard id.allSatisfy(\.isHexDigit), id.allSatisfy({ !$0.isUppercase }) else { continue }
            let prefix = name.dropLast(64)
            if prefix.contains("conmon") { return nil }
            let runtime: String
            switch prefix {
            case "docker-": runtime = "docker"
            case "cri-containerd-": runtime = "containerd"
            case "crio-": runtime = "cri-o"
            case "libpod-": runtime = "podman"
            case "":
                if path.contains("/docker/") { runtime = "docker" }
                else if path.contains("kubepods") { runtime = "cri" }
                else { runtime = "" }
            default: runtime = ""
            }
            return Match(id: String(id), runtime: runtime)
        }
        return nil
    }
}
