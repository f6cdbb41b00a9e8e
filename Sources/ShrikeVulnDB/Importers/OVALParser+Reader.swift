import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ShrikeCore

/// The parts of an OVAL 5 document the importer reads: definitions in document order, and tests, objects and states
/// by id (definitions refer to tests, tests to one object and their states, anywhere in the file).
struct OVALDocument {
    var productName: String?
    var definitions: [OVALDefinition] = []
    var tests: [String: OVALTest] = [:]
    var objects: [String: OVALObject] = [:]
    var states: [String: OVALState] = [:]
}

/// One `<definition>`: its metadata as the vendors write it and its criteria tree.
struct OVALDefinition {
    struct Reference {
        var source: String
        var id: String
        var url: String?
    }

    /// An `<advisory><cve cvss3="7.8/CVSS:3.1/…">CVE-…</cve>` entry (Red Hat, Oracle, SUSE).
    struct CVE {
        var text: String
        var cvss3: String?
    }

    /// Red Hat's `<resolution state="Will not fix"><component>…</component></resolution>` for unfixed CVEs.
    struct Resolution {
        var state: String
        var components: [String]
    }

    var id: String
    var definitionClass: String?
    var title: String?
    var platforms: [String] = []
    var references: [Reference] = []
    var description: String?
    var severity: String?
    /// Microsoft's `patchable`: `true`, `false` or `Not Applicable`.
    var patchable: String?
    /// Microsoft's `advisory_id` (`50124-1`).
    var advisoryID: String?
    var advisoryDate: String?
    var issued: String?
    var updated: String?
    var cves: [CVE] = []
    var resolutions: [Resolution] = []
    var criteria: OVALCriteria?
}

/// `<criteria operator="AND|OR">` with its children in order.
struct OVALCriteria {
    var isAnd: Bool
    var negate: Bool
    var children: [OVALCriteriaNode] = []
}

indirect enum OVALCriteriaNode {
    case criteria(OVALCriteria)
    case criterion(testRef: String, comment: String?, negate: Bool)
    case extendDefinition(definitionRef: String, negate: Bool)
}

/// A `*_test` element: its kind is the element's local name (`rpminfo_test`, `rpmverifyfile_test`, …).
struct OVALTest {
    var id: String
    var kind: String
    var comment: String?
    var check: String?
    var checkExistence: String?
    var objectRef: String?
    var stateRefs: [String] = []
}

/// One entity of an object or a state (`<evr datatype="evr_string" operation="less than">0:1.2-3</evr>`).
struct OVALEntity {
    var value: String
    /// OVAL's default operation is `equals`.
    var operation: String
    var datatype: String?
    /// Set when the value comes from a variable (`var_ref`), which this importer does not evaluate.
    var variableRef: String?
}

struct OVALObject {
    var id: String
    var kind: String
    var entities: [String: OVALEntity] = [:]
}

struct OVALState {
    var id: String
    var kind: String
    var entities: [String: OVALEntity] = [:]
}

/// Reads an OVAL document with `XMLParser`, event by event: no tree of the whole file is built, only the records
/// above, so a several-hundred-MB Red Hat file costs its definitions' metadata, not a DOM.
final class OVALDocumentReader: NSObject, XMLParserDelegate {
    private(set) var document = OVALDocument()
    private var rootName: String?
    /// Set when the root element's end tag is read: a download cut short ends before it, which `XMLParser` does not
    /// always report as an error.
    private var rootClosed = false
    private var failure: ShrikeError?
    private let file: String

    private var path: [String] = []
    private var text = ""
    private var capturing = false
    private var entityAttributes: [String: String] = [:]

    private var definition: OVALDefinition?
    private var criteriaStack: [OVALCriteria] = []
    private var cveAttributes: [String: String] = [:]
    private var resolution: OVALDefinition.Resolution?
    private var test: OVALTest?
    private var object: OVALObject?
    private var state: OVALState?

    private init(file: String) {
        self.file = file
    }

    /// Parses `data`; throws `malformed` when it is not well-formed XML (a truncated download ends mid-element) and
    /// `unsupportedFormat` when its root element is not `oval_definitions`.
    static func read(_ data: Data, file: String) throws -> OVALDocument {
        let reader = OVALDocumentReader(file: file)
        // XMLParser traps on bytes that are not UTF-8 (see XMLInputEncoding); refuse them first.
        try XMLInputEncoding.requireUTF8(data, input: file)
        // Fed as a stream: FoundationXML hands `XMLParser(data:)` to libxml2 in one piece, which refuses documents
        // past 10 MB ("huge input lookup"), while a stream goes in small chunks of any total size.
        let parser = XMLParser(stream: InputStream(data: data))
        parser.delegate = reader
        // OVAL never needs external entities; resolving them would let a file read local paths.
        parser.shouldResolveExternalEntities = false
        let parsed = parser.parse()
        if let failure = reader.failure { throw failure }
        guard parsed else {
            let reason = parser.parserError.map { ($0 as NSError).localizedDescription } ?? "unknown XML error"
            throw ShrikeError(.malformed, "not well-formed XML at line \(parser.lineNumber) (\(reason)); the file is truncated or is not an OVAL document", input: file)
        }
        guard reader.rootName == "oval_definitions" else {
            throw ShrikeError(.unsupportedFormat, "not an OVAL document (no oval_definitions root element)", input: file)
        }
        guard reader.rootClosed else {
            throw ShrikeError(.malformed, "the XML ends at line \(parser.lineNumber) before </oval_definitions>; the file is truncated", input: file)
        }
        return reader.document
    }

    private static func localName(_ qualified: String) -> String {
        guard let colon = qualified.lastIndex(of: ":") else { return qualified }
        return String(qualified[qualified.index(after: colon)...])
    }

    private func startCapture() {
        text = ""
        capturing = true
    }

    private var captured: String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {
        let name = Self.localName(elementName)
        capturing = false
        if path.isEmpty {
            rootName = name
            if name != "oval_definitions" {
                failure = ShrikeError(.unsupportedFormat, "not an OVAL document: the root element is '\(name)', not oval_definitions", input: file)
                parser.abortParsing()
            }
        }
        path.append(name)
        guard path.count >= 2 else { return }
        switch path[1] {
        case "generator":
            if name == "product_name" { startCapture() }
        case "definitions":
            startDefinitionElement(name, attributes: attributes)
        case "tests":
            if path.count == 3 {
                test = OVALTest(id: attributes["id"] ?? "", kind: name, comment: attributes["comment"],
                                check: attributes["check"], checkExistence: attributes["check_existence"])
            } else if path.count == 4 {
                if name == "object" { test?.objectRef = attributes["object_ref"] }
                if name == "state", let ref = attributes["state_ref"] { test?.stateRefs.append(ref) }
            }
        case "objects":
            if path.count == 3 {
                object = OVALObject(id: attributes["id"] ?? "", kind: name)
            } else if path.count == 4 {
                entityAttributes = attributes
                startCapture()
            }
        case "states":
            if path.count == 3 {
                state = OVALState(id: attributes["id"] ?? "", kind: name)
            } else if path.count == 4 {
                entityAttributes = attributes
                startCapture()
            }
        default:
            break
        }
    }

    private func startDefinitionElement(_ name: String, attributes: [String: String]) {
        if path.count == 3 {
            if name == "definition" {
                definition = OVALDefinition(id: attributes["id"] ?? "", definitionClass: attributes["class"])
                criteriaStack = []
            }
            return
        }
        guard definition != nil else { return }
        if path.contains("metadata") {
            switch name {
            case "title", "platform", "description", "severity", "patchable", "advisory_id", "advisory_date", "component":
                startCapture()
            case "reference":
                definition?.references.append(OVALDefinition.Reference(
                    source: attributes["source"] ?? "", id: attributes["ref_id"] ?? "", url: attributes["ref_url"]))
            case "issued":
                if definition?.issued == nil { definition?.issued = attributes["date"] }
            case "updated":
                definition?.updated = attributes["date"]
            case "cve":
                cveAttributes = attributes
                startCapture()
            case "resolution":
                resolution = OVALDefinition.Resolution(state: attributes["state"] ?? "", components: [])
            default:
                break
            }
            return
        }
        switch name {
        case "criteria":
            criteriaStack.append(OVALCriteria(isAnd: (attributes["operator"] ?? "AND").uppercased() != "OR",
                                              negate: attributes["negate"] == "true"))
        case "criterion":
            append(.criterion(testRef: attributes["test_ref"] ?? "", comment: attributes["comment"],
                              negate: attributes["negate"] == "true"))
        case "extend_definition":
            append(.extendDefinition(definitionRef: attributes["definition_ref"] ?? "", negate: attributes["negate"] == "true"))
        default:
            break
        }
    }

    private func append(_ node: OVALCriteriaNode) {
        guard !criteriaStack.isEmpty else { return }
        criteriaStack[criteriaStack.count - 1].children.append(node)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if capturing { text += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if capturing { text += String(decoding: CDATABlock, as: UTF8.self) }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        let name = Self.localName(elementName)
        defer {
            capturing = false
            path.removeLast()
        }
        if path.count == 1 { rootClosed = true }
        guard path.count >= 2 else { return }
        switch path[1] {
        case "generator":
            if name == "product_name" { document.productName = captured }
        case "definitions":
            endDefinitionElement(name)
        case "tests":
            if path.count == 3, let test {
                document.tests[test.id] = test
                self.test = nil
            }
        case "objects":
            if path.count == 3, let object {
                document.objects[object.id] = object
                self.object = nil
            } else if path.count == 4 {
                object?.entities[name] = entity()
            }
        case "states":
            if path.count == 3, let state {
                document.states[state.id] = state
                self.state = nil
            } else if path.count == 4 {
                state?.entities[name] = entity()
            }
        default:
            break
        }
    }

    private func entity() -> OVALEntity {
        OVALEntity(value: captured, operation: entityAttributes["operation"] ?? "equals",
                   datatype: entityAttributes["datatype"], variableRef: entityAttributes["var_ref"])
    }

    private func endDefinitionElement(_ name: String) {
        if path.count == 3 {
            if name == "definition", let definition {
                document.definitions.append(definition)
                self.definition = nil
            }
            return
        }
        guard definition != nil else { return }
        if path.contains("metadata") {
            switch name {
            case "title": definition?.title = captured
            case "platform": definition?.platforms.append(captured)
            case "description": definition?.description = captured
            case "severity": if definition?.severity == nil { definition?.severity = captured }
            case "patchable": definition?.patchable = captured
            case "advisory_id": definition?.advisoryID = captured
            case "advisory_date": definition?.advisoryDate = captured
            case "cve": definition?.cves.append(OVALDefinition.CVE(text: captured, cvss3: cveAttributes["cvss3"]))
            case "component": resolution?.components.append(captured)
            case "resolution":
                if let resolution { definition?.resolutions.append(resolution) }
                resolution = nil
            default: break
            }
            return
        }
        if name == "criteria", let finished = criteriaStack.popLast() {
            if criteriaStack.isEmpty {
                definition?.criteria = finished
            } else {
                append(.criteria(finished))
            }
        }
    }
}
