/// Paths for `pmatch`: a value matches when it is one of the paths or lies below one, compared by whole
/// components (`/etc` matches `/etc/passwd`, not `/etcetera`), as libs' path prefix search does.
///
/// Rule lists are short, so the prefixes are compared as bytes one after another: no splitting or hashing per event.
struct PathPrefixTree: Sendable {
    private let prefixes: [[UInt8]]
    private let matchesEverything: Bool

    init(_ paths: [String]) {
        var prefixes: [[UInt8]] = []
        var everything = false
        for path in paths {
            var bytes = Array(path.utf8)
            while bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
            if bytes == [UInt8(ascii: "/")] { everything = true }
            prefixes.append(bytes)
        }
        self.prefixes = prefixes
        matchesEverything = everything
    }

    func matches(_ path: String) -> Bool {
        if matchesEverything { return path.utf8.first == UInt8(ascii: "/") }
        return StringMatching.withBytes(path) { bytes in
            for prefix in prefixes where bytes.count >= prefix.count {
                var equal = true
                for index in 0..<prefix.count where bytes[index] != prefix[index] {
                    equal = false
                    break
                }
                if equal && (bytes.count == prefix.count || bytes[prefix.count] == UInt8(ascii: "/")) { return true }
            }
            return false
        }
    }
}
