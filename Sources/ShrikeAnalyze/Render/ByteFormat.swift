/// Human units for tables and finding texts (JSON always carries bytes).
package enum ByteFormat {
    /// `1.5 MB`, `512 B`: decimal units, as `docker images` and dive print them.
    package static func human(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while abs(value) >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 { return "\(bytes) B" }
        let rounded = (value * 10).rounded() / 10
        return "\(rounded) \(units[unit])"
    }

    /// A history step without the shell prefix builders add (`/bin/sh -c #(nop) `, `RUN /bin/sh -c `), cut to 60.
    package static func shortCommand(_ createdBy: String) -> String {
        var text = Substring(createdBy)
        for prefix in ["RUN /bin/sh -c ", "/bin/sh -c #(nop) ", "/bin/sh -c "] where text.hasPrefix(prefix) {
            text = text.dropFirst(prefix.count)
            break
        }
        while text.first == " " { text.removeFirst() }
        if !createdBy.contains("#(nop)") && createdBy.hasPrefix("/bin/sh -c ") { text = "RUN " + text }
        let flat = String(text).split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 60 ? String(flat.prefix(59)) + "…" : flat
    }
}
