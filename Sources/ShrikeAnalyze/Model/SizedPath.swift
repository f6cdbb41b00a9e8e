/// A path with the bytes it holds (a file's size, or everything below a directory) and the layer that wrote it.
public struct SizedPath: Sendable, Equatable, Codable {
    public var path: String
    public var size: Int64
    /// The layer that last wrote the file (index from the base up); nil for directories and `dir:` targets.
    public var layer: Int?
    /// Files counted in `size` (1 for a file).
    public var files: Int

    public init(path: String, size: Int64, layer: Int? = nil, files: Int = 1) {
        self.path = path
        self.size = size
        self.layer = layer
        self.files = files
    }
}
