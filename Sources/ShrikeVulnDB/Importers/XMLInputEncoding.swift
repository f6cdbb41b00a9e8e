import Foundation
import ShrikeCore

/// The check every XML document Shrike reads passes before `XMLParser` sees it: the bytes must be UTF-8.
///
/// FoundationXML's `XMLParser` force-unwraps the strings libxml2 hands its callbacks (comments, element and attribute
/// names, processing instructions), and libxml2, in the recovering mode Foundation runs it in, passes bytes that are not
/// UTF-8 through; so one stray byte (`<!--\u{FF}-->`) traps the whole process instead of failing the import (found by
/// the `fuzz-xml` target; the input is in Fuzz/Regressions/fuzz-xml/). Every vendor publishes OVAL, updateinfo and
/// repomd XML in UTF-8, so anything else is refused as malformed.
enum XMLInputEncoding {
    /// Throws `malformed` naming `input` when `data` is not well-formed UTF-8.
    static func requireUTF8(_ data: Data, input: String) throws {
        guard let offset = firstInvalidUTF8(data) else { return }
        throw ShrikeError(.malformed, "not UTF-8 text (byte \(offset) does not start a valid UTF-8 sequence); advisory XML is published in UTF-8, so the file is corrupt or is not advisory data",
                          input: input)
    }

    /// The offset of the first byte that does not begin a well-formed UTF-8 sequence (Unicode's table 3-7: no overlong
    /// forms, no surrogates, nothing past U+10FFFF — what Swift's own validation accepts), or nil when all of it is.
    static func firstInvalidUTF8(_ data: Data) -> Int? {
        data.withUnsafeBytes { raw -> Int? in
            let bytes = raw.bindMemory(to: UInt8.self)
            let count = bytes.count
            var index = 0
            while index < count {
                let lead = bytes[index]
                if lead < 0x80 {
                    index += 1
                    continue
                }
                // The allowed range of the second byte depends on the lead; later bytes are always 80...BF.
                let length: Int
                var second: ClosedRange<UInt8> = 0x80...0xBF
                switch lead {
                case 0xC2...0xDF: length = 2
                case 0xE0: length = 3; second = 0xA0...0xBF
                case 0xE1...0xEC, 0xEE...0xEF: length = 3
                case 0xED: length = 3; second = 0x80...0x9F
                case 0xF0: length = 4; second = 0x90...0xBF
                case 0xF1...0xF3: length = 4
                case 0xF4: length = 4; second = 0x80...0x8F
                default: return index
                }
                guard index + length <= count, second.contains(bytes[index + 1]) else { return index }
                for next in (index + 2)..<(index + length) where bytes[next] & 0xC0 != 0x80 {
                    return index
                }
                index += length
            }
            return nil
        }
    }
}
