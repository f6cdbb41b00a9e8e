import ShrikeCatalog
import ShrikeCore

/// RHEL 8+ modules: one rpm name built in several streams (`nodejs` 16 and 18, `container-tools` …), told apart by a
/// `.module+el8.9.0+…` (Red Hat, Rocky) or `.module_el8.9.0+…` (AlmaLinux) part of the release.
///
/// A fix built for a module stream says nothing about the same name built outside modules, and the other way round:
/// comparing them would call a non-modular `nodejs-14` "affected" by a fix in `nodejs:18`. Vendors that publish OSV
/// (AlmaLinux, Rocky) do not name the stream in the record, so Shrike keeps only the ranges whose bounds are built the
/// same way as the installed package (modular or not). Within the modular builds of one name, ranges still compare by
/// rpm rules, which orders builds of one stream correctly.
enum RpmModularity {
    /// Whether an rpm version-release was built in a module stream.
    static func isModular(_ version: String) -> Bool {
        version.contains(".module+") || version.contains(".module_")
    }

    /// The ranges of `ranges` that apply to `installed`; all of them for non-rpm packages and for ranges with no bound.
    static func applicableRanges(_ ranges: [AffectedRange], installed: Package) -> [AffectedRange] {
        guard installed.type == .rpm else { return ranges }
        let modular = isModular(installed.version)
        return ranges.filter { range in
            let bounds = range.events.compactMap { event -> String? in
                switch event {
                case .fixed(let version), .lastAffected(let version), .limit(let version): return version
                case .introduced(let version): return version == "0" ? nil : version
                }
            }
            guard !bounds.isEmpty else { return true }
            return bounds.contains { isModular($0) == modular }
        }
    }
}
