import Foundation

/// User and group names from the host's /etc/passwd and /etc/group, read once and re-read (at most every 30 s)
/// when an unknown id shows up.
///
/// Processes in containers are looked up in the host's files too (their own /etc/passwd is not read).
public final class UserDatabase {
    public struct User: Sendable, Equatable {
        public var name: String
        public var home: String
        public var shell: String
    }

    private let passwdPath: String
    private let groupPath: String
    private var users: [UInt32: User] = [:]
    private var groups: [UInt32: String] = [:]
    private var loadedAt: Double = -.infinity

    public init(passwdPath: String = "/etc/passwd", groupPath: String = "/etc/group") {
        self.passwdPath = passwdPath
        self.groupPath = groupPath
    }

    public func user(_ uid: UInt32) -> User? {
        if let user = users[uid] { return user }
        reloadIfStale()
        return users[uid]
    }

    public func group(_ gid: UInt32) -> String? {
        if let group = groups[gid] { return group }
        reloadIfStale()
        return groups[gid]
    }

    private func reloadIfStale() {
        let now = Date().timeIntervalSince1970
        guard now - loadedAt > 30 else { return }
        loadedAt = now
        users = [:]
        for fields in Self.lines(passwdPath) where fields.count >= 7 {
            guard let uid = UInt32(fields[2]) else { continue }
            users[uid] = User(name: String(fields[0]), home: String(fields[5]), shell: String(fields[6]))
        }
        groups = [:]
        for fields in Self.lines(groupPath) where fields.count >= 3 {
            guard let gid = UInt32(fields[2]) else { continue }
            groups[gid] = String(fields[0])
        }
    }

    private static func lines(_ path: String) -> [[Substring]] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n")
            .filter { !$0.hasPrefix("#") }
            .map { $0.split(separator: ":", omittingEmptySubsequences: false) }
    }
}
