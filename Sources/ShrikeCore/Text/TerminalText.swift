/// Makes untrusted text (event fields, file names, Dockerfile lines) safe to print: control characters (an escape
/// sequence in a hostile file name could rewrite the terminal) are shown as `\x1b`-style escapes.
package enum TerminalText {
    package static func safe(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                let hex = String(scalar.value, radix: 16)
                out += scalar.value < 0x100 ? "\\x" + (hex.count < 2 ? "0" + hex : hex) : "\\u{\(hex)}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7f && scalar.value <= 0x9f) || scalar.value == 0x2028
            || scalar.value == 0x2029 || (scalar.value >= 0x202a && scalar.value <= 0x202e)
            || (scalar.value >= 0x2066 && scalar.value <= 0x2069)
    }

    /// `text` cut to `width` characters (with an ellipsis) or padded with spaces.
    package static func fit(_ text: String, _ width: Int) -> String {
        if text.count > width { return String(text.prefix(max(width - 1, 0))) + "…" }
        return text + String(repeating: " ", count: width - text.count)
    }
}
