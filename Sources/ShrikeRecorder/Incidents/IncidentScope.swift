/// What an incident collects: everything in one container, or one process tree on the host.
public struct IncidentScope: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// Every process of one container.
        case container
        /// A host process tree: the alert's process, its ancestors below init and the session leader, and every
        /// descendant of the topmost of them.
        case processTree = "process-tree"
    }

    public var kind: Kind
    /// The container's full id (`host` for a process tree).
    public var container: String
    public var containerName: String?
    public var containerImage: String?
    /// The topmost process of a process tree.
    public var rootPID: Int32?
    public var rootCommand: String?

    public init(kind: Kind, container: String, containerName: String? = nil, containerImage: String? = nil,
                rootPID: Int32? = nil, rootCommand: String? = nil) {
        self.kind = kind
        self.container = container
        self.containerName = containerName
        self.containerImage = containerImage
        self.rootPID = rootPID
        self.rootCommand = rootCommand
    }

    /// `container 0123456789ab (web, nginx:1)` or `process tree of 1234 (bash)`.
    public var description: String {
        switch kind {
        case .container:
            let details = [containerName, containerImage].compactMap { $0 }.filter { !$0.isEmpty }
            return "container \(container.prefix(12))" + (details.isEmpty ? "" : " (\(details.joined(separator: ", ")))")
        case .processTree:
            return "process tree of \(rootPID.map(String.init) ?? "?")" + (rootCommand.map { " (\($0))" } ?? "")
        }
    }
}
