import Foundation
import Hummingbird
import ShrikeRecorder

/// `/incidents/:id`: the timeline as static HTML (readable with no script); `/incidents/:id/json` is what
/// "copy as JSON" copies.
extension ConsoleRoutes {
    func incidentPage(_ context: ServerContext) async throws -> Response {
        let incident = try await storedIncident(context)
        var values = ConsoleIncident(body: incident.body).context
        values["nav"] = ["feed": true]
        return renderer.page("incident", values, session: context.session)
    }

    func incidentJSON(_ context: ServerContext) async throws -> Response {
        JSONResponse.bytes(try await storedIncident(context).body)
    }

    private func storedIncident(_ context: ServerContext) async throws -> IncidentRow {
        guard let id = APIRoutes.pathParameter(context, "id"), IncidentIdentifier.isValid(id) else {
            throw APIError.badParameter("id", "not an incident id (inc-YYYYMMDD-HHMMSS-xxxxxx)")
        }
        guard let incident = try await store.incident(id: id) else {
            throw APIError(.notFound, "not-found", "no incident \(id) is stored (it may have been evicted)")
        }
        return incident
    }
}
