/// The event types a condition can match, computed as Falco does from `evt.type = X` and `evt.type in (...)`.
enum EventTypeSet: Equatable {
    /// No restriction the compiler could see.
    case all
    case only(Set<String>)

    func intersection(_ other: EventTypeSet) -> EventTypeSet {
        switch (self, other) {
        case (.all, _): return other
        case (_, .all): return self
        case (.only(let a), .only(let b)): return .only(a.intersection(b))
        }
    }

    func union(_ other: EventTypeSet) -> EventTypeSet {
        switch (self, other) {
        case (.only(let a), .only(let b)): return .only(a.union(b))
        default: return .all
        }
    }
}
