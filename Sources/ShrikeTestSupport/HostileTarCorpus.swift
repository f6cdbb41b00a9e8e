import ShrikeCore

/// Named hostile layers an image reader must survive: path escapes, link tricks, whiteout abuse, NUL bytes,
/// decompression bombs and broken archives.
///
/// Use `names` as a test-argument table and `hostileCase(named:)` to build one, or `cases()` for all of them.
public enum HostileTarCorpus {
    /// The expanded size of the gzip bomb by default: 4 GiB, from about 4 MiB of gzip.
    public static let defaultBombSize: Int64 = 4 << 30

    /// Every case name, in a stable order.
    public static let names: [String] = [
        "dotdot-escape", "dotdot-inside-name", "absolute-name", "absolute-symlink-out", "relative-symlink-escape",
        "symlink-chain-50", "symlink-cycle", "whiteout-dotdot", "whiteout-traversal", "nul-in-name-pax",
        "nul-in-name-ustar", "hardlink-escape", "hardlink-absolute", "gzip-bomb", "truncated-tar",
        "size-beyond-data", "bad-checksum", "not-a-tar", "not-gzip",
    ]

    /// All cases. The bomb expands to `bombSize` bytes of zeros inside one tar entry.
    public static func cases(bombSize: Int64 = defaultBombSize) throws -> [HostileTarCase] {
        try names.map { try hostileCase(named: $0, bombSize: bombSize) }
    }

    /// One case by name. Throws `notFound` for an unknown name.
    public static func hostileCase(named name: String, bombSize: Int64 = defaultBombSize) throws -> HostileTarCase {
        switch name {
        case "dotdot-escape":
            return HostileTarCase(
                name: name, summary: "a file named ../../../evil (the classic tar-slip)",
                expectation: "refuse the layer with unsafe-path; never create anything outside the root",
                outcome: .reject(.unsafePath), layers: [layer([.file("../../../evil", "pwned\n")])])
        case "dotdot-inside-name":
            return HostileTarCase(
                name: name, summary: "a file named a/../../evil whose .. climbs past the root mid-path",
                expectation: "refuse the layer with unsafe-path (the name escapes when taken literally)",
                outcome: .reject(.unsafePath), layers: [layer([.directory("a"), .file("a/../../evil", "pwned\n")])])
        case "absolute-name":
            return HostileTarCase(
                name: name, summary: "a file named /etc/passwd (legal in tar; GNU tar strips the leading /)",
                expectation: "accept it as /etc/passwd inside the image root with content 'hostile\\n'; never the host's file",
                outcome: .confine, layers: [layer([.directory("etc"), .file("/etc/passwd", "hostile\n")])])
        case "absolute-symlink-out":
            return HostileTarCase(
                name: name, summary: "etc/x -> / then a file etc/x/evil written through the link",
                expectation: "keep etc/x as a symlink whose target resolves to the image root; the file either lands at "
                    + "/evil inside the root (following the link within the root) or is refused; nothing outside the root",
                outcome: .confine,
                layers: [layer([.directory("etc"), .symlink("etc/x", to: "/"), .file("etc/x/evil", "pwned\n")])])
        case "relative-symlink-escape":
            return HostileTarCase(
                name: name, summary: "a -> ../../.. then a file a/evil written through the link",
                expectation: "resolving a clamps at the root (a resolves to /); a/evil lands at /evil inside the root or is "
                    + "refused; nothing outside the root",
                outcome: .confine, layers: [layer([.symlink("a", to: "../../.."), .file("a/evil", "pwned\n")])])
        case "symlink-chain-50":
            var entries: [TarEntry] = [.file("target", "end of chain\n")]
            for index in 0..<50 {
                entries.append(.symlink("link\(index)", to: index == 49 ? "target" : "link\(index + 1)"))
            }
            return HostileTarCase(
                name: name, summary: "link0 -> link1 -> … -> link49 -> target: 50 hops",
                expectation: "reading succeeds; resolving /link0 fails with limit-exceeded (more than "
                    + "FileTree.maxSymlinkHops = 40 hops) instead of looping or recursing without bound; /link49 resolves to /target",
                outcome: .confine, layers: [layer(entries)])
        case "symlink-cycle":
            return HostileTarCase(
                name: name, summary: "a -> b and b -> a, plus c -> a/x through the cycle",
                expectation: "reading succeeds; resolving /a, /b or /c fails (limit-exceeded or unsafe-path) and terminates",
                outcome: .confine, layers: [layer([.symlink("a", to: "b"), .symlink("b", to: "a"), .symlink("c", to: "a/x")])])
        case "whiteout-dotdot":
            return HostileTarCase(
                name: name, summary: "etc/.wh... : a whiteout of etc/.. (the root) over a base layer with /etc/keep and /bin/sh",
                expectation: "refuse the layer with unsafe-path; above all never delete the root or /etc/keep, /bin/sh",
                outcome: .reject(.unsafePath),
                layers: [baseLayer(), layer([.directory("etc"), .file("etc/.wh...", "")])])
        case "whiteout-traversal":
            return HostileTarCase(
                name: name, summary: "a/../../.wh.x : a whiteout whose path climbs above the root, over a base with /x",
                expectation: "refuse the layer with unsafe-path; /x from the base layer must not be deleted by a clamped path",
                outcome: .reject(.unsafePath),
                layers: [baseLayer(), layer([.directory("a"), .file("a/../../.wh.x", "")])])
        case "nul-in-name-pax":
            let entry = TarEntry(name: Array("etc/passwd".utf8) + [0] + Array(".txt".utf8), kind: .regular,
                                 data: Array("pwned\n".utf8), overrides: TarHeaderOverrides(forcePAXName: true))
            return HostileTarCase(
                name: name, summary: "a PAX path record 'etc/passwd\\0.txt' (length-delimited, so the NUL survives)",
                expectation: "refuse the layer with unsafe-path; never store it as /etc/passwd or /etc/passwd.txt",
                outcome: .reject(.unsafePath), layers: [layer([.directory("etc"), entry])])
        case "nul-in-name-ustar":
            let entry = TarEntry(name: Array("innocent.txt".utf8) + [0] + Array("../../../evil".utf8), kind: .regular,
                                 data: Array("hello\n".utf8), overrides: TarHeaderOverrides(rawName: true))
            return HostileTarCase(
                name: name, summary: "the 100-byte ustar name field holds 'innocent.txt\\0../../../evil'",
                expectation: "ustar fields end at the first NUL: the entry is /innocent.txt (content 'hello\\n'); "
                    + "nothing named evil exists and nothing escapes",
                outcome: .confine, layers: [layer([entry])])
        case "hardlink-escape":
            return HostileTarCase(
                name: name, summary: "shadow is a hard link to ../../etc/shadow (outside the root)",
                expectation: "refuse the layer with unsafe-path; never link to or read a file outside the root",
                outcome: .reject(.unsafePath), layers: [layer([.hardlink("shadow", to: "../../etc/shadow")])])
        case "hardlink-absolute":
            return HostileTarCase(
                name: name, summary: "etc/shadow in the layer, then copy is a hard link to /etc/shadow (absolute)",
                expectation: "the target is an archive name: it resolves to the image's own /etc/shadow, so /copy "
                    + "is a hard link to /etc/shadow inside the root (content 'root:*:19000::::::\\n')",
                outcome: .confine,
                layers: [layer([.directory("etc"), .file("etc/shadow", "root:*:19000::::::\n", mode: 0o640),
                                .hardlink("copy", to: "/etc/shadow", mode: 0o640)])])
        case "gzip-bomb":
            var writer = TarWriter()
            writer.append(TarEntry(name: Array("bomb".utf8), kind: .regular,
                                   overrides: TarHeaderOverrides(declaredSize: bombSize, dataPadding: 0)))
            let blob = try FixtureCompression.gzipBomb(prefix: writer.bytes, zeroCount: bombSize + 1024)
            return HostileTarCase(
                name: name, summary: "a \(blob.count)-byte gzip layer holding one file 'bomb' of \(bombSize) zero bytes",
                expectation: "stop with limit-exceeded once the configured expanded-size limit is passed; memory stays "
                    + "bounded (stream, don't buffer); the config's diff id for it is not the tar's (unknowable cheaply)",
                outcome: .reject(.limitExceeded), layers: [LayerFixture(blob: blob, compression: .gzip)])
        case "truncated-tar":
            var writer = TarWriter()
            writer.append(.file("etc/ok", "fine\n"))
            writer.append(.file("big", bytes: [UInt8](repeating: 0x41, count: 4096)))
            writer.truncate(to: 512 * 3 + 1000)
            return HostileTarCase(
                name: name, summary: "a tar cut off in the middle of a 4096-byte file's data, with no end blocks",
                expectation: "fail with malformed naming the layer (the archive is truncated); do not report a partial tree as complete",
                outcome: .reject(.malformed), layers: [LayerFixture(tar: writer.bytes)])
        case "size-beyond-data":
            var writer = TarWriter()
            writer.append(TarEntry.file("liar", "ten bytes!").with { $0.declaredSize = 1 << 20 })
            writer.finish()
            return HostileTarCase(
                name: name, summary: "a header claiming 1 MiB of data followed by 10 bytes and the end blocks",
                expectation: "fail with malformed (the data runs off the end of the archive)",
                outcome: .reject(.malformed), layers: [LayerFixture(tar: writer.bytes)])
        case "bad-checksum":
            var writer = TarWriter()
            writer.append(TarEntry.file("etc/ok", "fine\n").with { $0.checksum = .wrong })
            writer.finish()
            return HostileTarCase(
                name: name, summary: "a header whose checksum is off by one",
                expectation: "fail with malformed: a header with a wrong checksum is not a header",
                outcome: .reject(.malformed), layers: [LayerFixture(tar: writer.bytes)])
        case "not-a-tar":
            let text = Array(String(repeating: "this is not a tar archive\n", count: 80).utf8)
            return HostileTarCase(
                name: name, summary: "a valid gzip stream whose content is 2080 bytes of text, not a tar",
                expectation: "fail with malformed naming the layer",
                outcome: .reject(.malformed), layers: [LayerFixture(tar: text)])
        case "not-gzip":
            let bytes = (0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            return HostileTarCase(
                name: name, summary: "a layer whose media type says gzip but whose bytes are not gzip",
                expectation: "fail with malformed (or unsupported-format) naming the layer; no crash",
                outcome: .reject(.malformed), layers: [LayerFixture(blob: bytes, compression: .gzip)])
        default:
            throw ShrikeError(.notFound, "no hostile tar case with this name; see HostileTarCorpus.names", input: name)
        }
    }

    private static func layer(_ entries: [TarEntry]) -> LayerFixture {
        LayerFixture(entries, compression: .gzip, createdBy: "COPY hostile /")
    }

    /// A small, ordinary base layer: /bin/sh, /etc/keep, /x.
    private static func baseLayer() -> LayerFixture {
        LayerFixture([.directory("bin"), .file("bin/sh", "#!fake shell\n", mode: 0o755), .directory("etc"),
                      .file("etc/keep", "keep me\n"), .file("x", "x from the base\n")],
                     compression: .gzip, createdBy: "ADD rootfs.tar /", dotSlashPrefix: true)
    }
}
