import Foundation
import Testing
@testable import ShrikeServer

/// The document the server serves is docs/openapi.json, byte for byte, and it is a valid OpenAPI 3.1 object.
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test func servedDocumentIsTheCommittedOne() throws {
        let committed = try String(contentsOfFile: Self.repository + "/docs/openapi.json", encoding: .utf8)
        #expect(OpenAPIDocument.json == committed.trimmingCharacters(in: .newlines),
                "docs/openapi.json changed: run scripts/embed-openapi.sh")
    }

    @Test(arguments: ["/api/v1/ingest", "/api/v1/alerts", "/api/v1/incidents", "/api/v1/incidents/{id}",
                      "/api/v1/hosts", "/api/v1/images", "/api/v1/images/{digest}/vulnerabilities",
                      "/api/v1/vulnerabilities/{id}/affected", "/healthz", "/metrics"])
    func everyPathIsDocumented(path: String) throws {
        let object = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any]
        #expect(object?["openapi"] as? String == "3.1.0")
        #expect((object?["paths"] as? [String: Any])?[path] != nil)
    }
}
