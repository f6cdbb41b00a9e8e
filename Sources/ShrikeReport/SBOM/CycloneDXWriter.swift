import Foundation
import ShrikeCatalog
import ShrikeCore
import ShrikeImage

/// Writes a CycloneDX 1.6 JSON BOM that validates against the official schema (strictly: no unknown keys).
///
/// The scanned image (`container`) or directory (`file`) is `metadata.component`; the distribution is an
/// `operating-system` component and each package a `library` component whose `bom-ref` is its purl (with `#2`, `#3`…
/// appended when the same purl occurs again, e.g. one package recorded in two databases). Layer, locations and source
/// package ride in `shrike:` properties. `clock` and `makeUUID` give `metadata.timestamp` and `serialNumber`; inject
/// fixed ones for reproducible output.
public struct CycloneDXWriter: SBOMWriter {
    public let toolVersion: String
    private let clock: @Sendable () -> Date
    private let makeUUID: @Sendable () -> UUID

    public init(toolVersion: String = ShrikeTool.version, clock: @escaping @Sendable () -> Date = { Date() },
                makeUUID: @escaping @Sendable () -> UUID = { UUID() }) {
        self.toolVersion = toolVersion
        self.clock = clock
        self.makeUUID = makeUUID
    }

    public func write(_ sbom: SBOM) throws -> [UInt8] {
        try JSONOutput.encode(document(for: sbom), format: "cyclonedx-json")
    }

    func document(for sbom: SBOM) -> BOM {
        var refs = UniqueNames()
        let root = rootComponent(sbom.source, refs: &refs)
        var components: [Component] = []
        if let distro = sbom.distro {
            var properties: [Property] = []
            if let codename = distro.codename { properties.append(Property("shrike:distro:codename", codename)) }
            components.append(Component(
                type: "operating-system",
                bomRef: refs.claim("os:" + distro.purlQualifier, separator: "#"),
                name: distro.id, version: distro.versionID, description: distro.prettyName,
                properties: properties.isEmpty ? nil : properties))
        }
        var provides: [String: [String]] = [:]
        for owned in sbom.ownedLanguagePackages {
            if let owner = owned.ownedBy { provides[owner, default: []].append(owned.purl.description) }
        }
        for package in sbom.packages {
            components.append(component(for: package, provides: provides[package.purl.description] ?? [], refs: &refs))
        }
        let tool = Component(type: "application", bomRef: nil, name: ShrikeTool.name, version: toolVersion)
        return BOM(
            serialNumber: "urn:uuid:" + makeUUID().uuidString.lowercased(),
            metadata: Metadata(timestamp: RFC3339.string(from: clock()), tools: Tools(components: [tool]),
                               component: root),
            components: components,
            dependencies: [Dependency(ref: root.bomRef ?? "", dependsOn: components.compactMap(\.bomRef))])
    }

    private func rootComponent(_ source: SourceDescription, refs: inout UniqueNames) -> Component {
        let subject = SBOMSubject(source: source)
        var properties = [Property("shrike:source:type", source.type), Property("shrike:source:path", source.path)]
        guard subject.isImage else {
            return Component(type: "file", bomRef: refs.claim("dir:" + source.path, separator: "#"),
                             name: subject.name, properties: properties)
        }
        if let imageID = source.imageID { properties.append(Property("shrike:image:id", imageID.description)) }
        properties += source.tags.map { Property("shrike:image:tag", $0) }
        properties += source.layers.map { Property("shrike:image:layer", $0.description) }
        if let architecture = source.architecture { properties.append(Property("shrike:image:architecture", architecture)) }
        if let os = source.os { properties.append(Property("shrike:image:os", os)) }
        let identity = source.digest?.description ?? source.path
        return Component(type: "container", bomRef: refs.claim("image:" + identity, separator: "#"),
                         name: subject.name, version: source.digest?.description, properties: properties)
    }

    /// `provides`: purls of language packages this OS package installed (`shrike:provides` properties), which are not
    /// components of their own.
    private func component(for package: Package, provides: [String], refs: inout UniqueNames) -> Component {
        let purl = package.purl.description
        var properties = [Property("shrike:package:type", package.type.rawValue)]
        if let layer = package.layer { properties.append(Property("shrike:layer", layer.description)) }
        properties += package.locations.map { Property("shrike:location", $0) }
        if let sourceName = package.sourceName { properties.append(Property("shrike:sourceName", sourceName)) }
        if let sourceVersion = package.sourceVersion {
            properties.append(Property("shrike:sourceVersion", sourceVersion))
        }
        if let architecture = package.architecture { properties.append(Property("shrike:architecture", architecture)) }
        if let modularityLabel = package.modularityLabel {
            properties.append(Property("shrike:rpm:modularityLabel", modularityLabel))
        }
        properties += provides.map { Property("shrike:provides", $0) }
        let licenses = Self.licenseChoices(package.licenses)
        return Component(type: "library", bomRef: refs.claim(purl, separator: "#"), name: package.name,
                         version: package.version, publisher: package.vendor, purl: purl,
                         licenses: licenses.isEmpty ? nil : licenses, properties: properties)
    }

    /// CycloneDX allows either licenses (by SPDX `id` or free `name`) or exactly one `expression`, never both.
    ///
    /// A lone listed id is an `id`; when every string is a valid SPDX expression and one is compound, they become a
    /// single `expression` joined with AND; otherwise each string is an `id` when it is a listed id, else a `name`.
    static func licenseChoices(_ strings: [String]) -> [LicenseChoice] {
        let cleaned = strings.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        let parsed = cleaned.map { SPDXLicenseExpression(parsing: $0) }
        let allValid = parsed.allSatisfy { $0 != nil }
        let anyCompound = parsed.contains { $0 != nil && $0?.singleLicenseID == nil }
        if allValid, anyCompound, let all = SPDXLicenseExpression.all(parsed.compactMap { $0 }) {
            return [.expression(all.description)]
        }
        var seen = Set<String>()
        return zip(cleaned, parsed).compactMap { text, expression in
            let choice: LicenseChoice = expression?.singleLicenseID.map { .id($0) } ?? .name(text)
            return seen.insert(choice.key).inserted ? choice : nil
        }
    }

    // MARK: Document model (field names as the 1.6 schema spells them)

    struct BOM: Encodable {
        let schema = "http://cyclonedx.org/schema/bom-1.6.schema.json"
        let bomFormat = "CycloneDX"
        let specVersion = "1.6"
        let serialNumber: String
        let version = 1
        let metadata: Metadata
        let components: [Component]
        let dependencies: [Dependency]

        enum CodingKeys: String, CodingKey {
            case schema = "$schema", bomFormat, specVersion, serialNumber, version, metadata, components, dependencies
        }
    }

    struct Metadata: Encodable {
        let timestamp: String
        let tools: Tools
        let component: Component
    }

    struct Tools: Encodable {
        let components: [Component]
    }

    struct Component: Encodable {
        let type: String
        let bomRef: String?
        let name: String
        var version: String? = nil
        var description: String? = nil
        var publisher: String? = nil
        var purl: String? = nil
        var licenses: [LicenseChoice]? = nil
        var properties: [Property]? = nil

        enum CodingKeys: String, CodingKey {
            case type, bomRef = "bom-ref", name, version, description, publisher, purl, licenses, properties
        }
    }

    enum LicenseChoice: Encodable, Equatable {
        case id(String)
        case name(String)
        case expression(String)

        var key: String {
            switch self {
            case .id(let id): "id:" + id
            case .name(let name): "name:" + name
            case .expression(let expression): "expression:" + expression
            }
        }

        private enum Keys: String, CodingKey { case license, expression, id, name }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            switch self {
            case .id(let id):
                var license = c.nestedContainer(keyedBy: Keys.self, forKey: .license)
                try license.encode(id, forKey: .id)
            case .name(let name):
                var license = c.nestedContainer(keyedBy: Keys.self, forKey: .license)
                try license.encode(name, forKey: .name)
            case .expression(let expression):
                try c.encode(expression, forKey: .expression)
            }
        }
    }

    struct Property: Encodable {
        let name: String
        let value: String
        init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    struct Dependency: Encodable {
        let ref: String
        let dependsOn: [String]
    }
}
