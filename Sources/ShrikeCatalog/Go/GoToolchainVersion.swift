/// Go toolchain versions (`runtime.buildVersion`) as the `stdlib` package reports them.
public enum GoToolchainVersion {
    /// The release tag without experiment or vendor suffixes: `go1.21.5 X:boringcrypto` → `go1.21.5`,
    /// `go1.20.14-1` (vendor builds) → `go1.20.14`. Nil for development builds (`devel go1.23-abc`) and anything
    /// that is not a `go1.N` tag.
    public static func releaseTag(_ buildVersion: String) -> String? {
        let first = buildVersion.split(separator: " ").first.map(String.init) ?? ""
        guard first.hasPrefix("go1") else { return nil }
        // Keep `go` + digits, dots and a beta/rc pre-release; drop what vendors append (`-1`, `-boringcrypto`).
        var tag = "go"
        var rest = first.dropFirst(2)
        while let c = rest.first, c.isNumber || c == "." {
            tag.append(c)
            rest = rest.dropFirst()
        }
        for pre in ["rc", "beta"] where rest.hasPrefix(pre) {
            tag += pre
            rest = rest.dropFirst(pre.count)
            while let c = rest.first, c.isNumber {
                tag.append(c)
                rest = rest.dropFirst()
            }
        }
        guard tag.count > 3, !tag.hasSuffix(".") else { return nil }
        return tag
    }

    /// The semantic version OSV's Go database uses for a release tag: `go1.21.5` → `1.21.5`, `go1.20` → `1.20.0`,
    /// `go1.21rc2` → `1.21.0-rc.2`, `go1.19beta1` → `1.19.0-beta.1` (as golang.org/x/vuln converts tags).
    public static func semver(_ tag: String) -> String? {
        guard tag.hasPrefix("go") else { return nil }
        var body = tag.dropFirst(2)
        var prerelease = ""
        for pre in ["rc", "beta"] {
            if let range = body.range(of: pre) {
                prerelease = "-\(pre).\(body[range.upperBound...])"
                body = body[..<range.lowerBound]
            }
        }
        var parts = body.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !parts.isEmpty, parts.count <= 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else {
            return nil
        }
        while parts.count < 3 { parts.append("0") }
        // go1.21 was the first tag to name its .0 release go1.21.0; older .0 releases were go1.N.
        return parts.joined(separator: ".") + prerelease
    }
}
