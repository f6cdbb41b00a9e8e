import ShrikeCore
import ShrikeImage

/// Finds the crates compiled into Rust binaries built with `cargo auditable` (the `.dep-v0` ELF section).
///
/// Reports runtime dependencies from crates.io as `pkg:cargo/<name>@<version>`. Build-only dependencies (build
/// scripts, proc-macros) are not linked into the binary and are left out, as syft does; crates from local paths, git
/// or other registries are left out too, because no purl or advisory source identifies them and a `pkg:cargo` purl
/// would wrongly match crates.io advisories for a same-named crate.
public struct RustAuditableCataloger: Cataloger {
    public let name = "rust-auditable-binary"

    public init() {}

    public func wants(path: String, size: Int64) -> Bool { ExecutableCandidates.wants(path: path, size: size) }

    public func catalog(_ fs: any RootFileSystem, distro: Distro?) throws -> [Package] {
        var packages: [Package] = []
        ELFCandidates.forEach(in: fs) { path, elf in
            guard let section = elf.section(named: CargoAuditableInfo.sectionName),
                  let bytes = try? elf.contents(of: section, limit: CargoAuditableInfo.maxCompressed),
                  let info = try? CargoAuditableInfo(section: bytes, what: path) else { return }
            packages += Self.packages(from: info, location: path)
        }
        return packages
    }

    /// The reportable packages of one binary's dependency list, located at `location`.
    public static func packages(from info: CargoAuditableInfo, location: String) -> [Package] {
        var seen = Set<String>()
        return info.packages.compactMap { crate in
            guard crate.source == "crates.io", crate.kind == "runtime",
                  seen.insert(crate.name + "@" + crate.version).inserted else { return nil }
            return Package(name: crate.name, version: crate.version, type: .rust,
                           purl: PackageURL(type: PackageType.rust.purlType, name: crate.name, version: crate.version),
                           locations: [location])
        }
    }
}
