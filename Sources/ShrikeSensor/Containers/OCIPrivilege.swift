/// Judges from an OCI runtime config (a bundle's `config.json`) whether its container was started privileged.
///
/// The spec has no "privileged" flag: runtimes and engines (`podman --privileged`, `docker --privileged`, Kubernetes'
/// `privileged: true`) express it as the full capability bounding set and no masked or read-only /proc and /sys
/// paths. A config counts as privileged when its bounding set has the capabilities no default profile grants
/// (`CAP_SYS_ADMIN`, `CAP_SYS_MODULE`, `CAP_SYS_RAWIO`) and nothing is masked or read-only.
public enum OCIPrivilege {
    static let telltaleCapabilities: Set<String> = ["CAP_SYS_ADMIN", "CAP_SYS_MODULE", "CAP_SYS_RAWIO"]

    /// True or false for a config with a `process` section; nil for anything else (not an OCI runtime config).
    public static func isPrivileged(spec: [String: Any]) -> Bool? {
        guard let process = spec["process"] as? [String: Any] else { return nil }
        let bounding = Set((process["capabilities"] as? [String: Any])?["bounding"] as? [String] ?? [])
        let linux = spec["linux"] as? [String: Any] ?? [:]
        let masked = linux["maskedPaths"] as? [Any] ?? []
        let readOnly = linux["readonlyPaths"] as? [Any] ?? []
        return telltaleCapabilities.isSubset(of: bounding) && masked.isEmpty && readOnly.isEmpty
    }
}
