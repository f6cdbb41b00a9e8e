import Foundation
import ShrikeCore
import ShrikeImage

/// A compressed XML advisory file, decompressed in memory before it is parsed: yum's `updateinfo.xml.gz` and the
/// vendors' bzip2-compressed OVAL (`com.oracle.elsa-ol9.xml.bz2`, Red Hat's `rhel-9.oval.xml.bz2`).
enum CompressedXMLFile {
    /// A decompressed document larger than this is refused, for gzip and bzip2 alike: the largest real one, Red Hat's
    /// RHEL 9 OVAL, is about 600 MB; past 1 GiB it is a decompression bomb, not advisory data.
    static let decompressedLimit = 1 << 30

    enum Format: String {
        case gzip, bzip2
    }

    /// The compression a file name announces (`.xml.gz`, `.xml.bz2`), nil for a plain `.xml`.
    static func format(ofName name: String) -> Format? {
        let lower = name.lowercased()
        if lower.hasSuffix(".xml.gz") { return .gzip }
        if lower.hasSuffix(".xml.bz2") { return .bzip2 }
        return nil
    }

    /// Whether `name` is an XML file the importer reads: `.xml`, `.xml.gz` or `.xml.bz2`.
    static func isXMLName(_ name: String) -> Bool {
        name.lowercased().hasSuffix(".xml") || format(ofName: name) != nil
    }

    /// `data` decompressed as `format`. Throws `malformed` for corrupt or truncated data and `limitExceeded` past
    /// `decompressedLimit` (or `limit`), naming `what`.
    static func decompress(_ data: Data, format: Format, what: String, limit: Int = decompressedLimit) throws -> Data {
        let compressed = MemoryByteStream([UInt8](data))
        let stream: any ByteStream
        switch format {
        case .gzip: stream = try GzipInflateStream(compressed, what: what)
        case .bzip2: stream = try Bzip2InflateStream(compressed, what: what)
        }
        // Straight into Data (no intermediate array): a 600 MB document is held once, not twice.
        var out = Data()
        out.reserveCapacity(min(limit, max(data.count, 1) * 8))
        let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 256 * 1024)
        defer { scratch.deallocate() }
        while true {
            let n = try stream.read(into: UnsafeMutableRawBufferPointer(scratch))
            if n == 0 { return out }
            guard out.count + n <= limit else {
                throw ShrikeError(.limitExceeded,
                                  "decompresses to more than \(limit >> 20) MiB, more than any real advisory file (a decompression bomb?); decompress it yourself and import the .xml if it is genuine",
                                  input: what)
            }
            out.append(UnsafeBufferPointer(rebasing: scratch[0..<n]))
        }
    }
}
