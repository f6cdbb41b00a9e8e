/// Paths for `pmatch`: a value matches when it is one of the paths or lies below one, compared by whole
/// components (`/etc` matches `/etc/passwd`, not `/etcetera`), as libs' path prefix search does.
struct PathPrefixTree: Sendable {
    private final class Node: @unchecked Sendable {
        // @unchecked: built once in init, read-only afterwards.
        var children: [Substring: Node] = [:]
        var terminal = false
    }

    private let root = Node()

    init(_ paths: [String]) {
        for path in paths {
            var node = root
            for component in path.split(separator: "/") {
                if let child = node.children[component] {
                    node = child
                } else {
                    let child = Node()
                    node.children[component] = child
                    node = child
                }
            }
            node.terminal = true
        }
    }

    func matches(_ path: String) -> Bool {
        var node = root
        if node.terminal { return true }
        for component in path.split(separator: "/") {
            guard let child = node.children[component] else { return false }
            if child.terminal { return true }
            node = child
        }
        return false
    }
}
