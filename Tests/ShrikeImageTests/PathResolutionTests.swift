import Testing
import ShrikeCore
@testable import ShrikeImage

/// Names from archives become paths inside the image root, and symlinks resolve inside it.
@Suite struct PathResolutionTests {
    @Test("normalises archive names", arguments: [
        ("./etc/os-release", "/etc/os-release"),
        ("etc//apk/./db/", "/etc/apk/db"),
        ("/absolute/name", "/absolute/name"),
        ("a/b/../c", "/a/c"),
        ("./", "/"),
    ])
    func normalize(name: String, expected: String) throws {
        #expect(try PathNormalizer.normalize(name) == expected)
    }

    @Test("detects names that climb out of the root", arguments: [
        ("../etc/passwd", true), ("a/../../b", true), ("a/../b", false), ("/../x", true), ("./a/./b", false),
    ])
    func escapes(name: String, escapes: Bool) {
        #expect(PathNormalizer.escapesRoot(name) == escapes)
    }

    @Test("rejects NUL bytes")
    func nul() {
        #expect(throws: ShrikeError.self) { try PathNormalizer.normalize("etc/pass\0wd") }
    }

    static let tree = FileTree(entries: [
        "/etc": FileEntry(path: "/etc", kind: .directory),
        "/usr": FileEntry(path: "/usr", kind: .directory),
        "/usr/lib": FileEntry(path: "/usr/lib", kind: .directory),
        "/usr/lib/os-release": FileEntry(path: "/usr/lib/os-release", kind: .regular, size: 10),
        "/etc/os-release": FileEntry(path: "/etc/os-release", kind: .symlink, linkTarget: "../usr/lib/os-release"),
        "/etc/abs": FileEntry(path: "/etc/abs", kind: .symlink, linkTarget: "/usr/lib/os-release"),
        "/etc/up": FileEntry(path: "/etc/up", kind: .symlink, linkTarget: "../../../../.."),
        "/etc/root": FileEntry(path: "/etc/root", kind: .symlink, linkTarget: "/"),
        "/lib": FileEntry(path: "/lib", kind: .symlink, linkTarget: "usr/lib"),
        "/loop1": FileEntry(path: "/loop1", kind: .symlink, linkTarget: "loop2"),
        "/loop2": FileEntry(path: "/loop2", kind: .symlink, linkTarget: "/loop1"),
    ])

    @Test("resolves symlinks inside the root", arguments: [
        ("/etc/os-release", "/usr/lib/os-release"),
        ("/etc/abs", "/usr/lib/os-release"),
        ("/lib/os-release", "/usr/lib/os-release"),
        ("/etc/up/etc/shadow", "/etc/shadow"),
        ("/etc/root/etc/root/usr", "/usr"),
        ("/usr/../../../etc", "/etc"),
    ])
    func resolve(path: String, expected: String) throws {
        #expect(try Self.tree.resolve(path) == expected)
    }

    @Test("a link that is not followed at the end stays itself")
    func noFollow() throws {
        #expect(try Self.tree.resolve("/etc/os-release", followFinal: false) == "/etc/os-release")
    }

    @Test("cycles and long chains end with an error")
    func loops() throws {
        #expect(throws: ShrikeError.self) { try Self.tree.resolve("/loop1") }
        var entries: [String: FileEntry] = ["/target": FileEntry(path: "/target", kind: .regular)]
        for i in 0..<60 {
            entries["/l\(i)"] = FileEntry(path: "/l\(i)", kind: .symlink, linkTarget: i == 59 ? "/target" : "/l\(i + 1)")
        }
        let chain = FileTree(entries: entries)
        #expect(throws: ShrikeError.self) { try chain.resolve("/l0") }
        #expect(try chain.resolve("/l30") == "/target")
    }
}
