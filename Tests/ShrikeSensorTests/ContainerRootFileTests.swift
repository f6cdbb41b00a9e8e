import Foundation
import Testing
@testable import ShrikeSensor

/// Files inside a container's root are read without following anything out of that root.
@Suite("Reading files inside a container root")
struct ContainerRootFileTests {
    static func root() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-root-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        return root
    }

    @Test func readsARegularFile() throws {
        let root = try Self.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "inside\n".write(toFile: root + "/etc/passwd", atomically: true, encoding: .utf8)
        let read = try #require(ContainerRootFile.contents(of: "/etc/passwd", root: root, limit: 100))
        #expect(read.bytes == Array("inside\n".utf8))
    }

    @Test(arguments: ["/etc/hostname", "../../../../../../etc/hostname", "/proc/self/root/etc/hostname"])
    func symlinksStayInsideTheRoot(target: String) throws {
        let root = try Self.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Pointing at the host's file: resolved inside the root, where it does not exist.
        try FileManager.default.createSymbolicLink(atPath: root + "/etc/passwd", withDestinationPath: target)
        #expect(ContainerRootFile.contents(of: "/etc/passwd", root: root, limit: 1 << 20) == nil)
        // With the file present inside the root, an absolute link reads the root's copy.
        try "mine\n".write(toFile: root + "/etc/hostname", atomically: true, encoding: .utf8)
        if !target.hasPrefix("/proc") {
            #expect(ContainerRootFile.contents(of: "/etc/passwd", root: root, limit: 1 << 20)?.bytes == Array("mine\n".utf8))
        }
    }

    @Test func refusesLargeFilesFifosAndDirectories() throws {
        let root = try Self.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try String(repeating: "x", count: 200).write(toFile: root + "/etc/passwd", atomically: true, encoding: .utf8)
        #expect(ContainerRootFile.contents(of: "/etc/passwd", root: root, limit: 100) == nil)
        #expect(mkfifo(root + "/etc/group", 0o600) == 0)
        #expect(ContainerRootFile.contents(of: "/etc/group", root: root, limit: 100) == nil)
        #expect(ContainerRootFile.contents(of: "/etc", root: root, limit: 100) == nil)
    }

    @Test func identityChangesWhenTheFileIsReplaced() throws {
        let root = try Self.root()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "a:x:1:1::/:/bin/sh\n".write(toFile: root + "/etc/passwd", atomically: true, encoding: .utf8)
        let first = try #require(ContainerRootFile.contents(of: "/etc/passwd", root: root, limit: 1000))
        try "a:x:1:1::/:/bin/sh\nb:x:2:2::/:/bin/sh\n".write(toFile: root + "/etc/passwd", atomically: true, encoding: .utf8)
        let second = try #require(ContainerRootFile.contents(of: "/etc/passwd", root: root, limit: 1000))
        #expect(first.identity != second.identity)
    }
}
