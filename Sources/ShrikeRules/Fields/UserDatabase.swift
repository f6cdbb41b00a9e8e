import Foundation
import ShrikeSensor

/// User and group names for `user.*` and `group.*`: from the host's /etc/passwd and /etc/group for host processes,
/// and from the container's own files for processes in a container (a uid means what the container's files say).
///
/// The host's files are read once and re-read (at most every 30 s) when an unknown id shows up. A container's files
/// are read through `/proc/PID/root` of one of its live processes, with symlinks resolved inside the container's root
/// (`ContainerRootFile`), at most `fileSizeLimit` bytes each; they are kept per container (at most `containerLimit`
/// containers) and checked for changes at most every `recheckInterval` seconds (5 by default).
public final class UserDatabase {
    public struct User: Sendable, Equatable {
        public var name: String
        public var home: String
        public var shell: String
    }

    /// The accounts of one file pair (the host's or one container's).
    struct Accounts {
        var users: [UInt32: User] = [:]
        var groups: [UInt32: String] = [:]
        var passwdIdentity: ContainerRootFile.Identity?
        var groupIdentity: ContainerRootFile.Identity?
        var checkedAt: Double = -.infinity
    }

    /// Largest /etc/passwd or /etc/group read from a container (bigger ones are ignored: `<NA>`).
    public static let fileSizeLimit = 4 << 20
    /// Containers whose accounts are kept; the oldest is forgotten past this.
    public static let containerLimit = 256

    private let passwdPath: String
    private let groupPath: String
    private let containerRoot: (Int32, String) -> String?
    private let recheckInterval: Double
    private var host = Accounts()
    private var containers: [String: Accounts] = [:]
    private var containerOrder: [String] = []

    /// - Parameters:
    ///   - containerRoot: the root directory of process `pid` when it runs in the container with the given full id,
    ///     else nil (the default reads `/proc/PID/cgroup` to check, so a reused pid is not trusted, and answers
    ///     `/proc/PID/root`). Tests point it at a directory.
    ///   - recheckInterval: seconds between checks of a container's files for changes.
    public init(passwdPath: String = "/etc/passwd", groupPath: String = "/etc/group",
                containerRoot: @escaping (Int32, String) -> String? = UserDatabase.procRoot(pid:containerID:),
                recheckInterval: Double = 5) {
        self.passwdPath = passwdPath
        self.groupPath = groupPath
        self.containerRoot = containerRoot
        self.recheckInterval = recheckInterval
    }

    /// A user of the host.
    public func user(_ uid: UInt32) -> User? {
        if let user = host.users[uid] { return user }
        reloadHostIfStale()
        return host.users[uid]
    }

    /// A group of the host.
    public func group(_ gid: UInt32) -> String? {
        if let group = host.groups[gid] { return group }
        reloadHostIfStale()
        return host.groups[gid]
    }

    /// The user `uid` as the process's own system knows it: the host's for host processes, its container's otherwise.
    public func user(_ uid: UInt32, of process: ProcessSnapshot) -> User? {
        if process.container.isHost { return user(uid) }
        return containerAccounts(process)?.users[uid]
    }

    /// The group `gid` as the process's own system knows it.
    public func group(_ gid: UInt32, of process: ProcessSnapshot) -> String? {
        if process.container.isHost { return group(gid) }
        return containerAccounts(process)?.groups[gid]
    }

    /// `/proc/PID/root` when `/proc/PID/cgroup` names the container (the pid was not reused by another process).
    public static func procRoot(pid: Int32, containerID: String) -> String? {
        guard pid > 0, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cgroup"),
              String(decoding: data, as: UTF8.self).contains(containerID) else { return nil }
        return "/proc/\(pid)/root"
    }

    private func reloadHostIfStale() {
        let now = Date().timeIntervalSince1970
        guard now - host.checkedAt > 30 else { return }
        host.checkedAt = now
        host.users = Self.parseUsers(FileManager.default.contents(atPath: passwdPath).map(Array.init) ?? [])
        host.groups = Self.parseGroups(FileManager.default.contents(atPath: groupPath).map(Array.init) ?? [])
    }

    private func containerAccounts(_ process: ProcessSnapshot) -> Accounts? {
        let id = process.container.fullID
        let now = Date().timeIntervalSince1970
        if let known = containers[id], now - known.checkedAt < recheckInterval { return known }
        var accounts = containers[id] ?? Accounts()
        accounts.checkedAt = now
        // The event's process may be gone (exit events); its parent is usually in the same container.
        // A loop, not `.lazy.compactMap(…).first`: on a collection that evaluates the closure twice and force-unwraps
        // the second result, which crashes when the process exits in between.
        for pid in [process.pid, process.ppid] {
            guard let root = containerRoot(pid, id) else { continue }
            refresh(&accounts, root: root)
            break
        }
        if containers[id] == nil {
            if containerOrder.count >= Self.containerLimit {
                containers[containerOrder.removeFirst()] = nil
            }
            containerOrder.append(id)
        }
        containers[id] = accounts
        return accounts
    }

    /// Re-reads a container's files whose identity changed; a file that cannot be read keeps what was read before.
    private func refresh(_ accounts: inout Accounts, root: String) {
        if let passwd = ContainerRootFile.contents(of: "/etc/passwd", root: root, limit: Self.fileSizeLimit),
           passwd.identity != accounts.passwdIdentity {
            accounts.users = Self.parseUsers(passwd.bytes)
            accounts.passwdIdentity = passwd.identity
        }
        if let group = ContainerRootFile.contents(of: "/etc/group", root: root, limit: Self.fileSizeLimit),
           group.identity != accounts.groupIdentity {
            accounts.groups = Self.parseGroups(group.bytes)
            accounts.groupIdentity = group.identity
        }
    }

    static func parseUsers(_ bytes: [UInt8]) -> [UInt32: User] {
        var users: [UInt32: User] = [:]
        for fields in lines(bytes) where fields.count >= 7 {
            // The first entry for a uid wins, as getpwuid(3) returns it.
            guard let uid = UInt32(fields[2]), users[uid] == nil else { continue }
            users[uid] = User(name: String(fields[0]), home: String(fields[5]), shell: String(fields[6]))
        }
        return users
    }

    static func parseGroups(_ bytes: [UInt8]) -> [UInt32: String] {
        var groups: [UInt32: String] = [:]
        for fields in lines(bytes) where fields.count >= 3 {
            guard let gid = UInt32(fields[2]), groups[gid] == nil else { continue }
            groups[gid] = String(fields[0])
        }
        return groups
    }

    private static func lines(_ bytes: [UInt8]) -> [[Substring]] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n")
            .filter { !$0.hasPrefix("#") }
            .map { $0.split(separator: ":", omittingEmptySubsequences: false) }
    }
}
