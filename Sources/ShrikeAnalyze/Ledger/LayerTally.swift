/// What one layer wrote and removed, counted while it streams.
struct LayerTally: Sendable {
    var contentBytes: Int64 = 0
    var added = 0
    var modified = 0
    var deleted = 0
    var metadataOnlyFiles = 0
    var metadataOnlyBytes: Int64 = 0
    var largest: LargestEntries

    init(largest: Int) { self.largest = LargestEntries(capacity: largest) }
}
