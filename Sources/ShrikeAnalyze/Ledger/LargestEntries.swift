/// The `capacity` largest paths seen so far, kept in a small sorted array (capacity is tens, not thousands).
struct LargestEntries: Sendable {
    let capacity: Int
    private(set) var items: [SizedPath] = []

    init(capacity: Int) { self.capacity = capacity }

    mutating func offer(_ item: SizedPath) {
        guard capacity > 0 else { return }
        if items.count == capacity, let smallest = items.last, !Self.before(item, smallest) { return }
        let index = items.firstIndex { Self.before(item, $0) } ?? items.endIndex
        items.insert(item, at: index)
        if items.count > capacity { items.removeLast() }
    }

    /// Larger first; equal sizes by path, so the order never depends on the order of the tar.
    static func before(_ a: SizedPath, _ b: SizedPath) -> Bool {
        a.size != b.size ? a.size > b.size : a.path < b.path
    }
}
