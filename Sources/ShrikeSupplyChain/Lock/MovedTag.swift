import ShrikeCore

/// A locked tag that no longer points where it did.
public struct MovedTag: Sendable, Equatable, CustomStringConvertible {
    public var target: String
    public var tag: String?
    public var locked: Digest
    public var current: Digest

    public var description: String {
        "tag '\(tag ?? target)' moved: locked at \(locked), now \(current) (\(target))"
    }
}
