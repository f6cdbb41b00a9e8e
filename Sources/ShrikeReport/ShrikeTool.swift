/// The name and version SBOM documents record as the tool that made them.
///
/// The executable's `--version` should read `ShrikeTool.version` so the two never drift apart.
public enum ShrikeTool {
    public static let name = "shrike"
    public static let version = "0.1.0"
}
