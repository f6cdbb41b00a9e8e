/// One entry of the image config's history, matched to the layer it made (nil for steps that made none).
public struct HistoryStep: Sendable, Equatable, Codable {
    public var createdBy: String
    public var emptyLayer: Bool
    /// The layer this step made, when it made one and the history lines up with the layers.
    public var layer: Int?
    public var created: String?

    public init(createdBy: String, emptyLayer: Bool, layer: Int?, created: String?) {
        self.createdBy = createdBy
        self.emptyLayer = emptyLayer
        self.layer = layer
        self.created = created
    }
}
