import Foundation
import ShrikeCore
import ShrikeImage
import ZIPFoundation

/// Finds Java packages in `.jar`, `.war`, `.ear`, `.jpi` and `.hpi` archives, including archives nested in them
/// (`WEB-INF/lib/*.jar`, `BOOT-INF/lib/*.jar`, fat jars).
///
/// Identity, per archive: every `META-INF/maven/<group>/<artifact>/pom.properties` is one package (a shaded fat jar
/// holds several); without any, `META-INF/MANIFEST.MF` (`Implementation-*`, `Bundle-*`); then the file name
/// (`name-1.2.3.jar`). purls are `pkg:maven/<group>/<artifact>@<version>`, without a group when none is known.
/// Locations: the file's path first (for layer attribution), then `path:inner/lib.jar` for nested archives.
/// Archives are read from memory (never extracted to disk) within `JavaArchiveLimits`; corrupt archives are skipped.
public struct JavaArchiveCataloger: Cataloger {
    public let name = "java-archive"
    public let limits: JavaArchiveLimits

    public init(limits: JavaArchiveLimits = .default) { self.limits = limits }

    public func wants(path: String, size: Int64) -> Bool {
        size <= limits.maxArchiveSize && JavaArchiveReader.isArchivePath(path)
    }

    public func catalog(_ fs: any RootFileSystem, distro: Distro?) throws -> [Package] {
        var reader = JavaArchiveReader(limits: limits)
        var packages: [Package] = []
        let files = BinaryFileAccess.regularFiles(fs) { wants(path: $0.path, size: $0.size) }
        for file in files {
            guard let archive = BinaryFileAccess.openZip(fs, path: file.path) else { continue }
            for identity in reader.identities(of: archive, location: file.path) {
                packages += Self.packages(for: identity, file: file.path)
            }
        }
        return packages
    }

    /// The packages one archive's identity yields (none when it names nothing: no coordinates and no file name).
    public static func packages(for identity: JavaArchiveIdentity, file: String) -> [Package] {
        let locations = identity.location == file ? [file] : [file, identity.location]
        if !identity.pomProperties.isEmpty {
            return identity.pomProperties.map { pom in
                package(group: pom.groupID, artifact: pom.artifactID, version: pom.version,
                        vendor: identity.manifest.flatMap(vendor), locations: locations)
            }
        }
        let innermost = String(identity.location.split(separator: ":").last ?? Substring(identity.location))
        let fileName = JavaArchiveFileName(path: innermost)
        let manifest = identity.manifest
        let title = manifest?["Implementation-Title"].flatMap { $0.contains(" ") ? nil : $0 }
        let symbolicName = manifest?["Bundle-SymbolicName"].map { String($0.prefix { $0 != ";" }).trimmedSpaces }
        let artifact = title ?? (fileName.version != nil ? fileName.artifact : nil) ?? symbolicName ?? fileName.artifact
        guard !artifact.isEmpty else { return [] }
        let version = manifest?["Implementation-Version"] ?? manifest?["Bundle-Version"]
            ?? manifest?["Specification-Version"] ?? fileName.version ?? ""
        var group = manifest?["Implementation-Vendor-Id"] ?? ""
        if group.isEmpty, let symbolicName, symbolicName.hasSuffix("." + artifact) {
            group = String(symbolicName.dropLast(artifact.count + 1))
        }
        return [package(group: group, artifact: artifact, version: version, vendor: manifest.flatMap(vendor),
                        locations: locations)]
    }

    static func vendor(_ manifest: JavaManifest) -> String? {
        manifest["Implementation-Vendor"] ?? manifest["Bundle-Vendor"]
    }

    static func package(group: String, artifact: String, version: String, vendor: String?,
                        locations: [String]) -> Package {
        Package(name: artifact, version: version, type: .java,
                purl: PackageURL(type: PackageType.java.purlType, namespace: group.isEmpty ? nil : group,
                                 name: artifact, version: version.isEmpty ? nil : version),
                locations: locations, vendor: vendor)
    }
}
