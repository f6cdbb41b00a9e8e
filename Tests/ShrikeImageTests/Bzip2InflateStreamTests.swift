import Foundation
import Testing
import ShrikeCore
@testable import ShrikeImage
import ShrikeTestSupport

/// Streaming bzip2 decompression, with the real `bzip2` tool as the reference: what it compresses decompresses to
/// the original, and for concatenated, truncated, corrupt or trailing-garbage input Shrike does what `bzip2 -dc`
/// does (the same bytes, or an error where it fails).
@Suite(.enabled(if: ExternalTool.find("bzip2") != nil, "the bzip2 tool is needed as the reference (apt-get install bzip2)"))
struct Bzip2InflateStreamTests {
    /// A scratch directory, removed by the caller.
    static func scratch() throws -> String {
        let path = NSTemporaryDirectory() + "shrike-bz2-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// `bytes` compressed by the bzip2 tool with `flags` (through files: big data would fill a pipe both ways).
    static func bzip2(_ bytes: [UInt8], flags: String = "-9") throws -> [UInt8] {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/in"))
        let result = try ExternalTool.run(["/bin/sh", "-c", "bzip2 \(flags) -c \"$0/in\" > \"$0/in.bz2\"", dir])
        #expect(result.status == 0, "\(result.stderr)")
        return try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/in.bz2")))
    }

    /// What `bzip2 -dc` makes of `bytes`: its output, or nil when it fails (exit status other than 0).
    static func referenceDecompress(_ bytes: [UInt8]) throws -> [UInt8]? {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/in.bz2"))
        let result = try ExternalTool.run(["/bin/sh", "-c", "bzip2 -dc \"$0/in.bz2\" > \"$0/out\"", dir])
        guard result.status == 0 else { return nil }
        return try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/out")))
    }

    /// Shrike's decompression of `bytes`, read `chunk` bytes at a time.
    static func decompress(_ bytes: [UInt8], chunk: Int = 64 * 1024) throws -> [UInt8] {
        let stream = try Bzip2InflateStream(MemoryByteStream(bytes), what: "sample.bz2")
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var out: [UInt8] = []
        while true {
            let n = try stream.read(into: buffer)
            if n == 0 { return out }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }

    enum Content: String, CaseIterable, Sendable {
        case empty, text, mixed, runs, multiBlock

        /// Data of each shape bzip2 handles differently: nothing, text, mostly-patterned bytes, long runs (its RLE
        /// stages) and more than one 900 kB block.
        var bytes: [UInt8] {
            switch self {
            case .empty:
                return []
            case .text:
                return Array(String(repeating: "<definition id=\"oval:com.oracle.elsa:def:20240001\"/>\n", count: 2000).utf8)
            case .mixed:
                var generator = SystemRandomNumberGenerator()
                return (0..<300_000).map { $0 % 7 == 0 ? UInt8.random(in: 0...255, using: &generator) : UInt8($0 % 251) }
            case .runs:
                return (0..<200_000).map { UInt8(($0 / 5000) % 3) }
            case .multiBlock:
                var generator = SystemRandomNumberGenerator()
                return (0..<2_500_000).map { $0 % 3 == 0 ? UInt8.random(in: 0...255, using: &generator) : UInt8(($0 / 17) % 256) }
            }
        }
    }

    @Test("what the bzip2 tool compresses (block sizes 1 and 9) decompresses to the original, read in any chunk size",
          arguments: Content.allCases, ["-1", "-9"])
    func roundTrip(content: Content, flags: String) throws {
        let original = content.bytes
        let packed = try Self.bzip2(original, flags: flags)
        // One byte at a time exercises every resumption point; too slow for the multi-block sample.
        for chunk in content == .multiBlock ? [64 * 1024, 7919] : [64 * 1024, 7, 1] {
            #expect(try Self.decompress(packed, chunk: chunk) == original, "read \(chunk) bytes at a time")
        }
    }

    /// Inputs built from real bzip2 output, each compared with what `bzip2 -dc` does with it.
    enum Shape: String, CaseIterable, Sendable {
        case concatenated, concatenatedWithEmpty, trailingGarbage, trailingZeros, trailingB, trailingHeaderOnly,
             truncatedHalf, truncatedLastByte, truncatedSecondStream, corruptBlock, emptyInput, notBzip2, headerOnly

        func bytes(_ a: [UInt8], _ b: [UInt8], _ empty: [UInt8]) -> [UInt8] {
            switch self {
            case .concatenated: return a + b
            case .concatenatedWithEmpty: return a + empty + b
            case .trailingGarbage: return a + Array("garbage after the stream".utf8)
            case .trailingZeros: return a + [UInt8](repeating: 0, count: 512)
            case .trailingB: return a + Array("B".utf8)
            case .trailingHeaderOnly: return a + Array("BZh9".utf8)
            case .truncatedHalf: return Array(a.prefix(a.count / 2))
            case .truncatedLastByte: return Array(a.dropLast())
            case .truncatedSecondStream: return a + Array(b.prefix(b.count / 2))
            case .corruptBlock:
                var corrupt = a
                for index in stride(from: 10, to: corrupt.count - 10, by: 61) { corrupt[index] ^= 0x5A }
                return corrupt
            case .emptyInput: return []
            case .notBzip2: return Array("<?xml version=\"1.0\"?><oval_definitions/>".utf8)
            case .headerOnly: return Array("BZh9".utf8)
            }
        }
    }

    @Test("concatenated, truncated, corrupt and trailing-garbage input: the same bytes as bzip2 -dc, or malformed where it fails",
          arguments: Shape.allCases)
    func likeTheTool(shape: Shape) throws {
        let a = try Self.bzip2(Array(String(repeating: "first stream ", count: 5000).utf8))
        let b = try Self.bzip2(Content.mixed.bytes)
        let empty = try Self.bzip2([])
        let input = shape.bytes(a, b, empty)
        let reference = try Self.referenceDecompress(input)
        if let reference {
            #expect(try Self.decompress(input) == reference)
            #expect(try Self.decompress(input, chunk: 13) == reference)
        } else {
            #expect { try Self.decompress(input) } throws: { error in
                (error as? ShrikeError)?.code == .malformed && (error as? ShrikeError)?.input == "sample.bz2"
            }
        }
    }

    @Test("the reference agrees with the cases' intent: concatenation and trailing garbage succeed, truncation and corruption fail")
    func referenceVerdicts() throws {
        let a = try Self.bzip2(Array("hello".utf8))
        let b = try Self.bzip2(Array("world".utf8))
        let empty = try Self.bzip2([])
        let succeeding: Set<Shape> = [.concatenated, .concatenatedWithEmpty, .trailingGarbage, .trailingZeros]
        for shape in Shape.allCases {
            let verdict = try Self.referenceDecompress(shape.bytes(a, b, empty)) != nil
            #expect(verdict == succeeding.contains(shape), "bzip2 -dc on \(shape)")
        }
        #expect(try Self.decompress(Shape.concatenated.bytes(a, b, empty)) == Array("helloworld".utf8))
    }

    @Test("a stream that keeps producing output is bounded by the caller's limit, not held in memory")
    func boundedByCaller() throws {
        // 50 MB of zeros packs into a few hundred bytes: the classic bzip2 bomb shape.
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try ExternalTool.run(["/bin/sh", "-c", "head -c 50000000 /dev/zero | bzip2 -9 > \"$0/bomb.bz2\"", dir])
        #expect(result.status == 0)
        let packed = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/bomb.bz2")))
        #expect(packed.count < 1000)
        let stream = LimitedStream(try Bzip2InflateStream(MemoryByteStream(packed), what: "bomb.bz2"), limit: 1 << 20, what: "bomb.bz2")
        #expect { try stream.drain() } throws: { ($0 as? ShrikeError)?.code == .limitExceeded }
    }
}
