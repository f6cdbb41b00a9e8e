import Foundation
import ShrikeSensor
import Testing
@testable import ShrikeRules

/// `user.*` and `group.*` of a process in a container come from the container's /etc/passwd and /etc/group.
@Suite("Users and groups inside containers")
struct ContainerUserTests {
    static let containerID = String(repeating: "cd", count: 32)

    /// A host passwd/group pair and a fake container root with different accounts.
    struct Fixture {
        var directory: String
        var hostPasswd: String { directory + "/host-passwd" }
        var hostGroup: String { directory + "/host-group" }
        var root: String { directory + "/root" }

        init() throws {
            directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("shrike-cusers-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory + "/root/etc", withIntermediateDirectories: true)
            try "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/zsh\n"
                .write(toFile: hostPasswd, atomically: true, encoding: .utf8)
            try "root:x:0:\nalice:x:1000:\n".write(toFile: hostGroup, atomically: true, encoding: .utf8)
            try "root:x:0:0:root:/root:/bin/ash\nshrikeuser:x:1000:1001:Shrike:/home/shrikeuser:/bin/sh\n"
                .write(toFile: root + "/etc/passwd", atomically: true, encoding: .utf8)
            try "root:x:0:root\nshrikegroup:x:1001:\n".write(toFile: root + "/etc/group", atomically: true, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }

        func users(recheck: Double = 5, rootFor: @escaping (Int32, String) -> String?) -> UserDatabase {
            UserDatabase(passwdPath: hostPasswd, groupPath: hostGroup, containerRoot: rootFor, recheckInterval: recheck)
        }
    }

    func render(_ users: UserDatabase, container: ContainerInfo, uid: UInt32 = 1000, gid: UInt32 = 1001) throws -> String {
        let event = TestEvents.open("/x", process: TestEvents.process(uid: uid, gid: gid, loginuid: 1000,
                                                                       container: container))
        let context = EvaluationContext(event: event, users: users)
        context.reset(event: event, processes: TestEvents.table)
        let format = try OutputFormat("%user.name %user.homedir %user.shell %group.name %user.loginname",
                                      at: SourceLocation(file: "t", line: 1))
        return format.render(context).0
    }

    @Test func containerProcessUsesTheContainersFiles() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let root = fixture.root
        let users = fixture.users { _, id in id == Self.containerID ? root : nil }
        let container = ContainerInfo(fullID: Self.containerID, runtime: "podman")
        #expect(try render(users, container: container) == "shrikeuser /home/shrikeuser /bin/sh shrikegroup shrikeuser")
        // The host's files still answer for host processes.
        #expect(try render(users, container: .host, gid: 1000) == "alice /home/alice /bin/zsh alice alice")
    }

    @Test func noLiveProcessAndNoCacheIsNA() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let users = fixture.users { _, _ in nil }
        let container = ContainerInfo(fullID: Self.containerID, runtime: "podman")
        #expect(try render(users, container: container) == "<NA> <NA> <NA> <NA> <NA>")
    }

    /// The process can exit between two looks at /proc/PID/root: a root seen once is used, never asked for again.
    @Test func aProcessThatExitsWhileItsRootIsReadDoesNotCrash() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let root = fixture.root
        let calls = LockedCounter()
        let users = fixture.users { _, _ in calls.next() == 1 ? root : nil }
        let container = ContainerInfo(fullID: Self.containerID, runtime: "podman")
        #expect(try render(users, container: container) == "shrikeuser /home/shrikeuser /bin/sh shrikegroup shrikeuser")
        #expect(calls.value == 1)
    }

    final class LockedCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var value: Int { lock.withLock { count } }
        func next() -> Int { lock.withLock { count += 1; return count } }
    }

    @Test func aSymlinkedPasswdCannotReachTheHostsFile() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try FileManager.default.removeItem(atPath: fixture.root + "/etc/passwd")
        // Absolute and climbing links to the host's passwd resolve inside the container root, where nothing is.
        try FileManager.default.createSymbolicLink(atPath: fixture.root + "/etc/passwd", withDestinationPath: fixture.hostPasswd)
        let root = fixture.root
        let users = fixture.users { _, _ in root }
        let container = ContainerInfo(fullID: Self.containerID, runtime: "podman")
        #expect(try render(users, container: container).hasPrefix("<NA> <NA> <NA> shrikegroup"))
    }

    @Test func cacheIsPerContainerAndSeesChanges() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let otherRoot = fixture.directory + "/other"
        try FileManager.default.createDirectory(atPath: otherRoot + "/etc", withIntermediateDirectories: true)
        try "bob:x:1000:1000::/home/bob:/bin/dash\n".write(toFile: otherRoot + "/etc/passwd", atomically: true, encoding: .utf8)
        let root = fixture.root
        let otherID = String(repeating: "ef", count: 32)
        let users = fixture.users { _, id in id == Self.containerID ? root : otherRoot }
        let first = ContainerInfo(fullID: Self.containerID, runtime: "podman")
        let second = ContainerInfo(fullID: otherID, runtime: "podman")
        #expect(try render(users, container: first).hasPrefix("shrikeuser "))
        #expect(try render(users, container: second).hasPrefix("bob "))
        #expect(try render(users, container: first).hasPrefix("shrikeuser "))
    }

    @Test func aChangedPasswdIsReadAgain() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let root = fixture.root
        let users = fixture.users(recheck: 0) { _, _ in root }
        let container = ContainerInfo(fullID: Self.containerID, runtime: "podman")
        #expect(try render(users, container: container).hasPrefix("shrikeuser "))
        try "renamed:x:1000:1001::/home/renamed:/bin/sh\n"
            .write(toFile: root + "/etc/passwd", atomically: true, encoding: .utf8)
        #expect(try render(users, container: container).hasPrefix("renamed /home/renamed"))
    }

    @Test func parsingKeepsTheFirstEntryPerID() {
        let users = UserDatabase.parseUsers(Array("a:x:5:5::/a:/bin/sh\n#c:x:5:5::/c:/bin/sh\nb:x:5:5::/b:/bin/sh\nbad\n".utf8))
        #expect(users[5]?.name == "a")
        #expect(users.count == 1)
    }
}
