/// Writes JSON the way Go's `encoding/json` does — compact, map keys sorted, `<`, `>`, `&`, U+2028 and U+2029
/// escaped — so documents Shrike signs or stores are byte-for-byte what cosign would write for the same content.
struct CanonicalJSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Members or elements written so far in each open object or array.
    private var counts: [Int] = []
    /// True between an object key and its value.
    private var afterKey = false

    mutating func beginObject() { value(); bytes.append(UInt8(ascii: "{")); counts.append(0) }
    mutating func endObject() { bytes.append(UInt8(ascii: "}")); counts.removeLast() }
    mutating func beginArray() { value(); bytes.append(UInt8(ascii: "[")); counts.append(0) }
    mutating func endArray() { bytes.append(UInt8(ascii: "]")); counts.removeLast() }

    mutating func key(_ name: String) {
        separate()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    mutating func string(_ text: String) { value(); appendQuoted(text) }
    mutating func number(_ value: Int64) { self.value(); bytes.append(contentsOf: Array(String(value).utf8)) }
    mutating func null() { value(); bytes.append(contentsOf: Array("null".utf8)) }
    /// Inserts already-encoded JSON (a predicate the user supplied).
    mutating func raw(_ json: [UInt8]) { value(); bytes.append(contentsOf: json) }

    mutating func stringMap(_ map: [String: String]) {
        beginObject()
        for name in map.keys.sorted() {
            key(name)
            string(map[name] ?? "")
        }
        endObject()
    }

    /// Called before every value: array elements are separated here, object values follow their key directly.
    private mutating func value() {
        if afterKey {
            afterKey = false
            return
        }
        separate()
    }

    private mutating func separate() {
        guard !counts.isEmpty else { return }
        if counts[counts.count - 1] > 0 { bytes.append(UInt8(ascii: ",")) }
        counts[counts.count - 1] += 1
    }

    private mutating func appendQuoted(_ text: String) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        bytes.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": bytes.append(contentsOf: [0x5c, 0x22])
            case "\\": bytes.append(contentsOf: [0x5c, 0x5c])
            case "\n": bytes.append(contentsOf: [0x5c, UInt8(ascii: "n")])
            case "\r": bytes.append(contentsOf: [0x5c, UInt8(ascii: "r")])
            case "\t": bytes.append(contentsOf: [0x5c, UInt8(ascii: "t")])
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                let v = scalar.value
                bytes.append(contentsOf: Array("\\u".utf8))
                for shift in stride(from: 12, through: 0, by: -4) { bytes.append(hex[Int((v >> UInt32(shift)) & 0xf)]) }
            default:
                if scalar.value < 0x20 {
                    let v = scalar.value
                    bytes.append(contentsOf: Array("\\u00".utf8))
                    bytes.append(hex[Int(v >> 4)])
                    bytes.append(hex[Int(v & 0xf)])
                } else {
                    bytes.append(contentsOf: Array(String(scalar).utf8))
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
