/// The image's byte accounting: every byte of every layer is either visible in the final tree or wasted.
///
/// `totalBytes == visibleBytes + wastedBytes` holds by construction; `efficiency` is `visibleBytes / totalBytes`
/// (1 for an image with no file content). Sizes are file content bytes (tar headers and padding are not counted).
public struct WasteSummary: Sendable, Equatable, Codable {
    /// Content bytes of regular files over all layers (hard links count once, at their target).
    public var totalBytes: Int64
    /// Content bytes of regular files in the final tree.
    public var visibleBytes: Int64
    public var wastedBytes: Int64
    /// Wasted bytes removed or replaced by base layers (the base image's own waste).
    public var baseWastedBytes: Int64
    /// Wasted bytes removed or replaced by the user's layers.
    public var userWastedBytes: Int64
    /// `userWastedBytes / totalBytes` (0 when there are no bytes): dive's `highestUserWastedPercent` measure.
    public var userWastedRatio: Double
    public var efficiency: Double
    /// Bytes by cause, every cause present (0 when none).
    public var byCause: [String: Int64]

    public init(totalBytes: Int64, visibleBytes: Int64, baseWastedBytes: Int64, userWastedBytes: Int64,
                byCause: [String: Int64]) {
        self.totalBytes = totalBytes
        self.visibleBytes = visibleBytes
        self.wastedBytes = baseWastedBytes + userWastedBytes
        self.baseWastedBytes = baseWastedBytes
        self.userWastedBytes = userWastedBytes
        self.userWastedRatio = totalBytes > 0 ? Double(userWastedBytes) / Double(totalBytes) : 0
        self.efficiency = totalBytes > 0 ? Double(visibleBytes) / Double(totalBytes) : 1
        self.byCause = byCause
    }
}
