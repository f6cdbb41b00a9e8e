import Foundation

/// The project's shared real-world data (`../shared/data` beside the checkout: vendor advisory feeds, package
/// databases, root file systems; see its PROVENANCE.md). CI has it; elsewhere tests that need it skip with `reason`.
public enum SharedData {
    /// `<repository>/../shared/data`, or `$SHRIKE_SHARED_DATA` when set.
    public static let root: String = {
        if let configured = ProcessInfo.processInfo.environment["SHRIKE_SHARED_DATA"], !configured.isEmpty {
            return configured
        }
        return URL(fileURLWithPath: RepositoryFiles.root).deletingLastPathComponent()
            .appendingPathComponent("shared/data").standardizedFileURL.path
    }()

    /// A path below the shared data root.
    public static func path(_ relative: String) -> String { root + "/" + relative }

    /// Whether `relative` exists below the shared data root.
    public static func has(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }

    /// Why a test that needs `relative` is skipped.
    public static func reason(_ relative: String) -> String {
        "needs the shared real data \(path(relative)) (../shared/data beside the checkout, or SHRIKE_SHARED_DATA)"
    }
}
