import Foundation

/// Maps the kernel's cgroup ids to containers, with metadata, caching every answer.
///
/// The kernel gives each event the cgroup v2 id of its task. That id is the inode of the cgroup's directory in the
/// cgroup2 hierarchy, so the directory (and from its path, the container id) is found by walking that hierarchy
/// once and again only when an unknown id shows up. Where no cgroup2 hierarchy has the answer (pure v1 systems),
/// `/proc/PID/cgroup` of the live process is read instead.
public struct ContainerResolver: Sendable {
    public var metadata: ContainerMetadataReader
    public var procfs: ProcfsReader
    /// Where cgroup2 is mounted (nil when it is not).
    public var cgroup2Root: String?
    /// Turns /proc start times into wall-clock time (`ContainerInfo.startTime`).
    public var clock = BootClock()

    private var byCgroupID: [UInt64: ContainerInfo] = [:]
    private var pathByInode: [UInt64: String] = [:]
    private var lastIndexBuild: UInt64 = 0
    private var rootCgroupID: UInt64 = 1

    public init(metadata: ContainerMetadataReader = ContainerMetadataReader(), procfs: ProcfsReader = ProcfsReader(),
                cgroup2Root: String? = ContainerResolver.findCgroup2Root()) {
        self.metadata = metadata
        self.procfs = procfs
        self.cgroup2Root = cgroup2Root
        if let cgroup2Root, let inode = Self.inode(cgroup2Root) { rootCgroupID = inode }
        byCgroupID[rootCgroupID] = .host
    }

    /// The container of a process, given its event's cgroup id.
    public mutating func container(pid: Int32, cgroupID: UInt64, now: UInt64) -> ContainerInfo {
        if let known = byCgroupID[cgroupID] { return known }
        var path = pathByInode[cgroupID]
        // Rebuild the index at most once a second: unknown ids from short-lived cgroups must not cost a walk each.
        if path == nil, now &- lastIndexBuild > 1_000_000_000 || lastIndexBuild == 0 {
            rebuildIndex()
            lastIndexBuild = now
            path = pathByInode[cgroupID]
        }
        var match = path.flatMap(CgroupContainerID.find(in:))
        if path == nil {
            for line in procfs.cgroupLines(pid: pid) {
                if let found = CgroupContainerID.find(in: line) { match = found; break }
            }
        }
        let info: ContainerInfo
        if let match {
            let meta = metadata.metadata(fullID: match.id, runtime: match.runtime)
            info = ContainerInfo(fullID: match.id, name: meta.name, image: meta.image, runtime: meta.runtime,
                                 privileged: metadata.privileged(fullID: match.id),
                                 startTime: metadata.startTime(fullID: match.id) ?? path.flatMap(startTime(cgroup:)),
                                 mounts: metadata.mounts(fullID: match.id))
        } else {
            info = .host
        }
        // Cache only answers tied to the id itself; a /proc guess for an unindexed id is rechecked next time.
        if path != nil || match != nil { byCgroupID[cgroupID] = info }
        return info
    }

    /// When the container's oldest live process started (its runtime's init, while it lives): the runtimes that keep
    /// no readable start time (podman's is in its database) still have their processes in the container's cgroup.
    func startTime(cgroup path: String) -> UInt64? {
        guard let root = cgroup2Root,
              let data = FileManager.default.contents(atPath: root + path + "/cgroup.procs") else { return nil }
        let ticks = String(decoding: data, as: UTF8.self).split(separator: "\n").prefix(4096)
            .compactMap { Int32($0) }.compactMap { procfs.startTicks(pid: $0) }
        return ticks.min().map { clock.wallNanoseconds(boot: clock.bootNanoseconds(fromTicks: $0)) }
    }

    private mutating func rebuildIndex() {
        guard let root = cgroup2Root else { return }
        var index: [UInt64: String] = [:]
        var stack = [root]
        var visited = 0
        while let dir = stack.popLast(), visited < 100_000 {
            visited += 1
            if let inode = Self.inode(dir) {
                index[inode] = String(dir.dropFirst(root.count))
            }
            guard let children = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for child in children {
                let full = dir + "/" + child
                var info = stat()
                if lstat(full, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { stack.append(full) }
            }
        }
        pathByInode = index
    }

    static func inode(_ path: String) -> UInt64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt64(info.st_ino)
    }

    /// The cgroup2 mount point from /proc/self/mountinfo (`/sys/fs/cgroup` on unified systems,
    /// `/sys/fs/cgroup/unified` on hybrid ones).
    public static func findCgroup2Root(mountinfo: String = "/proc/self/mountinfo") -> String? {
        guard let text = try? String(contentsOfFile: mountinfo, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let halves = line.components(separatedBy: " - ")
            guard halves.count == 2, halves[1].hasPrefix("cgroup2 ") else { continue }
            let fields = halves[0].split(separator: " ")
            if fields.count > 4 { return String(fields[4]) }
        }
        return nil
    }
}
