import ShrikeCore
import ShrikeImage

/// Keeps language packages that an OS package installed from being reported twice.
///
/// Debian's `python3-requests` installs `/usr/lib/python3/dist-packages/requests-2.28.1.egg-info`; reporting that
/// as PyPI `requests` too would match it against PyPI advisories, although Debian backports fixes into its own
/// versions (Grype's best-known false positive). A language package whose record — its first location: the
/// `METADATA`, `package.json`, gemspec or binary that declares it — is among an OS package's owned files is moved
/// out of the reported packages and gets `ownedBy`, the owning OS package's purl.
enum OSOwnership {
    static func separate(_ packages: [Package], in fs: any RootFileSystem) -> (reported: [Package], owned: [Package]) {
        let osPackages = packages.filter { $0.type.isOSPackage && !$0.ownedFiles.isEmpty }
        guard !osPackages.isEmpty, packages.contains(where: { !$0.type.isOSPackage }) else { return (packages, []) }
        var owner: [String: String] = [:]
        for package in osPackages {
            let purl = package.purl.description
            for file in package.ownedFiles {
                owner[file] = owner[file] ?? purl
                // Lists name paths as packaged (`/lib/...`); on merged-/usr systems the tree holds `/usr/lib/...`.
                if let resolved = resolvedThroughSymlinkedDirectory(file, in: fs), resolved != file {
                    owner[resolved] = owner[resolved] ?? purl
                }
            }
        }
        var reported: [Package] = []
        var owned: [Package] = []
        for var package in packages {
            if !package.type.isOSPackage, let record = package.locations.first, let purl = owner[record] {
                package.ownedBy = purl
                owned.append(package)
            } else {
                reported.append(package)
            }
        }
        return (reported, owned)
    }

    /// The path with symlinked directories resolved, or nil when no directory on the way is a symlink (checked from
    /// the top: that is where distributions put them, and it keeps the common case to one dictionary lookup).
    static func resolvedThroughSymlinkedDirectory(_ path: String, in fs: any RootFileSystem) -> String? {
        let firstComponentEnd = path.dropFirst().firstIndex(of: "/") ?? path.endIndex
        guard fs.tree.entry(at: String(path[..<firstComponentEnd]))?.kind == .symlink else { return nil }
        return try? fs.tree.resolve(path, followFinal: false)
    }
}
