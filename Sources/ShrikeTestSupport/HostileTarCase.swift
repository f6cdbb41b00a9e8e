import ShrikeCore

/// One hostile layer, with what a safe image reader must do with it.
///
/// `layers` is a whole image's worth of layers, base first, hostile one last (whiteout cases need something below
/// them to delete). Feed `hostileTar` straight to a tar reader, or build `image` and read it end to end.
public struct HostileTarCase: Sendable, CustomStringConvertible {
    /// What reading the hostile layer must lead to.
    public enum SafeOutcome: Sendable, Equatable {
        /// Reading the layer (or image) must fail with this error code.
        case reject(ShrikeError.Code)
        /// Reading may succeed, but every resulting path is inside the image root; `expectation` says what else holds.
        case confine
    }

    /// A short, stable, kebab-case name (`dotdot-escape`), usable as a test argument.
    public let name: String
    /// What the layer contains and what attack it stands for.
    public let summary: String
    /// What a safe reader must do, in words a test author can turn into assertions.
    public let expectation: String
    public let outcome: SafeOutcome
    public let layers: [LayerFixture]

    public init(name: String, summary: String, expectation: String, outcome: SafeOutcome, layers: [LayerFixture]) {
        self.name = name
        self.summary = summary
        self.expectation = expectation
        self.outcome = outcome
        self.layers = layers
    }

    public var description: String { name }

    /// The hostile (last) layer.
    public var hostileLayer: LayerFixture { layers[layers.count - 1] }

    /// The hostile layer's uncompressed tar; nil when the case only exists as a blob (the gzip bomb).
    public var hostileTar: [UInt8]? { hostileLayer.tarBytes() }

    /// The hostile layer's blob as an image stores it (compressed as `hostileLayer.compression` says).
    public func hostileBlob() throws -> [UInt8] {
        if case .blob(let bytes, _) = hostileLayer.content { return bytes }
        return try FixtureCompression.compress(hostileLayer.tarBytes() ?? [], hostileLayer.compression)
    }

    /// An image whose layers are this case's, tagged `shrike/hostile:<name>`.
    public var image: ImageFixture {
        ImageFixture(layers: layers, tags: ["shrike/hostile:\(name)"])
    }
}
