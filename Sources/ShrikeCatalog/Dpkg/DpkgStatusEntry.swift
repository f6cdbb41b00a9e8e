/// One package stanza of a dpkg status database (`/var/lib/dpkg/status` or a file in `status.d/`).
public struct DpkgStatusEntry: Sendable, Equatable {
    public var package: String
    public var version: String
    public var architecture: String?
    /// The source package name from `Source:`, without the version; nil when the field is absent
    /// (Debian policy: then the source package has the binary package's name).
    public var source: String?
    /// The version in `Source: name (version)`, given when the binary was built with a different version.
    public var sourceVersion: String?
    /// `Status:` as written (`install ok installed`); nil when absent, as in distroless `status.d` files.
    public var status: String?
    /// `License:`, which Debian's own databases lack but opkg-style and some vendor databases carry.
    public var license: String?

    public init(package: String, version: String, architecture: String? = nil, source: String? = nil,
                sourceVersion: String? = nil, status: String? = nil, license: String? = nil) {
        self.package = package
        self.version = version
        self.architecture = architecture
        self.source = source
        self.sourceVersion = sourceVersion
        self.status = status
        self.license = license
    }

    /// True when dpkg considers the package's files present: the status's state word is `installed` and the
    /// selection is not `deinstall` or `purge`. A missing `Status:` counts as installed, because distroless images
    /// write only installed packages and leave the field out.
    ///
    /// Excluded: `deinstall ok config-files` (removed, configuration kept), `install ok half-installed`,
    /// `install ok unpacked` and other interrupted states, and packages selected for removal.
    public var isInstalled: Bool {
        guard let status else { return true }
        let words = status.split(separator: " ")
        guard words.count == 3 else { return false }
        return words[2] == "installed" && words[0] != "deinstall" && words[0] != "purge"
    }
}
