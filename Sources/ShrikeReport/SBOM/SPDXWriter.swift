import Foundation
import ShrikeCatalog
import ShrikeCore
import ShrikeImage

/// Writes an SPDX 2.3 JSON document that `pyspdxtools -i` accepts.
///
/// The scanned image or directory is the root package the document DESCRIBES; it CONTAINS the distribution and every
/// package. Package license strings that are valid SPDX expressions go into `licenseDeclared` as they are (ids in the
/// SPDX list's spelling); the others (`GPLv2+`, `BSD`) become `LicenseRef-…` ids with the original text in
/// `hasExtractedLicensingInfos`, so nothing is lost and the document still validates. `clock` and `makeUUID` give
/// `creationInfo.created` and the namespace's unique part; inject fixed ones for reproducible output.
public struct SPDXWriter: SBOMWriter {
    public let toolVersion: String
    /// The namespace URI prefix; the document's name and a UUID are appended.
    public let namespaceBase: String
    private let clock: @Sendable () -> Date
    private let makeUUID: @Sendable () -> UUID

    public init(toolVersion: String = ShrikeTool.version, namespaceBase: String = "https://spdx.org/spdxdocs/shrike",
                clock: @escaping @Sendable () -> Date = { Date() },
                makeUUID: @escaping @Sendable () -> UUID = { UUID() }) {
        self.toolVersion = toolVersion
        self.namespaceBase = namespaceBase
        self.clock = clock
        self.makeUUID = makeUUID
    }

    public func write(_ sbom: SBOM) throws -> [UInt8] {
        try JSONOutput.encode(document(for: sbom), format: "spdx-json")
    }

    func document(for sbom: SBOM) -> Document {
        let subject = SBOMSubject(source: sbom.source)
        var ids = UniqueNames()
        let root = rootPackage(sbom.source, subject: subject, ids: &ids)
        let licenseRefs = LicenseRefs(packages: sbom.packages)

        var packages = [root]
        if let distro = sbom.distro {
            packages.append(SPDXPackage(
                spdxID: ids.claim("SPDXRef-OperatingSystem-" + Self.idSafe(distro.purlQualifier)),
                name: distro.id, versionInfo: distro.versionID, description: distro.prettyName,
                primaryPackagePurpose: "OPERATING-SYSTEM"))
        }
        for package in sbom.packages {
            let id = ids.claim("SPDXRef-Package-" + Self.idSafe("\(package.type.rawValue)-\(package.name)-\(package.version)"))
            var comment: String?
            if let layer = package.layer { comment = "layer: \(layer)" }
            packages.append(SPDXPackage(
                spdxID: id, name: package.name, versionInfo: package.version,
                licenseDeclared: licenseRefs.declared(package.licenses),
                sourceInfo: package.locations.isEmpty
                    ? nil : "recorded in: " + package.locations.joined(separator: ", "),
                comment: comment,
                externalRefs: [ExternalRef(referenceCategory: "PACKAGE-MANAGER", referenceType: "purl",
                                           referenceLocator: package.purl.description)]))
        }

        var relationships = [Relationship(spdxElementId: "SPDXRef-DOCUMENT", relationshipType: "DESCRIBES",
                                          relatedSpdxElement: root.spdxID)]
        relationships += packages.dropFirst().map {
            Relationship(spdxElementId: root.spdxID, relationshipType: "CONTAINS", relatedSpdxElement: $0.spdxID)
        }
        let extracted = licenseRefs.extracted
        return Document(
            name: subject.title,
            documentNamespace: namespaceBase + "/" + Self.idSafe(subject.title) + "-" + makeUUID().uuidString.lowercased(),
            creationInfo: CreationInfo(created: RFC3339.string(from: clock()),
                                       creators: ["Tool: \(ShrikeTool.name)-\(toolVersion)"]),
            packages: packages, relationships: relationships,
            hasExtractedLicensingInfos: extracted.isEmpty ? nil : extracted)
    }

    private func rootPackage(_ source: SourceDescription, subject: SBOMSubject, ids: inout UniqueNames) -> SPDXPackage {
        guard subject.isImage else {
            return SPDXPackage(spdxID: ids.claim("SPDXRef-DocumentRoot-Directory"), name: subject.name,
                               comment: "directory \(source.path)")
        }
        var notes = ["\(source.type) \(source.path)"]
        if let imageID = source.imageID { notes.append("image id \(imageID)") }
        if !source.tags.isEmpty { notes.append("tags " + source.tags.joined(separator: ", ")) }
        return SPDXPackage(spdxID: ids.claim("SPDXRef-DocumentRoot-Image"), name: subject.name,
                           versionInfo: source.digest?.description, comment: notes.joined(separator: "; "),
                           primaryPackagePurpose: "CONTAINER")
    }

    /// SPDX ids and LicenseRef ids allow only letters, digits, `.` and `-`; `+` becomes `-plus`, runs of others `-`.
    static func idSafe(_ text: String) -> String {
        var out = ""
        var lastWasDash = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".":
                out.unicodeScalars.append(scalar)
                lastWasDash = false
            case "+":
                out += lastWasDash ? "plus" : "-plus"
                lastWasDash = false
            default:
                if !lastWasDash { out += "-" }
                lastWasDash = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        while out.hasPrefix("-") { out.removeFirst() }
        return out.isEmpty ? "unnamed" : out
    }

    /// Maps license strings that are not SPDX expressions to document-wide `LicenseRef-` ids.
    ///
    /// Ids are assigned over the sorted distinct strings, so they depend only on which strings occur.
    struct LicenseRefs {
        private var refs: [String: String] = [:]

        init(packages: [Package]) {
            let invalid = Set(packages.flatMap(\.licenses).map(Self.clean).filter {
                !$0.isEmpty && SPDXLicenseExpression(parsing: $0) == nil
            })
            var names = UniqueNames()
            for text in invalid.sorted() {
                refs[text] = names.claim("LicenseRef-" + SPDXWriter.idSafe(text))
            }
        }

        static func clean(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

        /// `licenseDeclared`: all the package's licenses ANDed, or NOASSERTION when it lists none.
        func declared(_ licenses: [String]) -> String {
            var expressions: [SPDXLicenseExpression] = []
            var licenseRefs: [String] = []
            for text in licenses.map(Self.clean) where !text.isEmpty {
                if let expression = SPDXLicenseExpression(parsing: text) {
                    if !expressions.contains(expression) { expressions.append(expression) }
                } else if let ref = refs[text], !licenseRefs.contains(ref) {
                    licenseRefs.append(ref)
                }
            }
            var terms: [String] = []
            if let combined = SPDXLicenseExpression.all(expressions) {
                // AND binds tighter than OR: a lone OR expression needs parentheses once LicenseRefs are ANDed on.
                if case .or = combined.root, !licenseRefs.isEmpty {
                    terms.append("(" + combined.description + ")")
                } else {
                    terms.append(combined.description)
                }
            }
            terms += licenseRefs
            return terms.isEmpty ? "NOASSERTION" : terms.joined(separator: " AND ")
        }

        var extracted: [ExtractedLicense] {
            refs.map { ExtractedLicense(licenseId: $0.value, extractedText: $0.key, name: $0.key) }
                .sorted { $0.licenseId < $1.licenseId }
        }
    }

    // MARK: Document model (field names as the SPDX 2.3 JSON schema spells them)

    struct Document: Encodable {
        let spdxVersion = "SPDX-2.3"
        let dataLicense = "CC0-1.0"
        let spdxID = "SPDXRef-DOCUMENT"
        let name: String
        let documentNamespace: String
        let creationInfo: CreationInfo
        let packages: [SPDXPackage]
        let relationships: [Relationship]
        let hasExtractedLicensingInfos: [ExtractedLicense]?

        enum CodingKeys: String, CodingKey {
            case spdxVersion, dataLicense, spdxID = "SPDXID", name, documentNamespace, creationInfo, packages,
                 relationships, hasExtractedLicensingInfos
        }
    }

    struct CreationInfo: Encodable {
        let created: String
        let creators: [String]
    }

    struct SPDXPackage: Encodable {
        let spdxID: String
        let name: String
        var versionInfo: String? = nil
        var supplier = "NOASSERTION"
        var originator = "NOASSERTION"
        var downloadLocation = "NOASSERTION"
        var filesAnalyzed = false
        var licenseConcluded = "NOASSERTION"
        var licenseDeclared = "NOASSERTION"
        var copyrightText = "NOASSERTION"
        var description: String? = nil
        var sourceInfo: String? = nil
        var comment: String? = nil
        var primaryPackagePurpose: String? = nil
        var externalRefs: [ExternalRef]? = nil

        enum CodingKeys: String, CodingKey {
            case spdxID = "SPDXID", name, versionInfo, supplier, originator, downloadLocation, filesAnalyzed,
                 licenseConcluded, licenseDeclared, copyrightText, description, sourceInfo, comment,
                 primaryPackagePurpose, externalRefs
        }
    }

    struct ExternalRef: Encodable {
        let referenceCategory: String
        let referenceType: String
        let referenceLocator: String
    }

    struct Relationship: Encodable {
        let spdxElementId: String
        let relationshipType: String
        let relatedSpdxElement: String
    }

    struct ExtractedLicense: Encodable {
        let licenseId: String
        let extractedText: String
        let name: String
    }
}
