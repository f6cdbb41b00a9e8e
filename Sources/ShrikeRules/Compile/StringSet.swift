/// A set of strings for `in`/`intersects`: a few items are compared one by one (small strings compare as two
/// machine words), more are hashed.
struct StringSet: Sendable {
    private let items: [String]
    private let hashed: Set<String>?

    init(_ values: [String]) {
        let unique = Array(Set(values))
        items = unique
        hashed = unique.count > 8 ? Set(unique) : nil
    }

    @inline(__always)
    func contains(_ value: String) -> Bool {
        if let hashed { return hashed.contains(value) }
        for item in items where item == value { return true }
        return false
    }
}
