/// A bounded first-in first-out queue that makes room by dropping its oldest element: the webhook's backlog.
///
/// Memory stays at `capacity` elements however long the endpoint is away; `dropped` counts what was given up.
struct AlertRing<Element> {
    private var storage: [Element?]
    private var head = 0
    private(set) var count = 0
    private(set) var dropped = 0

    init(capacity: Int) {
        storage = Array(repeating: nil, count: max(1, capacity))
    }

    var capacity: Int { storage.count }
    var isEmpty: Bool { count == 0 }

    /// Appends `element`; when full, the oldest element is dropped first (and counted). Returns true if one was.
    @discardableResult
    mutating func append(_ element: Element) -> Bool {
        var droppedOne = false
        if count == storage.count {
            storage[head] = nil
            head = (head + 1) % storage.count
            count -= 1
            dropped += 1
            droppedOne = true
        }
        storage[(head + count) % storage.count] = element
        count += 1
        return droppedOne
    }

    /// Removes and returns up to `limit` of the oldest elements, oldest first.
    mutating func removeFirst(upTo limit: Int) -> [Element] {
        var taken: [Element] = []
        while count > 0 && taken.count < limit {
            if let element = storage[head] { taken.append(element) }
            storage[head] = nil
            head = (head + 1) % storage.count
            count -= 1
        }
        return taken
    }

    /// Removes everything, counting it as dropped; returns how many there were.
    @discardableResult
    mutating func dropAll() -> Int {
        let removed = removeFirst(upTo: count).count
        dropped += removed
        return removed
    }
}
