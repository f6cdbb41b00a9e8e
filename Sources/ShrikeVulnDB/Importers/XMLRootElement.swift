import Foundation

/// Finds the root element of an XML document without parsing it, so the importer can pick a parser by content
/// (`updates` is yum updateinfo, `oval_definitions` is OVAL) before committing to a full parse.
enum XMLRootElement {
    /// How far into a document the root element is looked for: prologs (declaration, comments, doctype) are short.
    static let searchLimit = 64 * 1024

    /// The root element's local name (`oval_definitions` for `<oval-def:oval_definitions …>`), or nil when the bytes do
    /// not start like XML: only a byte-order mark, whitespace, the XML declaration, processing instructions, comments
    /// and a doctype may come before the root element.
    static func name(of data: Data) -> String? {
        let bytes = [UInt8](data.prefix(searchLimit))
        var index = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }
        func skip(past terminator: [UInt8]) -> Bool {
            while index + terminator.count <= bytes.count {
                if bytes[index..<index + terminator.count].elementsEqual(terminator) {
                    index += terminator.count
                    return true
                }
                index += 1
            }
            return false
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == 0x3C else { return nil }  // "<"
            let rest = bytes[index...]
            if rest.starts(with: Array("<?".utf8)) {
                guard skip(past: Array("?>".utf8)) else { return nil }
            } else if rest.starts(with: Array("<!--".utf8)) {
                guard skip(past: Array("-->".utf8)) else { return nil }
            } else if rest.starts(with: Array("<!".utf8)) {
                // A doctype; an internal subset in brackets may hold '>' characters.
                var depth = 0
                index += 2
                while index < bytes.count {
                    let byte = bytes[index]
                    index += 1
                    if byte == 0x5B { depth += 1 } else if byte == 0x5D { depth -= 1 } else if byte == 0x3E, depth <= 0 { break }
                }
            } else {
                index += 1
                let start = index
                while index < bytes.count, ![0x20, 0x09, 0x0A, 0x0D, 0x3E, 0x2F].contains(bytes[index]) { index += 1 }
                guard index > start, index < bytes.count else { return nil }
                let qualified = String(decoding: bytes[start..<index], as: UTF8.self)
                return qualified.split(separator: ":").last.map(String.init)
            }
        }
    }
}
