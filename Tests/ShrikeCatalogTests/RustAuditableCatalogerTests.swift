import CShrikeZlib
import Foundation
import ShrikeCore
import ShrikeImage
import ShrikeTestSupport
import Testing
@testable import ShrikeCatalog

/// A dependency list in the shape cargo-auditable 0.6 writes (defaults omitted: kind runtime, no root).
private let auditJSON = """
    {"packages":[
     {"name":"adler","version":"1.0.2","source":"crates.io"},
     {"name":"cc","version":"1.0.83","source":"crates.io","kind":"build"},
     {"name":"demo","version":"0.1.0","source":"local","dependencies":[0,1,3,4],"root":true},
     {"name":"flate2","version":"1.0.28","source":"crates.io","dependencies":[0]},
     {"name":"forked","version":"0.3.0","source":"git"},
     {"name":"smallvec","version":"1.11.2","source":"crates.io"}
    ]}
    """

/// zlib (RFC 1950) compression, as cargo-auditable applies it.
private func zlibCompress(_ bytes: [UInt8]) throws -> [UInt8] {
    var stream = z_stream()
    guard deflateInit_(&stream, 9, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        throw ShrikeError(.io, "deflateInit failed")
    }
    defer { deflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
    var input = bytes
    let produced = input.withUnsafeMutableBufferPointer { inBuffer in
        output.withUnsafeMutableBufferPointer { outBuffer -> Int in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = uInt(inBuffer.count)
            stream.next_out = outBuffer.baseAddress
            stream.avail_out = uInt(outBuffer.count)
            _ = deflate(&stream, Z_FINISH)
            return outBuffer.count - Int(stream.avail_out)
        }
    }
    return Array(output.prefix(produced))
}

private func auditableELF(section: [UInt8]) -> [UInt8] {
    var elf = SyntheticELF()
    elf.sections = [(".text", [UInt8](repeating: 0x90, count: 64)), (CargoAuditableInfo.sectionName, section)]
    return elf.build() + [UInt8](repeating: 0, count: 20000)
}

@Suite("Rust cargo-auditable binaries")
struct RustAuditableCatalogerTests {
    @Test func decodesTheDependencyList() throws {
        let info = try CargoAuditableInfo(section: try zlibCompress(Array(auditJSON.utf8)), what: "demo")
        #expect(info.packages.count == 6)
        #expect(info.packages[2].root)
        #expect(info.packages[2].dependencies == [0, 1, 3, 4])
        #expect(info.packages[0].kind == "runtime")
        #expect(info.packages[1].kind == "build")
    }

    @Test func reportsRuntimeCratesFromCratesIOOnly() throws {
        let info = try CargoAuditableInfo(section: try zlibCompress(Array(auditJSON.utf8)), what: "demo")
        let packages = RustAuditableCataloger.packages(from: info, location: "/usr/bin/demo")
        #expect(packages.map(\.purl.description) == [
            "pkg:cargo/adler@1.0.2", "pkg:cargo/flate2@1.0.28", "pkg:cargo/smallvec@1.11.2",
        ])
        #expect(packages.allSatisfy { $0.type == .rust && $0.locations == ["/usr/bin/demo"] })
    }

    @Test func catalogFindsTheSectionInAnELF() throws {
        let binary = auditableELF(section: try zlibCompress(Array(auditJSON.utf8)))
        let cataloger = RustAuditableCataloger()
        let fs = try InMemoryFileSystem(files: ["/usr/local/bin/demo": binary, "/usr/bin/plain": auditableELF(section: [])],
                                        keepContent: { cataloger.wants(path: $0, size: $1) })
        let packages = try cataloger.catalog(fs, distro: nil)
        #expect(packages.map(\.name) == ["adler", "flate2", "smallvec"])
    }

    static let hostileSections: [(String, @Sendable () throws -> [UInt8])] = [
        ("zlib bomb", { try zlibCompress([UInt8](repeating: 0x20, count: 80 << 20)) }),
        ("corrupt zlib", { [0x78, 0x9c, 0xff, 0xff, 0xff, 0x00, 0x01] }),
        ("truncated zlib", { Array(try zlibCompress(Array(auditJSON.utf8)).prefix(20)) }),
        ("not JSON", { try zlibCompress(Array("packages: nope".utf8)) }),
        ("wrong JSON shape", { try zlibCompress(Array("{\"packages\":[{\"name\":1}]}".utf8)) }),
    ]

    @Test(arguments: hostileSections.map(\.0))
    func hostileSectionsAreSkipped(name: String) throws {
        let make = try #require(Self.hostileSections.first { $0.0 == name }?.1)
        let section = try make()
        #expect(throws: ShrikeError.self) { try CargoAuditableInfo(section: section, what: name) }
        let fs = try InMemoryFileSystem(files: ["/usr/bin/demo": auditableELF(section: section)])
        #expect(try RustAuditableCataloger().catalog(fs, distro: nil).isEmpty)
    }

    @Test func bombLimitIsOnProducedBytes() throws {
        let bomb = try zlibCompress([UInt8](repeating: 0, count: 2 << 20))
        #expect(bomb.count < 10_000)
        #expect(throws: ShrikeError.self) { try ZlibInflater.inflate(bomb, limit: 1 << 20, what: "bomb") }
        #expect(try ZlibInflater.inflate(bomb, limit: 2 << 20, what: "bomb").count == 2 << 20)
    }

    // MARK: a real Rust binary

    static let scratch = NSTemporaryDirectory() + "shrike-rust-tests-\(getpid())"
    static let rustc = ExternalTool.find("rustc") ?? ["/root/.cargo/bin/rustc"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let objcopy = ExternalTool.find("objcopy")

    /// A real Rust program compiled here with rustc, with a `.dep-v0` section added by `objcopy --add-section`
    /// (cargo-auditable itself is not installed and cannot be fetched offline; it adds the same section).
    static let realBinary: String? = {
        guard let rustc, let objcopy else { return nil }
        let dir = RustAuditableCatalogerTests.scratch
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: RustAuditableCatalogerTests.scratch) }
        do {
            try "fn main() { println!(\"demo\"); }\n".write(toFile: dir + "/main.rs", atomically: true, encoding: .utf8)
            guard try ExternalTool.run([rustc, "-C", "opt-level=0", "-o", dir + "/demo-plain", dir + "/main.rs"]).status == 0 else {
                return nil
            }
            try Data(try zlibCompress(Array(auditJSON.utf8))).write(to: URL(fileURLWithPath: dir + "/dep-v0"))
            guard try ExternalTool.run([objcopy, "--add-section", ".dep-v0=\(dir)/dep-v0",
                                        "--set-section-flags", ".dep-v0=noload,readonly",
                                        dir + "/demo-plain", dir + "/demo"]).status == 0 else { return nil }
            return dir + "/demo"
        } catch {
            return nil
        }
    }()

    @Test(.enabled(if: rustc != nil && objcopy != nil, "needs rustc and objcopy (binutils)"))
    func realRustBinary() throws {
        let binary = try #require(Self.realBinary, "compiling the Rust test program failed")
        let root = (binary as NSString).deletingLastPathComponent + "/root"
        try? FileManager.default.removeItem(atPath: root)
        try FileManager.default.createDirectory(atPath: root + "/usr/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: binary, toPath: root + "/usr/bin/demo")
        try FileManager.default.copyItem(atPath: (binary as NSString).deletingLastPathComponent + "/demo-plain",
                                         toPath: root + "/usr/bin/demo-plain")
        let packages = try RustAuditableCataloger().catalog(try DirectoryFileSystem(root: root), distro: nil)
        #expect(packages.map { "\($0.purl)" } == ["pkg:cargo/adler@1.0.2", "pkg:cargo/flate2@1.0.28", "pkg:cargo/smallvec@1.11.2"])
        #expect(packages.allSatisfy { $0.locations == ["/usr/bin/demo"] })
        // The section objcopy added is what readelf sees too.
        let readelf = try ExternalTool.run(["readelf", "-S", binary])
        #expect(readelf.stdout.contains(".dep-v0"))
    }
}
