/// What a `FROM` names: `[--platform=P] [REGISTRY/]NAME[:TAG][@DIGEST] [AS ALIAS]`.
public struct BaseImage: Sendable, Equatable {
    /// The registry host when the first path component looks like one (has `.` or `:`, or is `localhost`).
    public var registry: String?
    /// The repository path without the registry: `library/debian`, `golang`.
    public var name: String
    public var tag: String?
    public var digest: String?
    /// The stage name after `AS`.
    public var alias: String?
    public var platform: String?
    /// The image reference as written.
    public var reference: String

    public init(_ instruction: Instruction) {
        let words = ArgumentWords.split(instruction.arguments)
        reference = words.first ?? ""
        if words.count >= 3, words[1].lowercased() == "as" { alias = words[2] }
        platform = instruction.flag("platform")
        var rest = Substring(reference)
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
        }
        let lastSlash = rest.lastIndex(of: "/")
        if let colon = rest.lastIndex(of: ":"), lastSlash.map({ colon > $0 }) ?? true {
            tag = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
        }
        if let slash = rest.firstIndex(of: "/") {
            let first = rest[..<slash]
            if first.contains(".") || first.contains(":") || first == "localhost" {
                registry = String(first)
                rest = rest[rest.index(after: slash)...]
            }
        }
        name = String(rest)
    }

    /// `scratch`: the empty image, which has no tag.
    public var isScratch: Bool { name == "scratch" && registry == nil }
}
