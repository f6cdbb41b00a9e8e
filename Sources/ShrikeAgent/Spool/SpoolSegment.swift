#if canImport(Glibc)
import Glibc
#endif

/// One open segment file of the spool and the records in it that are still unacknowledged.
package struct SpoolSegment {
    /// The seq of the segment's first record (its file name), fixed when the segment is created.
    package var firstSeq: UInt64
    package var path: String
    package var fd: Int32
    /// Bytes in the file.
    package var size: Int
    /// Unacknowledged records, in seq order.
    package var live: [SpoolRecordCodec.Entry]

    package static func fileName(firstSeq: UInt64) -> String {
        let digits = String(firstSeq)
        return "segment-" + String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".log"
    }

    /// The first seq a segment file name stands for, or nil for other files.
    package static func firstSeq(fileName: String) -> UInt64? {
        guard fileName.hasPrefix("segment-"), fileName.hasSuffix(".log") else { return nil }
        return UInt64(fileName.dropFirst(8).dropLast(4))
    }
}
