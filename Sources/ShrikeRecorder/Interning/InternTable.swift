/// A value that can estimate the heap bytes it holds once interned (its storage plus the table's bookkeeping).
protocol InternCost: Hashable, Sendable {
    var internCost: Int { get }
}

extension String: InternCost {
    /// Strings of up to 15 UTF-8 bytes live inline; longer ones own a heap buffer (32-byte header, 16-byte rounding).
    /// The 64 bytes cover the dictionary slot (key and id at a 0.75 load factor), the value slot and the count.
    var internCost: Int {
        let count = utf8.count
        return 64 + (count <= 15 ? 0 : 32 + (count + 15) & ~15)
    }
}

/// Values stored once and named by a small integer id, with reference counts so that a value no longer used by any
/// record is freed (and its id reused).
///
/// Id 0 is never handed out: records use it for "none". `bytes` is an estimate of the heap the table holds, which
/// the flight recorder counts against its budget.
struct InternTable<Value: InternCost>: Sendable {
    private var ids: [Value: UInt32] = [:]
    private var values: [Value?] = [nil]
    private var counts: [UInt32] = [0]
    private var free: [UInt32] = []
    private(set) var bytes = 0

    var count: Int { ids.count }

    /// The id of `value`, adding it when new; takes one reference. `inserted` is false when it was already there.
    mutating func retain(_ value: Value) -> (id: UInt32, inserted: Bool) {
        if let id = ids[value] {
            counts[Int(id)] &+= 1
            return (id, false)
        }
        let id: UInt32
        if let reused = free.popLast() {
            id = reused
            values[Int(id)] = value
            counts[Int(id)] = 1
        } else {
            id = UInt32(values.count)
            values.append(value)
            counts.append(1)
        }
        ids[value] = id
        bytes += value.internCost
        return (id, true)
    }

    /// Takes one more reference on an id already held.
    mutating func retain(id: UInt32) {
        counts[Int(id)] &+= 1
    }

    /// Drops one reference; returns the value when that was the last one (it is then freed).
    @discardableResult
    mutating func release(_ id: UInt32) -> Value? {
        let index = Int(id)
        guard id != 0, index < counts.count, counts[index] > 0 else { return nil }
        counts[index] -= 1
        guard counts[index] == 0, let value = values[index] else { return nil }
        values[index] = nil
        ids[value] = nil
        free.append(id)
        bytes -= value.internCost
        return value
    }

    /// The value of a live id.
    subscript(id: UInt32) -> Value? {
        let index = Int(id)
        return index < values.count ? values[index] : nil
    }

    /// The live references on `id` (0 when freed).
    func references(_ id: UInt32) -> UInt32 {
        Int(id) < counts.count ? counts[Int(id)] : 0
    }

    /// Every live (id, value), in id order.
    func enumerated() -> [(id: UInt32, value: Value)] {
        values.indices.compactMap { index in values[index].map { (UInt32(index), $0) } }
    }

    /// The highest id handed out so far plus one.
    var idLimit: Int { values.count }
}
