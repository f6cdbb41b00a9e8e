import Testing
@testable import ShrikeSensor

@Suite("Path resolution")
struct PathResolverTests {
    @Test(arguments: [
        ("/etc/passwd", "/root", "/etc/passwd"),
        ("passwd", "/etc", "/etc/passwd"),
        ("./a/../b", "/tmp", "/tmp/b"),
        ("../../../x", "/a", "/x"),
        ("a//b/", "/", "/a/b"),
        ("/usr/./bin/../lib", "/", "/usr/lib"),
    ])
    func resolves(path: String, base: String, expected: String) {
        #expect(PathResolver.resolve(path, against: base) == expected)
    }
}

@Suite("Path normalisation fast path")
struct PathNormalizationFastPathTests {
    @Test(arguments: [("/usr/bin/x", false), ("/", false), ("/a/", true), ("//a", true), ("/a/.b", true),
                      ("/a/b.c", false), ("/a/./b", true), ("/a/b/..", true)])
    func detects(path: String, needs: Bool) {
        #expect(PathResolver.needsNormalizing(path) == needs)
    }
}
