/// Escaping for Shrike's self-contained HTML pages (incident timelines, `shrike analyze -o html`).
package enum HTMLEscaping {
    /// Text for element content and quoted attribute values.
    package static func text(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // So no text can look like one of the template's placeholders.
            case "@": out += "&#64;"
            default:
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" {
                    out += "&#xFFFD;"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// JSON made safe inside a `<script>` element: `<`, `>`, `&` and the JavaScript line separators become `\u`
    /// escapes, so no `</script>` or `<!--` can appear whatever the data holds.
    package static func scriptJSON(_ json: [UInt8]) -> String {
        var out = ""
        out.reserveCapacity(json.count)
        for scalar in String(decoding: json, as: UTF8.self).unicodeScalars {
            switch scalar {
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
