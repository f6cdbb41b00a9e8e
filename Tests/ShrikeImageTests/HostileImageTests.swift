import Foundation
import Testing
import ShrikeCore
@testable import ShrikeImage
import ShrikeTestSupport

/// Hostile images: every case of the corpus read end to end as an OCI layout. Rejections must carry the right code
/// and a one-line message; confinements must leave every path inside the root; nothing is ever written outside the
/// scratch directory, which is gone afterwards.
@Suite struct HostileImageTests {
    static let bombSize: Int64 = 256 << 20

    /// Runs `body` with a fresh scratch parent and checks that nothing is left behind in it.
    static func withScratchParent(_ body: (String) throws -> Void) throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-hostile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        try body(parent)
        let left = try FileManager.default.contentsOfDirectory(atPath: parent)
        #expect(left.isEmpty, "scratch files left behind: \(left)")
    }

    static func open(_ hostile: HostileTarCase, layoutIn dir: String, scratch: String) throws -> any RootFileSystem {
        try ImageFixtureBuilder(hostile.image).writeOCILayout(to: dir)
        let options = ImageReadOptions(maxLayerSize: 64 << 20, selector: { _, _ in true }, scratchParent: scratch)
        return try ImageLoader.open(.ociDirectory(path: dir, tag: nil), options: options).0
    }

    @Test("hostile layers are refused or confined", arguments: HostileTarCorpus.names)
    func hostile(name: String) throws {
        let hostile = try HostileTarCorpus.hostileCase(named: name, bombSize: Self.bombSize)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-hostile-layout-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.withScratchParent { scratch in
            switch hostile.outcome {
            case .reject(let code):
                do {
                    _ = try Self.open(hostile, layoutIn: dir, scratch: scratch)
                    Issue.record("\(name) was read; it must be refused with \(code)")
                } catch let error as ShrikeError {
                    #expect(error.code == code, "\(name): \(error)")
                    #expect(!error.description.contains("\n"), "one-line message")
                    #expect(error.description.contains(dir), "the message names the image: \(error)")
                }
            case .confine:
                let fs = try Self.open(hostile, layoutIn: dir, scratch: scratch)
                for path in fs.tree.entries.keys {
                    #expect(path.hasPrefix("/") && !path.split(separator: "/").contains(".."), "\(name): \(path)")
                    #expect(!path.utf8.contains(0))
                }
                try Self.checkConfined(name, fs)
            }
        }
    }

    static func checkConfined(_ name: String, _ fs: any RootFileSystem) throws {
        let tree = fs.tree
        switch name {
        case "absolute-name":
            #expect(try fs.contents(of: "/etc/passwd") == Array("hostile\n".utf8))
        case "absolute-symlink-out":
            #expect(tree.entry(at: "/etc/x")?.kind == .symlink)
            #expect(try tree.resolve("/etc/x") == "/")
            #expect(try fs.contents(of: "/evil") == Array("pwned\n".utf8), "written through the link, inside the root")
            #expect(try fs.contents(of: "/etc/x/evil") == Array("pwned\n".utf8))
        case "relative-symlink-escape":
            #expect(try tree.resolve("/a") == "/")
            #expect(try fs.contents(of: "/evil") == Array("pwned\n".utf8))
        case "symlink-chain-50":
            #expect(throws: ShrikeError.self) { try tree.resolve("/link0") }
            #expect(try tree.resolve("/link49") == "/target")
            #expect(try tree.resolve("/link20") == "/target")
        case "symlink-cycle":
            for path in ["/a", "/b", "/c"] {
                #expect(throws: ShrikeError.self) { try tree.resolve(path) }
                #expect(throws: ShrikeError.self) { try fs.contents(of: path) }
            }
        case "nul-in-name-ustar":
            #expect(try fs.contents(of: "/innocent.txt") == Array("hello\n".utf8))
            #expect(!tree.entries.keys.contains { $0.contains("evil") })
        case "hardlink-absolute":
            #expect(tree.entry(at: "/copy")?.hardlinkTo == "/etc/shadow")
            #expect(try fs.contents(of: "/copy") == Array("root:*:19000::::::\n".utf8))
        default:
            Issue.record("no confinement check written for \(name)")
        }
    }

    @Test("corrupt blobs are named with both digests", arguments: [
        FixtureCorruption.wrongDiffID(layer: 1), .wrongLayerDigest(layer: 0), .truncatedBlob(layer: 1),
        .missingBlob(layer: 0), .missingConfig, .hugeManifest(bytes: 5 << 20),
    ])
    func corruptions(corruption: FixtureCorruption) throws {
        let fixture = ImageFixture(layers: [LayerFixture([.file("a", "one\n")]), LayerFixture([.file("b", "two\n")])],
                                   corruptions: [corruption])
        let builder = try ImageFixtureBuilder(fixture)
        for layout in [false, true] {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-corrupt-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let target: Target
            if layout {
                try builder.writeOCILayout(to: dir)
                target = .ociDirectory(path: dir, tag: nil)
            } else {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                try builder.writeOCIArchive(to: dir + "/image.tar")
                target = .ociArchive(path: dir + "/image.tar", tag: nil)
            }
            do {
                _ = try ImageLoader.open(target)
                Issue.record("\(corruption) was not detected")
            } catch let error as ShrikeError {
                #expect(!error.description.contains("\n"))
                switch corruption {
                case .wrongDiffID(let layer):
                    #expect(error.code == .digestMismatch)
                    #expect(error.description.contains("expected sha256:") && error.description.contains("hashes to"))
                    #expect(error.description.contains(builder.image.layers[layer].diffID.description), "names the real diff id: \(error)")
                case .wrongLayerDigest, .truncatedBlob:
                    #expect(error.code == .digestMismatch || error.code == .malformed, "\(error)")
                    #expect(error.description.contains("layer"), "\(error)")
                case .missingBlob, .missingConfig:
                    #expect(error.code == .notFound, "\(error)")
                case .hugeManifest:
                    #expect(error.code == .limitExceeded, "\(error)")
                default:
                    break
                }
            }
        }
    }

    @Test("a decompression bomb stops at the limit without holding it in memory")
    func bombMemory() throws {
        let hostile = try HostileTarCorpus.hostileCase(named: "gzip-bomb", bombSize: 2 << 30)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-bomb-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ImageFixtureBuilder(hostile.image).writeOCILayout(to: dir)
        let before = Self.residentBytes()
        #expect(throws: ShrikeError.self) {
            try ImageLoader.open(.ociDirectory(path: dir, tag: nil), options: ImageReadOptions(maxLayerSize: 1 << 30))
        }
        #expect(Self.residentBytes() - before < 200 << 20, "streaming 1 GiB must not grow memory by hundreds of MiB")
    }

    static func residentBytes() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let pages = statm.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return pages * 4096
    }
}
