/// Groups waste records: bytes a layer added that a later (or the same) layer removed, under one removal root.
struct WasteKey: Hashable, Sendable {
    var root: String
    var cause: WasteCause
    var addedBy: Int
    var removedBy: Int
}

/// The running total of one waste group.
struct WasteTotal: Sendable {
    var bytes: Int64 = 0
    var files = 0
}
