/// Shell-style globs over image names: `*` and `?` stay within a `/` segment, `**` crosses segments.
public enum Glob {
    public static func matches(_ pattern: String, _ text: String) -> Bool {
        match(Array(pattern.unicodeScalars), 0, Array(text.unicodeScalars), 0)
    }

    private static func match(_ p: [Unicode.Scalar], _ pi: Int, _ t: [Unicode.Scalar], _ ti: Int) -> Bool {
        if pi == p.count { return ti == t.count }
        if p[pi] == "*" {
            let crossesSlash = pi + 1 < p.count && p[pi + 1] == "*"
            let next = crossesSlash ? pi + 2 : pi + 1
            var index = ti
            while true {
                if match(p, next, t, index) { return true }
                guard index < t.count, crossesSlash || t[index] != "/" else { return false }
                index += 1
            }
        }
        guard ti < t.count else { return false }
        if p[pi] == "?" { return t[ti] != "/" && match(p, pi + 1, t, ti + 1) }
        return p[pi] == t[ti] && match(p, pi + 1, t, ti + 1)
    }
}
