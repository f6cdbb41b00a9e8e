import ShrikeImage

/// A root file system as it stood after a given layer, for the files whose versions the image source kept.
///
/// Used to re-read a package database at older layers and so find the layer that brought each package.
struct LayerView: RootFileSystem {
    let base: any RootFileSystem
    let layer: Int

    var tree: FileTree { base.tree }
    var layers: [LayerInfo] { base.layers }

    func contents(of path: String) throws -> [UInt8]? { try base.contents(of: path, asOfLayer: layer) }

    func localFile(for path: String) throws -> String? {
        // Only the newest version has a local file; older SQLite databases are not re-materialised.
        guard let newest = base.versions(of: path).last, newest.layer <= layer, !newest.deleted else { return nil }
        return try base.localFile(for: path)
    }

    func versions(of path: String) -> [FileVersion] { base.versions(of: path).filter { $0.layer <= layer } }

    func contents(of path: String, asOfLayer layer: Int) throws -> [UInt8]? {
        try base.contents(of: path, asOfLayer: min(layer, self.layer))
    }
}
