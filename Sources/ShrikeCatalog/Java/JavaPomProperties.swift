/// A `META-INF/maven/<groupId>/<artifactId>/pom.properties` file: the Maven coordinates of the artifact it ships in.
public struct JavaPomProperties: Sendable, Equatable {
    public var groupID: String
    public var artifactID: String
    public var version: String

    /// Parses the Java properties text; nil unless artifactId and version are present (`#` and `!` lines are comments).
    public init?(parsing text: String) {
        var values: [String: String] = [:]
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            let line = rawLine.trimmedSpaces
            guard !line.isEmpty, !line.hasPrefix("#"), !line.hasPrefix("!") else { continue }
            guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
            values[line[..<separator].trimmedSpaces] = line[line.index(after: separator)...].trimmedSpaces
        }
        guard let artifactID = values["artifactId"], !artifactID.isEmpty,
              let version = values["version"], !version.isEmpty else { return nil }
        self.groupID = values["groupId"] ?? ""
        self.artifactID = artifactID
        self.version = version
    }

    public init(groupID: String, artifactID: String, version: String) {
        self.groupID = groupID
        self.artifactID = artifactID
        self.version = version
    }

    /// True for paths of the form `META-INF/maven/<group>/<artifact>/pom.properties`.
    public static func isPomPropertiesPath(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 5 && parts[0] == "META-INF" && parts[1] == "maven" && parts[4] == "pom.properties"
    }
}

/// The artifact name and version a jar's file name carries (`log4j-core-2.17.1.jar`, `guava-31.1-jre.jar`).
public struct JavaArchiveFileName: Sendable, Equatable {
    /// The name without extension or version (`log4j-core`).
    public var artifact: String
    /// From the first `-` followed by a digit (`2.17.1`, `31.1-jre`); nil when the name has none.
    public var version: String?

    public init(path: String) {
        var name = Substring(path.split(separator: "/").last ?? Substring(path))
        if let dot = name.lastIndex(of: ".") { name = name[..<dot] }
        var split: Substring.Index?
        var index = name.startIndex
        while index < name.endIndex {
            let next = name.index(after: index)
            if name[index] == "-", next < name.endIndex, name[next].isNumber {
                split = index
                break
            }
            index = next
        }
        if let split, split != name.startIndex {
            artifact = String(name[..<split])
            version = String(name[name.index(after: split)...])
        } else {
            artifact = String(name)
            version = nil
        }
    }
}
