/// Hands out identifiers that are unique within one document, suffixing repeats deterministically.
///
/// The first claim of `x` gets `x`; later claims get `x<separator>2`, `x<separator>3`… in claim order, so the same
/// input always gives the same ids.
struct UniqueNames {
    private var used: Set<String> = []

    mutating func claim(_ base: String, separator: String = "-") -> String {
        if used.insert(base).inserted { return base }
        var n = 2
        while !used.insert(base + separator + String(n)).inserted { n += 1 }
        return base + separator + String(n)
    }
}
