import Foundation
import ShrikeCore

/// The product tree of a CSAF document: products (platforms with a CPE, components with a purl) and the
/// `default_component_of` relationships that name each (component, platform) pair with a full product id.
extension CSAFVEXParser {
    /// One entry of `product_tree.branches` (or `full_product_names`).
    struct Product: Sendable, Equatable {
        var name: String
        var cpe: String?
        var purl: String?
    }

    /// A full product id's parts, from its relationship.
    struct Relationship: Sendable, Equatable {
        var component: String
        var platform: String
    }

    struct ProductTree: Sendable {
        var products: [String: Product] = [:]
        var relationships: [String: Relationship] = [:]
        /// Relationships that could not be resolved, as messages (the caller files them under the document).
        var failures: [String] = []
        /// The full product ids of those relationships: already reported, so the statuses naming them are not again.
        var unresolved: Set<String> = []

        /// Reads `product_tree`; throws only when it is not an object. Products are found at any depth: Red Hat's
        /// older documents nest vendor → product_family → product_name and vendor → architecture → product_version,
        /// the CSAF Generator's put product_name and product_version directly under the vendor.
        init(_ tree: AdvisoryDocument) throws {
            guard tree.object != nil else { throw AdvisoryDocument.shapeError("'product_tree' must be an object") }
            collect(tree["branches"]?.array ?? [])
            for entry in tree["full_product_names"]?.array ?? [] { add(entry) }
            for (index, relation) in (tree["relationships"]?.array ?? []).enumerated() {
                guard let id = relation["full_product_name"]?["product_id"]?.string,
                      let component = relation["product_reference"]?.string,
                      let platform = relation["relates_to_product_reference"]?.string else {
                    failures.append("relationship \(index) lacks full_product_name.product_id, product_reference or relates_to_product_reference")
                    continue
                }
                // Red Hat uses only default_component_of; the other CSAF categories (bundled_with, installed_on…)
                // still pair a component with a platform, so they resolve the same way.
                let missing = [component, platform].filter { products[$0] == nil }
                guard missing.isEmpty else {
                    unresolved.insert(id)
                    failures.append("relationship '\(id)' refers to \(missing.map { "'\($0)'" }.joined(separator: " and ")), which the product tree does not define")
                    continue
                }
                relationships[id] = Relationship(component: component, platform: platform)
            }
        }

        private mutating func collect(_ branches: [AdvisoryDocument]) {
            for branch in branches {
                if branch["product"] != nil { add(branch["product"] ?? .null) }
                collect(branch["branches"]?.array ?? [])
            }
        }

        private mutating func add(_ product: AdvisoryDocument) {
            guard let id = product["product_id"]?.string else { return }
            let helper = product["product_identification_helper"]
            products[id] = Product(name: product["name"]?.string ?? id, cpe: helper?["cpe"]?.string,
                                   purl: helper?["purl"]?.string)
        }
    }

    // MARK: - Platforms

    /// A RHEL major release and the kind of stream a product of it is.
    struct RHELStream: Sendable, Equatable {
        /// Which stream's statements a package's record is built from: the lowest tier that has any.
        enum Tier: Int, Sendable, Comparable {
            /// `enterprise_linux:N` (the GA composes and z-streams every RHEL N system follows), and `rhel_e6s:8.10`,
            /// which is what Red Hat names RHEL 8.10's z-stream, the last minor and so RHEL 8's main line, in some
            /// documents.
            case main = 0
            /// `rhel_els:N`: Extended Life-cycle Support, the only stream Red Hat still publishes for RHEL 6 and 7.
            case extendedLife = 1
            /// `rhel_eus`, `rhel_aus`, `rhel_e4s`, `rhel_tus`, `rhel_eus_long_life` `:N.M`: one minor release kept
            /// alive for subscribers; its builds (`.el9_2`) are not what a RHEL 9 system on the main line runs.
            case pinnedMinor = 2

            static func < (lhs: Tier, rhs: Tier) -> Bool { lhs.rawValue < rhs.rawValue }
        }

        var major: String
        var tier: Tier
        var namespace: String { "redhat:\(major)" }
    }

    /// The RHEL stream a platform CPE names, or nil for every other product (OpenShift, Satellite, Software
    /// Collections, layered products' `::el9` CPEs, RHEL for Edge…). Reads CPE 2.2 URIs (`cpe:/o:redhat:enterprise_linux:9::baseos`,
    /// as Red Hat writes them) and CPE 2.3 strings.
    static func stream(ofCPE cpe: String) -> RHELStream? {
        let parts = cpe.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let vendor: String, product: String, version: String
        if parts.count >= 6, parts[0] == "cpe", parts[1] == "2.3" {
            (vendor, product, version) = (parts[3], parts[4], parts[5])
        } else if parts.count >= 5, parts[0] == "cpe", parts[1].hasPrefix("/") {
            (vendor, product, version) = (parts[2], parts[3], parts[4])
        } else {
            return nil
        }
        guard vendor == "redhat" else { return nil }
        let major = String(version.prefix { $0.isASCII && $0.isNumber })
        guard !major.isEmpty else { return nil }
        switch product {
        case "enterprise_linux", "rhel_e6s": return RHELStream(major: major, tier: .main)
        case "rhel_els": return RHELStream(major: major, tier: .extendedLife)
        case "rhel_eus", "rhel_aus", "rhel_e4s", "rhel_tus", "rhel_eus_long_life":
            return RHELStream(major: major, tier: .pinnedMinor)
        default: return nil
        }
    }

    // MARK: - Components

    /// An rpm named by a component's purl.
    struct RpmComponent: Sendable, Equatable {
        var name: String
        /// `[epoch:]version-release`, zero epoch left out; nil for the unversioned entries of unfixed components.
        var evr: String?
        /// `arch=src`: the source rpm. Binary rpms carry their arch (older documents), `upstream=<source rpm>`
        /// (CSAF Generator 3) or nothing (CSAF Generator 2).
        var isSource: Bool
        /// The module stream (`redis:6`) from `rpmmod=redis:6:8100020250113083959:489197e6`.
        var moduleStream: String?
    }

    /// Why a component is not an rpm Shrike can match.
    enum ComponentSkip: String, Sendable, CaseIterable {
        case notRPM = "components that are not rpms (containers, language packages)"
        case moduleBuild = "module builds (name:stream entries, not rpms)"
        case flatpak = "flatpak builds"
        case noPurl = "components without a purl"
    }

    enum ComponentReading: Sendable, Equatable {
        case rpm(RpmComponent)
        /// With the rpm name when the purl gives one: a skipped module build still says the name's tier has data.
        case skipped(ComponentSkip, name: String?)
        case invalid(String)
    }

    /// Reads a component's purl: `pkg:rpm/redhat/openssl@3.0.7-18.el9_2?arch=src&epoch=1`,
    /// `pkg:rpm/redhat/libcurl@7.76.1-26.el9_3.2?epoch=0&upstream=curl`, `pkg:rpm/redhat/libtiff-devel` (an unfixed
    /// binary), `pkg:rpm/redhat/redis@6.2.17-1.module%2Bel8.10.0%2B22680%2B748527fd?arch=x86_64&rpmmod=redis:6:…`.
    static func component(purl: String?) -> ComponentReading {
        guard let purl else { return .skipped(.noPurl, name: nil) }
        guard purl.hasPrefix("pkg:"), let slash = purl.firstIndex(of: "/") else {
            return .invalid("'\(purl)' is not a package URL")
        }
        let type = purl[purl.index(purl.startIndex, offsetBy: 4)..<slash].lowercased()
        if type == "rpmmod" { return .skipped(.moduleBuild, name: nil) }
        guard type == "rpm" else { return .skipped(.notRPM, name: nil) }
        var rest = Substring(purl[purl.index(after: slash)...])
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        var qualifiers: [String: String] = [:]
        if let question = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: question)...].split(separator: "&") {
                let keyValue = pair.split(separator: "=", maxSplits: 1)
                guard keyValue.count == 2 else { continue }
                qualifiers[keyValue[0].lowercased()] = String(keyValue[1]).removingPercentEncoding ?? String(keyValue[1])
            }
            rest = rest[..<question]
        }
        var version: String?
        if let at = rest.lastIndex(of: "@") {
            version = String(rest[rest.index(after: at)...]).removingPercentEncoding
            rest = rest[..<at]
        }
        guard let encodedName = rest.split(separator: "/").last,
              let name = String(encodedName).removingPercentEncoding, !name.isEmpty else {
            return .invalid("'\(purl)' names no package")
        }
        let moduleStream = qualifiers["rpmmod"].map { value -> String in
            value.split(separator: ":").prefix(2).joined(separator: ":")
        }
        if name.hasSuffix("-flatpak") || moduleStream?.hasSuffix(":flatpak") == true { return .skipped(.flatpak, name: nil) }
        var evr: String?
        if let version, !version.isEmpty {
            guard let hyphen = version.lastIndex(of: "-") else {
                return .invalid("'\(purl)': version '\(version)' has no release (expected version-release)")
            }
            if isModuleBuildRelease(version[version.index(after: hyphen)...]) { return .skipped(.moduleBuild, name: name) }
            let epoch = qualifiers["epoch"] ?? "0"
            guard !epoch.isEmpty, epoch.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                return .invalid("'\(purl)': epoch '\(epoch)' is not a number")
            }
            // A zero epoch is left out, as rpm prints it and the other rpm importers store it.
            evr = (Int(epoch) == 0 ? "" : "\(epoch):") + version
        }
        return .rpm(RpmComponent(name: name, evr: evr, isSource: qualifiers["arch"] == "src", moduleStream: moduleStream))
    }

    /// A module's own build (`python39@3.9-8100020240826142629.d47b87a4`: module version and context in the
    /// release) rather than an rpm built in it.
    private static func isModuleBuildRelease(_ release: Substring) -> Bool {
        let parts = release.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        return parts[0].count >= 10 && parts[0].allSatisfy { $0.isASCII && $0.isNumber }
            && parts[1].count >= 6 && parts[1].allSatisfy(\.isHexDigit)
    }
}
