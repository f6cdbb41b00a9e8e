import ShrikeCore

/// What the user asked Shrike to read, parsed from a target string (`docker-archive:img.tar`, `oci-dir:out:v1`, …).
public enum Target: Sendable, Equatable, CustomStringConvertible {
    case dockerArchive(path: String, tag: String?)
    case ociDirectory(path: String, tag: String?)
    case ociArchive(path: String, tag: String?)
    case directory(path: String)
    /// An image in an OCI registry (`registry:HOST/REPO[:TAG|@DIGEST]`).
    case registry(ImageReference)

    public var description: String {
        switch self {
        case .dockerArchive(let path, let tag): "docker-archive:\(path)\(tag.map { ":" + $0 } ?? "")"
        case .ociDirectory(let path, let tag): "oci-dir:\(path)\(tag.map { ":" + $0 } ?? "")"
        case .ociArchive(let path, let tag): "oci-archive:\(path)\(tag.map { ":" + $0 } ?? "")"
        case .directory(let path): "dir:\(path)"
        case .registry(let reference): "registry:\(reference)"
        }
    }

    /// The `source.type` name in JSON output.
    public var typeName: String {
        switch self {
        case .dockerArchive: "docker-archive"
        case .ociDirectory: "oci-dir"
        case .ociArchive: "oci-archive"
        case .directory: "dir"
        case .registry: "registry"
        }
    }

    /// The path part as the user gave it.
    public var path: String {
        switch self {
        case .dockerArchive(let path, _), .ociDirectory(let path, _), .ociArchive(let path, _), .directory(let path): path
        case .registry(let reference): reference.description
        }
    }
}
