import Foundation
import Testing
import ShrikeCore
@testable import ShrikeImage
import ShrikeTestSupport

/// The tar reader against GNU tar on real archives.
@Suite struct TarReaderTests {
    struct Listed: Equatable, CustomStringConvertible {
        var name: String
        var type: Character
        var size: Int64
        var link: String
        var description: String { "\(type) \(name) \(size) \(link)" }
    }

    static func readAll(_ path: String) throws -> [Listed] {
        let file = try ReadOnlyFile(path: path)
        let stream = try GzipInflateStream(FileRangeStream(file: file), what: path)
        let reader = TarReader(stream, what: path)
        var out: [Listed] = []
        while let entry = try reader.next() {
            let type: Character
            switch entry.kind {
            case .regular: type = "-"
            case .directory: type = "d"
            case .symlink: type = "l"
            case .hardlink: type = "h"
            case .characterDevice: type = "c"
            case .blockDevice: type = "b"
            case .fifo: type = "p"
            case .other: type = "?"
            }
            let name = entry.name.hasSuffix("/") ? String(entry.name.dropLast()) : entry.name
            out.append(Listed(name: name, type: type, size: entry.size, link: entry.kind == .symlink || entry.kind == .hardlink ? entry.linkName : ""))
        }
        return out
    }

    /// GNU tar's view of the same archive, from `tar --list --verbose` with numeric, full-time output.
    static func gnuTar(_ path: String) throws -> [Listed] {
        let result = try ExternalTool.run(["tar", "--numeric-owner", "--quoting-style=literal", "-tvzf", path])
        #expect(result.status == 0)
        return result.stdout.split(separator: "\n").map { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            let type = fields[0].first ?? "?"
            let size = Int64(fields[2]) ?? -1
            var name = fields[5...].joined(separator: " ")
            var link = ""
            if let arrow = name.range(of: " -> ") {
                link = String(name[arrow.upperBound...])
                name = String(name[..<arrow.lowerBound])
            } else if let arrow = name.range(of: " link to ") {
                link = String(name[arrow.upperBound...])
                name = String(name[..<arrow.lowerBound])
            }
            if name.hasSuffix("/") { name.removeLast() }
            return Listed(name: name, type: type == "h" ? "h" : type, size: type == "-" ? size : 0, link: link)
        }
    }

    @Test("reads real Alpine minirootfs tarballs exactly as GNU tar lists them", arguments: ["3.9.6", "3.20.3"])
    func matchesGNUTar(version: String) throws {
        let path = RepositoryFiles.alpineRootfs(version)
        let ours = try Self.readAll(path)
        let theirs = try Self.gnuTar(path)
        #expect(ours.count == theirs.count)
        #expect(ours.count > 400)
        for (a, b) in zip(ours, theirs) where a != b {
            Issue.record("entry differs: ours \(a), GNU tar \(b)")
            break
        }
        #expect(ours.contains { $0.name == "./lib/apk/db/installed" && $0.type == "-" && $0.size > 1000 })
    }

    @Test("rejects input that is not a tar archive")
    func notTar() throws {
        let bytes = Array(String(repeating: "this is not a tar archive\n", count: 40).utf8)
        let reader = TarReader(MemoryByteStream(bytes), what: "junk")
        #expect(throws: ShrikeError.self) { try reader.next() }
        do { _ = try reader.next() } catch let error as ShrikeError {
            #expect(error.description.contains("not a tar archive"))
        }
    }

    @Test("rejects an empty stream")
    func empty() throws {
        let reader = TarReader(MemoryByteStream([]), what: "empty")
        #expect(throws: ShrikeError.self) { try reader.next() }
    }

    @Test("parses PAX records, refusing malformed ones", arguments: [
        ("30 path=a/very/long/name/here\n", true),
        ("99 path=x\n", false),
        ("abc path=x\n", false),
        ("8 pathx\n", true),
    ])
    func paxRecords(record: String, valid: Bool) {
        let result = try? TarReader.parsePAX(Array(record.utf8), what: "pax")
        #expect((result != nil) == valid)
    }

    @Test("reads octal and base-256 numbers", arguments: [
        (Array("0000644\0".utf8), Int64(0o644)),
        (Array("     12 ".utf8), Int64(0o12)),
        ([0x80, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0], Int64(2 << 16)),
    ])
    func numbers(field: [UInt8], expected: Int64) throws {
        #expect(try TarReader.number(field[...], field: "size", what: "t") == expected)
    }

    @Test("refuses non-octal and negative numeric fields", arguments: [Array("12x4\0".utf8), [0xff, 0xff, 0xff, 0xff]])
    func badNumbers(field: [UInt8]) {
        #expect(throws: ShrikeError.self) { try TarReader.number(field[...], field: "size", what: "t") }
    }
}
