import ShrikeCore
import ShrikeImage

/// Runs catalogers over a root file system and says which layer brought each package.
public struct Catalog: Sendable {
    public var catalogers: [any Cataloger]

    /// The OS package catalogers: dpkg, apk, rpm.
    public static let osPackages = Catalog(catalogers: [DpkgCataloger(), ApkCataloger(), RpmCataloger()])

    /// Language packages as installed: Python distributions, node_modules, gem specifications, Composer's
    /// installed.json, .NET deps.json.
    public static let installedLanguageCatalogers: [any Cataloger] = [
        PythonInstalledCataloger(), NpmInstalledCataloger(), GemspecCataloger(), ComposerInstalledCataloger(),
        DotnetDepsCataloger(),
    ]

    /// Language packages found inside binaries and archives (Go build info, cargo-auditable, Java archives).
    public static let binaryLanguageCatalogers: [any Cataloger] = [
        GoBinaryCataloger(), RustAuditableCataloger(), JavaArchiveCataloger(),
    ]

    /// Lockfiles: what a project would install. Read for `dir:` targets only (see `default(for:)`).
    public static let lockfileCatalogers: [any Cataloger] = [
        PythonLockfileCataloger(), NpmLockfileCataloger(), GemfileLockCataloger(), ComposerLockCataloger(),
        CargoLockCataloger(),
    ]

    /// What `shrike sbom` and `shrike scan` read from images: OS packages plus installed language packages.
    public static let `default` = Catalog(
        catalogers: osPackages.catalogers + installedLanguageCatalogers + binaryLanguageCatalogers)

    /// What they read from `dir:` targets: the default plus lockfiles (a source checkout is a directory).
    public static let directory = Catalog(catalogers: `default`.catalogers + lockfileCatalogers)

    /// The catalog for a target: `directory` for `dir:` targets, `default` for images.
    public static func `default`(for target: Target) -> Catalog {
        if case .directory = target { return directory }
        return `default`
    }

    public init(catalogers: [any Cataloger]) { self.catalogers = catalogers }

    /// The selector to pass to an image source so it keeps every file these catalogers (and OS detection) read.
    public var contentSelector: ContentSelector {
        let catalogers = self.catalogers
        let distroPaths = DistroDetector.wantedPaths
        return { path, size in
            distroPaths.contains(path) || catalogers.contains { $0.wants(path: path, size: size) }
        }
    }

    /// Detects the distro, runs every cataloger and attributes packages to layers. Packages come back sorted.
    ///
    /// Language packages whose record (first location) an OS package owns go to `ownedLanguagePackages`, with
    /// `ownedBy` naming that OS package, instead of `packages` (see `OSOwnership`).
    public func run(on fs: any RootFileSystem, source: SourceDescription) throws -> SBOM {
        let distro = try DistroDetector.detect(fs)
        var packages: [Package] = []
        for cataloger in catalogers {
            let found: [Package]
            do {
                found = try cataloger.catalog(fs, distro: distro)
            } catch let error as ShrikeError {
                throw error.naming("\(cataloger.name) cataloger")
            }
            packages += try attributeLayers(found, cataloger: cataloger, fs: fs, distro: distro)
        }
        let order: (Package, Package) -> Bool = {
            ($0.type, $0.name, $0.version, $0.architecture ?? "", $0.locations.first ?? "")
                < ($1.type, $1.name, $1.version, $1.architecture ?? "", $1.locations.first ?? "")
        }
        let separated = OSOwnership.separate(packages, in: fs)
        return SBOM(source: source, layers: fs.layers, distro: distro, packages: separated.reported.sorted(by: order),
                    ownedLanguagePackages: separated.owned.sorted(by: order))
    }

    /// Sets `layer` on each package to the oldest layer from which its database has listed it without a break.
    func attributeLayers(_ packages: [Package], cataloger: any Cataloger, fs: any RootFileSystem,
                         distro: Distro?) throws -> [Package] {
        guard !fs.layers.isEmpty else { return packages }
        var result = packages
        // Each database file is re-read once per layer that changed it, newest first.
        var presentByVersion: [String: [(layer: Int, keys: Set<PackageKey>?)]] = [:]
        // One re-read per older layer, shared by every location rewritten there: language catalogers return
        // thousands of packages with a location each, and re-reading per location would be quadratic.
        var olderByLayer: [Int: [Package]] = [:]
        for location in Set(packages.compactMap(\.locations.first)) {
            var states: [(layer: Int, keys: Set<PackageKey>?)] = []
            for (age, version) in fs.versions(of: location).reversed().enumerated() {
                if version.deleted {
                    states.append((version.layer, nil))
                    continue
                }
                if age == 0 {
                    // The newest version is what the packages were just read from.
                    states.append((version.layer, Set(packages.filter { $0.locations.first == location }.map(PackageKey.init))))
                    continue
                }
                let older: [Package]
                if let cached = olderByLayer[version.layer] {
                    older = cached
                } else {
                    older = (try? cataloger.catalog(LayerView(base: fs, layer: version.layer), distro: distro)) ?? []
                    olderByLayer[version.layer] = older
                }
                states.append((version.layer, Set(older.filter { $0.locations.first == location }.map(PackageKey.init))))
            }
            presentByVersion[location] = states
        }
        for index in result.indices {
            let package = result[index]
            guard let location = package.locations.first, let states = presentByVersion[location] else { continue }
            let key = PackageKey(package)
            var layer = states.first?.layer
            for state in states {
                guard let keys = state.keys, keys.contains(key) else { break }
                layer = state.layer
            }
            if layer == nil {
                // No kept version (e.g. a database the source could not keep): fall back to the file's own layer.
                layer = (try? fs.tree.resolvedEntry(location))?.map(\.layer)
            }
            if let layer, fs.layers.indices.contains(layer) {
                result[index].layer = fs.layers[layer].diffID
            }
        }
        return result
    }
}

/// What makes two package records the same package across layers.
struct PackageKey: Hashable {
    var name: String
    var version: String
    var architecture: String?

    init(_ package: Package) {
        name = package.name
        version = package.version
        architecture = package.architecture
    }
}
