import Foundation
import ShrikeCore

/// Whose OVAL a document is, and each vendor's conventions: how a criterion says which release it is about, which
/// references are the vendor's advisories, and what Microsoft's `patchable` means.
enum OVALVendor: String, Sendable {
    /// Microsoft's Azure Linux 3 and CBL-Mariner 1/2 (`oval:com.microsoft.azurelinux:…`, `oval:com.microsoft.cbl-mariner:…`).
    case azureLinux = "azurelinux"
    /// Oracle Linux ELSA (`oval:com.oracle.elsa:…`).
    case oracle
    /// Red Hat OVAL v2 (`oval:com.redhat.rhsa:…`, `…rhba…`, `…cve…`, `…unaffected…`).
    case redHat = "redhat"
    /// SUSE Linux Enterprise and openSUSE (`oval:org.opensuse.security:…`).
    case suse

    /// The vendor of a definition id `oval:<organisation>:def:<n>`, or nil for OVAL Shrike does not read (Ubuntu's
    /// and Debian's use dpkg tests; CIS benchmarks are not advisories).
    init?(definitionID: String) {
        let parts = definitionID.split(separator: ":")
        guard parts.count >= 2, parts[0] == "oval" else { return nil }
        let organisation = parts[1].lowercased()
        if organisation.hasPrefix("com.microsoft.") {
            self = .azureLinux
        } else if organisation.hasPrefix("com.oracle.") {
            self = .oracle
        } else if organisation.hasPrefix("com.redhat.") {
            self = .redHat
        } else if organisation.hasPrefix("org.opensuse.") || organisation.hasPrefix("com.suse.") {
            self = .suse
        } else {
            return nil
        }
    }

    /// Binary rpm names everywhere except Microsoft's, whose objects name source rpms.
    var namesSourcePackages: Bool { self == .azureLinux }

    /// A release test's verdict: the namespace it selects, nil when the product is one Shrike does not match
    /// (Red Hat CoreOS, SUSE Desktop or SAP), and a rank when one vendor names a release through several products
    /// (`sles-release` before a module before LTSS: LTSS fixes reach only LTSS subscribers).
    struct Release: Hashable {
        var namespace: String?
        var product: String
        var rank: Int
    }

    /// Whether an rpm name is a product's release package, whose version says which release is installed.
    static func isReleasePackage(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix("-release") || lower.hasPrefix("redhat-release") || lower == "enterprise-release"
    }

    /// The release a `<release package> version <op> <value>` test selects (`oraclelinux-release` `^9`,
    /// `sles-release` `15.5`, Red Hat's `/etc/redhat-release` owner `^9[^\d]`).
    func release(package: String, version: OVALEntity, comment: String?) -> Release? {
        let lower = package.lowercased()
        let product = comment ?? package
        switch self {
        case .oracle:
            guard lower == "oraclelinux-release" || lower == "enterprise-release" else {
                return Release(namespace: nil, product: product, rank: 0)
            }
            return Self.leadingNumber(version.value).map { Release(namespace: "oracle:\($0)", product: product, rank: 0) }
        case .redHat:
            // `redhat-release`, `redhat-release-server` (OVAL v1); CoreOS and other products are not RHEL.
            guard lower.hasPrefix("redhat-release"), !lower.contains("coreos") else {
                return Release(namespace: nil, product: product, rank: 0)
            }
            return Self.leadingNumber(version.value).map { Release(namespace: "redhat:\($0)", product: product, rank: 0) }
        case .suse:
            let value = version.value.trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty, value.allSatisfy({ $0.isNumber || $0 == "." }) else { return nil }
            if lower == "sles-release" { return Release(namespace: "sles:\(value)", product: product, rank: 0) }
            if lower.hasPrefix("sle-module-") { return Release(namespace: "sles:\(value)", product: product, rank: 1) }
            if lower == "sles-ltss-release" { return Release(namespace: "sles:\(value)", product: product, rank: 2) }
            if lower == "opensuse-release" || lower == "opensuse-leap-release" {
                return Release(namespace: "opensuse-leap:\(value)", product: product, rank: 0)
            }
            return Release(namespace: nil, product: product, rank: 0)
        case .azureLinux:
            return nil
        }
    }

    /// The release a criterion's comment names, for tests whose state does not say it (`Oracle Linux 9 is installed`,
    /// `Red Hat Enterprise Linux 9 is installed`, `SUSE Linux Enterprise Server 15 SP5 is installed`).
    func release(comment: String) -> Release? {
        guard comment.hasSuffix(" is installed") else { return nil }
        let product = String(comment.dropLast(" is installed".count))
        return namespace(platform: product).map { Release(namespace: $0, product: product, rank: 0) }
    }

    /// The namespace a metadata `<platform>` names, when it names exactly one release Shrike matches.
    func namespace(platform: String) -> String? {
        let words = platform.split(separator: " ").map(String.init)
        switch self {
        case .oracle:
            guard words.count == 3, words[0] == "Oracle", words[1] == "Linux", words[2].allSatisfy(\.isNumber) else { return nil }
            return "oracle:\(words[2])"
        case .redHat:
            guard platform.hasPrefix("Red Hat Enterprise Linux "), let last = words.last, last.allSatisfy(\.isNumber) else { return nil }
            return "redhat:\(last)"
        case .suse:
            if platform.hasPrefix("openSUSE Leap "), let last = words.last, last.allSatisfy({ $0.isNumber || $0 == "." }) {
                return "opensuse-leap:\(last)"
            }
            // `SUSE Linux Enterprise Server 15`, `… 15 SP5`, `… 15 SP1-LTSS`: the server itself, not SAP or HPC.
            guard words.count >= 5, words[0...3] == ["SUSE", "Linux", "Enterprise", "Server"] else { return nil }
            let major = words[4].split(separator: "-").first.map(String.init) ?? words[4]
            guard major.allSatisfy(\.isNumber) else { return nil }
            if words.count == 5 { return "sles:\(major)" }
            guard words.count == 6, words[5].hasPrefix("SP") else { return nil }
            let servicePack = words[5].dropFirst(2).split(separator: "-").first.map(String.init) ?? ""
            guard !servicePack.isEmpty, servicePack.allSatisfy(\.isNumber) else { return nil }
            return "sles:\(major).\(servicePack)"
        case .azureLinux:
            return nil
        }
    }

    /// `^9`, `^7[^\d]`, `8` → the leading release number.
    private static func leadingNumber(_ pattern: String) -> String? {
        let digits = pattern.drop { !$0.isNumber }.prefix { $0.isNumber }
        return digits.isEmpty ? nil : String(digits)
    }

    /// The vendor advisory ids of a definition: Microsoft's `advisory_id` as written, Red Hat's RHSA/RHBA/RHEA,
    /// Oracle's ELSA/ELBA/ELEA and SUSE's SUSE-SU/openSUSE-SU references.
    func advisories(of definition: OVALDefinition) -> [String] {
        var ids: [String] = []
        func add(_ id: String) { if !id.isEmpty, !ids.contains(id) { ids.append(id) } }
        switch self {
        case .azureLinux:
            if let id = definition.advisoryID { add(id) }
        case .redHat, .oracle:
            let prefixes = self == .redHat ? ["RHSA-", "RHBA-", "RHEA-"] : ["ELSA-", "ELBA-", "ELEA-"]
            for reference in definition.references where prefixes.contains(where: { reference.id.hasPrefix($0) }) { add(reference.id) }
        case .suse:
            for reference in definition.references
            where reference.id.hasPrefix("SUSE-SU-") || reference.id.hasPrefix("openSUSE-SU-") { add(reference.id) }
        }
        return ids
    }

    /// Azure Linux's release: every fixed version carries its dist tag (`.cm1`, `.cm2`, `.azl3`), which names the
    /// release better than anything else in the file (the platform says only `CBL-Mariner` or `Azure Linux`); the
    /// file name (`cbl-mariner-2.0-oval.xml`, `azurelinux-3.0-oval.xml`) is the fallback.
    static func azureRelease(of document: OVALDocument, file: String) throws -> String {
        var counts: [String: Int] = [:]
        for state in document.states.values {
            guard let evr = state.entities["evr"]?.value, let tag = evr.split(separator: ".").last else { continue }
            if tag.hasPrefix("azl"), let major = Int(tag.dropFirst(3)) {
                counts["azurelinux:\(major).0", default: 0] += 1
            } else if tag.hasPrefix("cm"), let major = Int(tag.dropFirst(2)) {
                counts["mariner:\(major).0", default: 0] += 1
            }
        }
        if let best = counts.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) { return best.key }
        let name = (file as NSString).lastPathComponent.lowercased()
        let product = (document.productName ?? "").lowercased()
        let version = name.split(whereSeparator: { $0 == "-" || $0 == "_" })
            .first { part in part.contains(".") && part.allSatisfy { $0.isNumber || $0 == "." } }
        if let version {
            if name.contains("mariner") || product.contains("mariner") { return "mariner:\(version)" }
            if name.contains("azurelinux") || product.contains("azure linux") { return "azurelinux:\(version)" }
        }
        throw ShrikeError(.malformed, "cannot tell which Azure Linux or CBL-Mariner release this OVAL covers: no fixed version carries a .cmN or .azlN tag and the file name holds no release (name it like azurelinux-3.0-oval.xml)", input: file)
    }
}
