/// A node of the final tree's size view (for the HTML tree and treemap): a directory with its biggest children.
public struct TreeNode: Sendable, Equatable, Codable {
    public var name: String
    /// Content bytes of the file, or of everything below the directory.
    public var size: Int64
    public var files: Int
    public var directory: Bool
    /// Children, largest first; the smaller ones past the node budget are folded into one `… N more` node.
    public var children: [TreeNode]

    public init(name: String, size: Int64, files: Int, directory: Bool, children: [TreeNode] = []) {
        self.name = name
        self.size = size
        self.files = files
        self.directory = directory
        self.children = children
    }
}
