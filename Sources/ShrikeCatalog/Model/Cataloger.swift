import ShrikeCore
import ShrikeImage

/// Finds one kind of package in a root file system.
///
/// Catalogers are pure readers: they never write, and they only look at files they said they want (image sources
/// keep only those files' contents while streaming layers).
public protocol Cataloger: Sendable {
    /// A short name for diagnostics (`dpkg`, `apk`, `rpm`).
    var name: String { get }
    /// True for files whose content this cataloger needs.
    func wants(path: String, size: Int64) -> Bool
    /// The packages found, without layer attribution (the `Catalog` adds it).
    func catalog(_ fs: any RootFileSystem, distro: Distro?) throws -> [Package]
}
