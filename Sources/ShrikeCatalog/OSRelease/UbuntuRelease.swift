/// Ubuntu's releases: codename ↔ version, the one table detection (`lsb-release`, `VERSION_CODENAME`) and the
/// Ubuntu CVE Tracker (which names releases by codename) share.
public enum UbuntuRelease {
    /// Every release Canonical has published, oldest first (from https://wiki.ubuntu.com/Releases).
    public static let all: [(codename: String, version: String)] = [
        ("warty", "4.10"), ("hoary", "5.04"), ("breezy", "5.10"), ("dapper", "6.06"), ("edgy", "6.10"),
        ("feisty", "7.04"), ("gutsy", "7.10"), ("hardy", "8.04"), ("intrepid", "8.10"), ("jaunty", "9.04"),
        ("karmic", "9.10"), ("lucid", "10.04"), ("maverick", "10.10"), ("natty", "11.04"), ("oneiric", "11.10"),
        ("precise", "12.04"), ("quantal", "12.10"), ("raring", "13.04"), ("saucy", "13.10"), ("trusty", "14.04"),
        ("utopic", "14.10"), ("vivid", "15.04"), ("wily", "15.10"), ("xenial", "16.04"), ("yakkety", "16.10"),
        ("zesty", "17.04"), ("artful", "17.10"), ("bionic", "18.04"), ("cosmic", "18.10"), ("disco", "19.04"),
        ("eoan", "19.10"), ("focal", "20.04"), ("groovy", "20.10"), ("hirsute", "21.04"), ("impish", "21.10"),
        ("jammy", "22.04"), ("kinetic", "22.10"), ("lunar", "23.04"), ("mantic", "23.10"), ("noble", "24.04"),
        ("oracular", "24.10"), ("plucky", "25.04"), ("questing", "25.10"),
    ]

    private static let versionByCodename: [String: String] = Dictionary(all.map { ($0.codename, $0.version) },
                                                                        uniquingKeysWith: { first, _ in first })
    private static let codenameByVersion: [String: String] = Dictionary(all.map { ($0.version, $0.codename) },
                                                                        uniquingKeysWith: { first, _ in first })

    /// `bionic` → `18.04`; nil for a codename this table does not know.
    public static func version(ofCodename codename: String) -> String? { versionByCodename[codename.lowercased()] }

    /// `18.04` → `bionic`; point releases count as their release (`18.04.6` → `bionic`).
    public static func codename(ofVersion version: String) -> String? {
        let parts = version.split(separator: ".")
        guard parts.count >= 2 else { return nil }
        return codenameByVersion["\(parts[0]).\(parts[1])"]
    }
}
