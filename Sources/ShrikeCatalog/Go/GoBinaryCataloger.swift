import ShrikeCore
import ShrikeImage

/// Finds the Go modules compiled into ELF executables, from the build information the Go linker embeds.
///
/// Each binary yields its main module, every dependency (the replacement's path and version when a `replace`
/// directive swapped it; the required path with no version when the replacement is a local directory) and the
/// toolchain as the package `stdlib` (`go1.21.5`, purl `pkg:golang/stdlib@1.21.5`). A main module built from a
/// checkout has version `(devel)`; as syft does, a release version stamped through the linker
/// (`-ldflags "-X main.version=1.18.1"`) replaces it; otherwise the module is recorded with version `(devel)` and a
/// purl without a version, so nothing matches advisories against it. Binaries without build info (C programs, Go
/// before 1.13's module mode) yield nothing.
public struct GoBinaryCataloger: Cataloger {
    public let name = "go-binary"

    public init() {}

    public func wants(path: String, size: Int64) -> Bool { ExecutableCandidates.wants(path: path, size: size) }

    public func catalog(_ fs: any RootFileSystem, distro: Distro?) throws -> [Package] {
        var packages: [Package] = []
        ELFCandidates.forEach(in: fs) { path, elf in
            guard let info = try? GoBuildInfoReader.read(elf) else { return }
            packages += Self.packages(from: info, location: path)
        }
        return packages
    }

    /// The packages one binary's build info describes, located at `location`.
    public static func packages(from info: GoBuildInfo, location: String) -> [Package] {
        let modules = GoModInfo(parsing: info.modInfo)
        let architecture = modules.setting("GOARCH")
        var packages: [Package] = []
        func add(path: String, version: String, purlVersion: String?) {
            packages.append(Package(name: path, version: version, type: .go,
                                    purl: purl(path: path, version: purlVersion), locations: [location],
                                    architecture: architecture))
        }
        if let main = modules.main {
            var (path, version) = resolved(main)
            if version == "(devel)" || version.isEmpty, let stamped = linkerStampedVersion(modules.setting("-ldflags")) {
                version = stamped
            }
            add(path: path, version: version, purlVersion: version == "(devel)" || version.isEmpty ? nil : version)
        }
        for dependency in modules.dependencies {
            let (path, version) = resolved(dependency)
            add(path: path, version: version, purlVersion: version.isEmpty ? nil : version)
        }
        if let tag = GoToolchainVersion.releaseTag(info.goVersion) {
            add(path: "stdlib", version: tag, purlVersion: GoToolchainVersion.semver(tag) ?? String(tag.dropFirst(2)))
        }
        return packages
    }

    /// The module that was actually compiled in: a versioned replacement wins; a directory replacement keeps the
    /// required path but drops the version (the code is whatever was on the builder's disk).
    static func resolved(_ module: GoModInfo.Module) -> (path: String, version: String) {
        guard let replacement = module.replacement else { return (module.path, module.version) }
        if replacement.isLocal { return (module.path, "") }
        return (replacement.path, replacement.version)
    }

    /// Variables that release builds set to the program's version with `-X importpath.name=value`.
    static let versionVariables: Set<String> = ["version", "gitversion", "buildversion", "releaseversion"]

    /// The release version a `-X …version=1.2.3` linker flag stamps into the binary, as `v1.2.3`; nil when there is
    /// none or it does not look like a release (`dev`, `unknown`, a commit hash).
    static func linkerStampedVersion(_ ldflags: String?) -> String? {
        guard let ldflags else { return nil }
        let tokens = ldflags.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        for (index, token) in tokens.enumerated() {
            var assignment: Substring
            if token == "-X" || token == "--X" {
                guard index + 1 < tokens.count else { continue }
                assignment = Substring(tokens[index + 1])
            } else if token.hasPrefix("-X"), token.count > 2 {
                assignment = token.dropFirst(2)
                if assignment.first == "=" { assignment = assignment.dropFirst() }
            } else {
                continue
            }
            assignment = assignment.drop { $0 == "'" || $0 == "\"" }
            while let last = assignment.last, last == "'" || last == "\"" { assignment = assignment.dropLast() }
            guard let equals = assignment.firstIndex(of: "=") else { continue }
            let variable = assignment[..<equals].split(separator: ".").last.map { $0.lowercased() } ?? ""
            guard versionVariables.contains(variable) else { continue }
            var value = assignment[assignment.index(after: equals)...]
            if value.first == "v" { value = value.dropFirst() }
            let numbers = value.prefix { $0.isNumber || $0 == "." }.split(separator: ".", omittingEmptySubsequences: false)
            guard numbers.count == 3, numbers.allSatisfy({ !$0.isEmpty }) else { continue }
            return "v" + value
        }
        return nil
    }

    /// `pkg:golang/<module path>@<version>`: all but the last path element form the namespace.
    public static func purl(path: String, version: String?) -> PackageURL {
        let parts = path.split(separator: "/").map(String.init)
        let name = parts.last ?? path
        let namespace = parts.count > 1 ? parts.dropLast().joined(separator: "/") : nil
        return PackageURL(type: PackageType.go.purlType, namespace: namespace, name: name, version: version)
    }
}
