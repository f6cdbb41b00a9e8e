import Foundation

// The JSON documents fixtures write. Keys are sorted and slashes unescaped so output is stable byte for byte.

struct PlatformJSON: Codable, Equatable {
    var architecture: String
    var os: String
    var variant: String?
}

struct DescriptorJSON: Codable, Equatable {
    var mediaType: String
    var digest: String
    var size: Int
    var annotations: [String: String]?
    var platform: PlatformJSON?
}

struct ManifestJSON: Codable {
    var schemaVersion = 2
    var mediaType: String
    var config: DescriptorJSON
    var layers: [DescriptorJSON]
}

struct IndexJSON: Codable {
    var schemaVersion = 2
    var mediaType: String
    var manifests: [DescriptorJSON]
}

struct OCILayoutJSON: Codable {
    var imageLayoutVersion = "1.0.0"
}

struct ContainerConfigJSON: Codable {
    var env: [String]
    var cmd: [String]?
    var entrypoint: [String]?
    var user: String?
    var workingDir: String?
    var labels: [String: String]?

    enum CodingKeys: String, CodingKey {
        case env = "Env", cmd = "Cmd", entrypoint = "Entrypoint", user = "User", workingDir = "WorkingDir"
        case labels = "Labels"
    }
}

struct RootFSJSON: Codable {
    var type = "layers"
    var diffIDs: [String]
    enum CodingKeys: String, CodingKey {
        case type
        case diffIDs = "diff_ids"
    }
}

struct HistoryJSON: Codable {
    var created: String
    var createdBy: String
    var emptyLayer: Bool?
    enum CodingKeys: String, CodingKey {
        case created
        case createdBy = "created_by"
        case emptyLayer = "empty_layer"
    }
}

struct ImageConfigJSON: Codable {
    var architecture: String
    var os: String
    var variant: String?
    var created: String
    var config: ContainerConfigJSON
    var rootfs: RootFSJSON
    var history: [HistoryJSON]
}

struct DockerManifestEntryJSON: Codable {
    var config: String
    var repoTags: [String]?
    var layers: [String]
    enum CodingKeys: String, CodingKey {
        case config = "Config", repoTags = "RepoTags", layers = "Layers"
    }
}

struct LegacyLayerJSON: Codable {
    var id: String
    var parent: String?
    var created: String
}

enum FixtureJSON {
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }
}
