import Foundation
import ShrikeCore
import ShrikeImage

/// Builds small rpm headers and rpm databases (ndb, Berkeley DB hash) byte by byte for tests.
enum RpmFixtureBuilder {
    enum Value {
        case string(String)
        case strings([String])
        case int32([UInt32])
        case bin([UInt8])
    }

    /// An rpm header blob (no lead, no magic) holding `tags` in order.
    static func header(_ tags: [(Int, Value)]) -> [UInt8] {
        var index: [UInt8] = []
        var data: [UInt8] = []
        for (tag, value) in tags {
            let type: UInt32
            let count: Int
            var bytes: [UInt8] = []
            switch value {
            case .string(let s):
                type = 6; count = 1; bytes = Array(s.utf8) + [0]
            case .strings(let list):
                type = 8; count = list.count; bytes = list.flatMap { Array($0.utf8) + [0] }
            case .int32(let values):
                type = 4; count = values.count
                while data.count % 4 != 0 { data.append(0) }
                bytes = values.flatMap(bigEndian)
            case .bin(let b):
                type = 7; count = b.count; bytes = b
            }
            index += bigEndian(UInt32(tag)) + bigEndian(type) + bigEndian(UInt32(data.count)) + bigEndian(UInt32(count))
            data += bytes
        }
        return bigEndian(UInt32(tags.count)) + bigEndian(UInt32(data.count)) + index + data
    }

    /// A minimal package header.
    static func package(name: String, version: String = "1.0", release: String = "1", epoch: UInt32? = nil,
                        arch: String = "noarch", files: [String] = []) -> [UInt8] {
        var tags: [(Int, Value)] = [(1000, .string(name)), (1001, .string(version)), (1002, .string(release))]
        if let epoch { tags.append((1003, .int32([epoch]))) }
        tags.append((1022, .string(arch)))
        if !files.isEmpty { tags.append((1027, .strings(files))) }
        return header(tags)
    }

    /// An ndb `Packages.db` with one slot page holding `blobs`.
    static func ndb(_ blobs: [[UInt8]]) -> [UInt8] {
        var file = Array("RpmP".utf8) + littleEndian(0) + littleEndian(1) + littleEndian(1) + littleEndian(UInt32(blobs.count + 1))
        file += [UInt8](repeating: 0, count: 32 - file.count)
        var blobArea: [UInt8] = []
        var slots: [UInt8] = []
        for (i, blob) in blobs.enumerated() {
            let blockOffset = (4096 + blobArea.count) / 16
            var block = Array("BlbS".utf8) + littleEndian(UInt32(i + 1)) + littleEndian(1) + littleEndian(UInt32(blob.count)) + blob
            block += littleEndian(0) + littleEndian(UInt32(blob.count)) + Array("BlbE".utf8)
            while block.count % 16 != 0 { block.insert(0, at: block.count - 12) }
            slots += Array("Slot".utf8) + littleEndian(UInt32(i + 1)) + littleEndian(UInt32(blockOffset)) + littleEndian(UInt32(block.count / 16))
            blobArea += block
        }
        while 32 + slots.count < 4096 { slots += Array("Slot".utf8) + [UInt8](repeating: 0, count: 12) }
        return file + slots + blobArea
    }

    /// A little-endian Berkeley DB hash database: metadata page, one hash page, then overflow pages.
    /// Values longer than `inlineLimit` go to overflow chains of `pageSize - 26`-byte pieces.
    static func berkeleyDB(_ records: [(key: UInt32, value: [UInt8])], pageSize: Int = 512,
                           inlineLimit: Int = 32) -> [UInt8] {
        var overflowPages: [[UInt8]] = []
        var items: [[UInt8]] = []
        for record in records {
            items.append([1] + littleEndian(record.key))
            if record.value.count <= inlineLimit {
                items.append([1] + record.value)
                continue
            }
            let firstPage = 2 + overflowPages.count
            var chunks: [ArraySlice<UInt8>] = []
            var rest = record.value[...]
            while !rest.isEmpty {
                chunks.append(rest.prefix(pageSize - 26))
                rest = rest.dropFirst(pageSize - 26)
            }
            for (i, chunk) in chunks.enumerated() {
                let pageNo = firstPage + i
                let next = i == chunks.count - 1 ? 0 : pageNo + 1
                var page = [UInt8](repeating: 0, count: 8) + littleEndian(UInt32(pageNo)) + littleEndian(0)
                page += littleEndian(UInt32(next)) + littleEndian16(0) + littleEndian16(UInt16(chunk.count)) + [0, 7]
                page += chunk
                page += [UInt8](repeating: 0, count: pageSize - page.count)
                overflowPages.append(page)
            }
            items.append([3, 0, 0, 0] + littleEndian(UInt32(firstPage)) + littleEndian(UInt32(record.value.count)))
        }
        var hashPage = [UInt8](repeating: 0, count: pageSize)
        write16(UInt16(items.count), into: &hashPage, at: 20)
        hashPage[25] = 13
        var end = pageSize
        for (i, item) in items.enumerated() {
            let start = end - item.count
            hashPage.replaceSubrange(start..<end, with: item)
            write16(UInt16(start), into: &hashPage, at: 26 + 2 * i)
            end = start
        }
        var meta = [UInt8](repeating: 0, count: pageSize)
        meta.replaceSubrange(12..<16, with: littleEndian(0x061561))
        meta.replaceSubrange(16..<20, with: littleEndian(9))
        meta.replaceSubrange(20..<24, with: littleEndian(UInt32(pageSize)))
        meta[25] = 8
        meta.replaceSubrange(32..<36, with: littleEndian(UInt32(1 + overflowPages.count)))
        return meta + hashPage + overflowPages.flatMap { $0 }
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
    static func littleEndian(_ v: UInt32) -> [UInt8] { bigEndian(v).reversed() }
    static func littleEndian16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8)] }
    static func write16(_ v: UInt16, into bytes: inout [UInt8], at offset: Int) {
        bytes.replaceSubrange(offset..<(offset + 2), with: littleEndian16(v))
    }
    static func write32LE(_ v: UInt32, into bytes: inout [UInt8], at offset: Int) {
        bytes.replaceSubrange(offset..<(offset + 4), with: littleEndian(v))
    }
}

/// A root file system held in memory, for cataloger tests.
struct InMemoryRootFileSystem: RootFileSystem {
    var files: [String: [UInt8]]
    var symlinks: [String: String] = [:]

    var tree: FileTree {
        var entries: [String: FileEntry] = [:]
        for (path, bytes) in files {
            entries[path] = FileEntry(path: path, kind: .regular, size: Int64(bytes.count))
            var parent = (path as NSString).deletingLastPathComponent
            while parent != "/" && entries[parent] == nil {
                entries[parent] = FileEntry(path: parent, kind: .directory)
                parent = (parent as NSString).deletingLastPathComponent
            }
        }
        for (path, target) in symlinks {
            entries[path] = FileEntry(path: path, kind: .symlink, linkTarget: target)
        }
        return FileTree(entries: entries)
    }

    var layers: [LayerInfo] { [] }

    func contents(of path: String) throws -> [UInt8]? {
        files[try tree.resolve(path)]
    }

    func localFile(for path: String) throws -> String? { nil }

    func versions(of path: String) -> [FileVersion] { [FileVersion(layer: 0, deleted: false)] }

    func contents(of path: String, asOfLayer layer: Int) throws -> [UInt8]? { try contents(of: path) }
}
