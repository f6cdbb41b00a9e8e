/// One package record of apk's installed database (`/lib/apk/db/installed`).
public struct ApkInstalledEntry: Sendable, Equatable {
    /// `P:`
    public var name: String
    /// `V:`
    public var version: String
    /// `A:`
    public var architecture: String?
    /// `o:`, the origin: the aport (source package) the package was built from.
    public var origin: String?
    /// `L:`, as written: an SPDX expression on current Alpine, a space-separated list on old releases.
    public var license: String?
    /// Files the package installed (`R:` lines under their `F:` directory), absolute, in database order.
    public var files: [String]

    public init(name: String, version: String, architecture: String? = nil, origin: String? = nil,
                license: String? = nil, files: [String] = []) {
        self.name = name
        self.version = version
        self.architecture = architecture
        self.origin = origin
        self.license = license
        self.files = files
    }
}
