import Foundation
import ShrikeCore
import ShrikeRules
import ShrikeSensor

/// The user-space side of `response:` rules while a watch runs: puts deny-connect programs on the cgroups of the
/// containers a rule covers as they appear, and reports every response the kernel carried out on stderr.
///
/// Used on the sensor thread (`observe`, `report`) and once at start (`attachExisting`).
public final class ResponseMonitor: @unchecked Sendable {
    // @unchecked: `seen` is touched on the sensor thread only, after `attachExisting` ran before the sensor started.
    public typealias Attach = @Sendable (_ policy: Int, _ cgroupPath: String) throws -> Void

    private let policies: [(policy: Int, rule: String, response: CompiledResponse)]
    private let attach: Attach
    private let cgroup2Root: String?
    private let log: @Sendable (String) -> Void
    private var seen: Set<String> = ["host"]
    /// True when some rule scopes containers (else `observe` has nothing to do).
    public let watchesContainers: Bool

    public init(ruleSet: CompiledRuleSet, cgroup2Root: String? = ContainerResolver.findCgroup2Root(),
                attach: @escaping Attach, log: @escaping @Sendable (String) -> Void) {
        policies = ruleSet.connectPolicies().compactMap { entry in
            entry.rule.response.map { (policy: entry.policy, rule: entry.rule.name, response: $0) }
        }
        self.attach = attach
        self.cgroup2Root = cgroup2Root
        self.log = log
        watchesContainers = policies.contains { $0.response.scopesContainers }
    }

    /// Attaches the rules' `response_cgroup` directories and the cgroups of containers already running that a rule
    /// covers. Throws when a `response_cgroup` cannot be attached (a rule that names a cgroup must not silently
    /// protect nothing); a running container that cannot be attached is logged.
    public func attachExisting() throws {
        for entry in policies {
            guard let path = entry.response.cgroup else { continue }
            try attach(entry.policy, path)
            log("deny-connect for rule '\(entry.rule)' attached to \(path)")
        }
        guard watchesContainers, let root = cgroup2Root else { return }
        var resolver = ContainerResolver(cgroup2Root: root)
        for path in Self.containerCgroups(under: root) {
            guard let inode = Self.inode(path) else { continue }
            let container = resolver.container(pid: 0, cgroupID: inode, now: 1)
            attachIfCovered(container, path: path)
        }
    }

    /// Called for every event: the first event of a container a deny-connect rule covers attaches the rule's
    /// programs to its cgroup.
    public func observe(_ container: ContainerInfo) {
        guard watchesContainers, !seen.contains(container.fullID) else { return }
        seen.insert(container.fullID)
        guard policies.contains(where: { $0.response.covers(container) }) else { return }
        guard let root = cgroup2Root, let path = Self.cgroup(of: container.fullID, under: root) else {
            log("warning: container \(container.id) (\(container.name)) is covered by a deny-connect rule but its "
                + "cgroup2 directory was not found: it is not cut off")
            return
        }
        attachIfCovered(container, path: path)
    }

    private func attachIfCovered(_ container: ContainerInfo, path: String) {
        seen.insert(container.fullID)
        for entry in policies where entry.response.covers(container) {
            do {
                try attach(entry.policy, path)
                log("deny-connect for rule '\(entry.rule)' attached to container \(container.id) "
                    + "(\(container.name.isEmpty ? "unnamed" : container.name)) at \(path)")
            } catch {
                log("warning: deny-connect for rule '\(entry.rule)' could not be attached to \(path): \(error)")
            }
            // One policy per cgroup: the first rule that covers it decides its allow-list.
            return
        }
    }

    /// Logs a `response` event (the kernel killed, denied, or would have).
    public func report(_ event: Event) {
        let action = event.arguments["response"] ?? "?"
        let rule = event.arguments["rule"] ?? "?"
        let call = event.arguments["syscall"] ?? "?"
        var what = call
        if let path = event.file?.path { what += " " + path }
        if let net = event.net, let endpoint = net.endpoint { what += " " + endpoint }
        let process = event.process
        let place = process.container.isHost ? "" : " in container \(process.container.id)"
        log("response: \(action) pid \(process.pid) (\(process.name))\(place) for rule '\(rule)': \(what)")
    }

    /// Directories below `root` named for a container id (the layouts CgroupContainerID reads), at most 6 deep.
    static func containerCgroups(under root: String) -> [String] {
        var found: [String] = []
        var stack: [(String, Int)] = [(root, 0)]
        while let (directory, depth) = stack.popLast(), found.count < 10_000 {
            guard depth < 6, let children = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
                continue
            }
            for child in children {
                let path = directory + "/" + child
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue
                else { continue }
                if CgroupContainerID.find(in: "/" + child) != nil { found.append(path) } else { stack.append((path, depth + 1)) }
            }
        }
        return found
    }

    /// The cgroup2 directory of the container `fullID`.
    static func cgroup(of fullID: String, under root: String) -> String? {
        containerCgroups(under: root).first { path in
            CgroupContainerID.find(in: "/" + (path.split(separator: "/").last.map(String.init) ?? ""))?.id == fullID
        }
    }

    static func inode(_ path: String) -> UInt64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt64(info.st_ino)
    }
}
