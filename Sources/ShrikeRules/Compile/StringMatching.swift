#if canImport(Glibc)
import Glibc
#endif

/// Byte-level string tests used by compiled comparisons: no allocation, no Unicode normalisation (Falco compares
/// bytes too).
enum StringMatching {
    @inline(__always)
    static func withBytes<R>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = string.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = string
        copy.makeContiguousUTF8()
        return copy.utf8.withContiguousStorageIfAvailable(body) ?? body(UnsafeBufferPointer(start: nil, count: 0))
    }

    static func contains(_ haystack: String, _ needle: [UInt8]) -> Bool {
        if needle.isEmpty { return true }
        return withBytes(haystack) { hay in
            guard let base = hay.baseAddress, hay.count >= needle.count else { return false }
            return needle.withUnsafeBufferPointer { n in
                guard let nb = n.baseAddress else { return true }
                let first = Int32(nb[0])
                var offset = 0
                let last = hay.count - n.count
                while offset <= last {
                    // memchr finds candidate first bytes at C speed; memcmp confirms.
                    guard let found = memchr(base + offset, first, last - offset + 1) else { return false }
                    let position = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + position, nb, n.count) == 0 { return true }
                    offset = position + 1
                }
                return false
            }
        }
    }

    static func hasPrefix(_ string: String, _ prefix: [UInt8]) -> Bool {
        withBytes(string) { bytes in
            guard bytes.count >= prefix.count else { return false }
            if prefix.isEmpty { return true }
            return prefix.withUnsafeBufferPointer { p in
                guard let b = bytes.baseAddress, let pb = p.baseAddress else { return false }
                return memcmp(b, pb, p.count) == 0
            }
        }
    }

    static func hasSuffix(_ string: String, _ suffix: [UInt8]) -> Bool {
        withBytes(string) { bytes in
            guard bytes.count >= suffix.count else { return false }
            if suffix.isEmpty { return true }
            return suffix.withUnsafeBufferPointer { s in
                guard let b = bytes.baseAddress, let sb = s.baseAddress else { return false }
                return memcmp(b + (bytes.count - s.count), sb, s.count) == 0
            }
        }
    }

    /// ASCII case-insensitive containment (`icontains`); `needle` is already lowercased.
    static func containsIgnoringCase(_ haystack: String, _ needle: [UInt8]) -> Bool {
        if needle.isEmpty { return true }
        return withBytes(haystack) { hay in
            guard hay.count >= needle.count else { return false }
            let first = needle[0]
            var start = 0
            while start <= hay.count - needle.count {
                if lower(hay[start]) == first {
                    var index = 1
                    while index < needle.count, lower(hay[start + index]) == needle[index] { index += 1 }
                    if index == needle.count { return true }
                }
                start += 1
            }
            return false
        }
    }

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    static func lowercased(_ string: String) -> String {
        String(decoding: string.utf8.map(lower), as: UTF8.self)
    }

    static func uppercased(_ string: String) -> String {
        String(decoding: string.utf8.map { $0 >= 0x61 && $0 <= 0x7A ? $0 & ~0x20 : $0 }, as: UTF8.self)
    }

    /// Shell glob where `*` also matches `/` (Falco's `glob`), optionally ignoring ASCII case.
    static func glob(_ string: String, _ pattern: [CChar], ignoreCase: Bool) -> Bool {
        pattern.withUnsafeBufferPointer { p in
            string.withCString { s in fnmatch(p.baseAddress, s, ignoreCase ? 1 << 4 : 0 /* GNU FNM_CASEFOLD */) == 0 }
        }
    }

    /// Raw bytes as a string of one character per byte (Latin-1): lossless, unlike UTF-8 decoding, so binary data
    /// (`evt.buffer`) can be matched byte for byte by encoding the needle the same way.
    static func latin1(_ bytes: some Sequence<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }

    /// Parses `bcontains`/`bstartswith` operands: hex digits (`48656c6c6f`), else the text's bytes.
    static func bytes(fromHex text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < digits.count {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    /// base64 decoding for the `b64()` transformer; nil for invalid input.
    static func base64Decode(_ text: String) -> String? {
        var table = [UInt8](repeating: 0xff, count: 256)
        for (index, char) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(char)] = UInt8(index)
        }
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "=") { break }
            let value = table[Int(byte)]
            if value == 0xff { return nil }
            buffer = buffer << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
