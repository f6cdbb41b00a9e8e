/// The coarse kind of an event; drops are counted per category.
public enum EventCategory: String, Sendable, CaseIterable, Codable {
    case process
    case file
    case network
    case other

    /// The slot of this category in the kernel's drop counters (`enum shrike_drop_category`).
    var dropSlot: UInt32 {
        switch self {
        case .process: 0
        case .file: 1
        case .network: 2
        case .other: 3
        }
    }
}
