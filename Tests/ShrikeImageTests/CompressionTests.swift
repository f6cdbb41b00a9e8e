import Foundation
import Testing
import ShrikeCore
@testable import ShrikeImage
import ShrikeTestSupport

/// Streaming gzip and zstd decompression against the reference command-line tools.
@Suite struct CompressionTests {
    static func sample() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        for i in 0..<300_000 { bytes.append(i % 7 == 0 ? UInt8.random(in: 0...255, using: &generator) : UInt8(i % 251)) }
        return bytes
    }

    static func decompress(_ bytes: [UInt8]) throws -> [UInt8] {
        let peek = PeekableStream(MemoryByteStream(bytes))
        let compression = Compression.sniff(try peek.peek(4))
        return try compression.decompressing(peek, what: "sample").readAll(limit: 1 << 30, what: "sample")
    }

    @Test("gzip and zstd made by the system tools decompress to the original", arguments: [["gzip", "-c"], ["zstd", "-q", "-c"]])
    func roundTrip(tool: [String]) throws {
        let original = Self.sample()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-comp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in").path
        try Data(original).write(to: URL(fileURLWithPath: input))
        let result = try ExternalTool.run(["/bin/sh", "-c", "\(tool.joined(separator: " ")) '\(input)' > '\(input).z'"])
        #expect(result.status == 0)
        let packed = try [UInt8](Data(contentsOf: URL(fileURLWithPath: input + ".z")))
        #expect(try Self.decompress(packed) == original)
    }

    @Test("concatenated gzip members decompress as one stream")
    func concatenatedGzip() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-gz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = dir.path
        let result = try ExternalTool.run(["/bin/sh", "-c", "printf hello | gzip > '\(p)/a.gz'; printf world | gzip >> '\(p)/a.gz'"])
        #expect(result.status == 0)
        let packed = try [UInt8](Data(contentsOf: URL(fileURLWithPath: p + "/a.gz")))
        #expect(try Self.decompress(packed) == Array("helloworld".utf8))
    }

    @Test("truncated or corrupt compressed data is an error, not a short read", arguments: ["gzip", "zstd"])
    func truncated(tool: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-tr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in").path
        try Data(Self.sample()).write(to: URL(fileURLWithPath: input))
        _ = try ExternalTool.run(["/bin/sh", "-c", "\(tool) -c '\(input)' > '\(input).z'"])
        let packed = try [UInt8](Data(contentsOf: URL(fileURLWithPath: input + ".z")))
        #expect(throws: ShrikeError.self) { try Self.decompress(Array(packed.prefix(packed.count / 2))) }
        var corrupt = packed
        for i in stride(from: 20, to: corrupt.count - 20, by: 97) { corrupt[i] ^= 0x5a }
        #expect(throws: ShrikeError.self) { try Self.decompress(corrupt) }
    }

    @Test("sniffs compression from magic bytes", arguments: [
        ([0x1f, 0x8b, 8, 0] as [UInt8], Compression.gzip),
        ([0x28, 0xb5, 0x2f, 0xfd], Compression.zstd),
        (Array("bin/".utf8), Compression.none),
        ([], Compression.none),
    ])
    func sniff(prefix: [UInt8], expected: Compression) {
        #expect(Compression.sniff(prefix) == expected)
    }

    @Test("the size limit stops a stream that expands too far")
    func limit() throws {
        let stream = LimitedStream(MemoryByteStream([UInt8](repeating: 0, count: 10_000)), limit: 4096, what: "bomb")
        #expect(throws: ShrikeError.self) { try stream.drain() }
    }
}
