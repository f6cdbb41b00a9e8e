import ShrikeCore

/// Opens a target as a root file system: the one entry point the commands use.
public enum ImageLoader {
    /// Reads `target` with `options`, returning the squashed view and what was read.
    ///
    /// Image layers are streamed and verified; nothing is extracted. Throws `ShrikeError` naming the target, blob or
    /// entry at fault.
    public static func open(_ target: Target, options: ImageReadOptions = ImageReadOptions()) throws -> (any RootFileSystem, SourceDescription) {
        switch target {
        case .dockerArchive(let path, let tag):
            let container = try TarContainer(path: path)
            let image = try DockerArchiveReader.read(container, tag: tag, path: path, options: options)
            return (image, image.source)
        case .ociDirectory(let path, let tag):
            guard TargetParser.isDirectory(path) else {
                throw ShrikeError(.badTarget, "is not a directory (for an OCI archive file use oci-archive:)", input: path)
            }
            let image = try OCILayoutReader.read(DirectoryContainer(root: path), tag: tag, sourceType: "oci-dir", path: path, options: options)
            return (image, image.source)
        case .ociArchive(let path, let tag):
            let image = try OCILayoutReader.read(try TarContainer(path: path), tag: tag, sourceType: "oci-archive", path: path, options: options)
            return (image, image.source)
        case .registry(let reference):
            let client = try RegistryClient(reference: reference, options: options.registry)
            let container = try RegistryContainer(client: client, reference: reference, options: options)
            let image = try OCILayoutReader.read(container, tag: nil, sourceType: "registry", path: reference.description,
                                                 options: options)
            return (image, image.source)
        case .directory(let path):
            let fs = try DirectoryFileSystem(root: path, progress: options.progress)
            return (fs, SourceDescription(type: "dir", path: path))
        }
    }
}
