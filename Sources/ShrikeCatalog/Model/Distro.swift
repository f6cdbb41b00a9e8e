import ShrikeCore

/// The operating system a root file system belongs to, from `os-release` or a distribution's release file.
public struct Distro: Sendable, Equatable, Codable {
    /// `ID` from os-release, lower case: `alpine`, `debian`, `ubuntu`, `rhel`, `fedora`, `opensuse-leap`, `sles`…
    public var id: String
    /// `VERSION_ID`: `3.20.3`, `12`, `9.4`.
    public var versionID: String?
    public var prettyName: String?
    /// `VERSION_CODENAME` (`bookworm`) when known.
    public var codename: String?
    /// `ID_LIKE`, split on spaces.
    public var idLike: [String]

    public init(id: String, versionID: String? = nil, prettyName: String? = nil, codename: String? = nil,
                idLike: [String] = []) {
        self.id = id
        self.versionID = versionID
        self.prettyName = prettyName
        self.codename = codename
        self.idLike = idLike
    }

    /// The `distro` qualifier purls carry: `alpine-3.20.3`, `debian-12`.
    public var purlQualifier: String {
        guard let versionID, !versionID.isEmpty else { return id }
        return "\(id)-\(versionID)"
    }

    enum CodingKeys: String, CodingKey { case id, versionID, prettyName, codename, idLike }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(String.self, forKey: .id),
                  versionID: try c.decodeIfPresent(String.self, forKey: .versionID),
                  prettyName: try c.decodeIfPresent(String.self, forKey: .prettyName),
                  codename: try c.decodeIfPresent(String.self, forKey: .codename),
                  idLike: try c.decodeIfPresent([String].self, forKey: .idLike) ?? [])
    }
}
