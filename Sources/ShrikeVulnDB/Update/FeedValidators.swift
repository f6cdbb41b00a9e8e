/// A feed's HTTP validators, stored with the sources it produced and sent back on the next update as
/// `If-None-Match` / `If-Modified-Since`, so an unchanged feed costs one small request and no import.
public struct FeedValidators: Sendable, Hashable, Codable {
    /// The `ETag` response header, quotes included.
    public var etag: String?
    /// The `Last-Modified` response header, as the server wrote it.
    public var lastModified: String?

    public init(etag: String? = nil, lastModified: String? = nil) {
        self.etag = etag
        self.lastModified = lastModified
    }

    /// True when the server gave neither header: such a feed is downloaded in full every time.
    public var isEmpty: Bool { etag == nil && lastModified == nil }
}
