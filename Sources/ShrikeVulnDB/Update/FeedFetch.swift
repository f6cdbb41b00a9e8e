/// What fetching one feed gave.
public enum FeedFetch: Sendable, Equatable {
    /// The server answered 304 Not Modified: the records imported from this feed last time are current.
    case notModified
    /// The body was written to `file` (`bytes` long); `validators` are the response's, to store with the import.
    case downloaded(file: String, bytes: Int64, validators: FeedValidators)
}
