import Foundation
import Hummingbird
import ShrikeRecorder

/// `/incidents`: the newest incidents, to open one or several side by side; `/incidents/:id`: the timeline as static
/// HTML (readable with no script); `/incidents/compare?id=…&id=…`: up to four timelines in columns (incidents of
/// several hosts, one attack seen from each); `/incidents/:id/json` is what "copy as JSON" copies.
extension ConsoleRoutes {
    /// How many incidents the side-by-side view opens at most (each can be large).
    static let maxCompare = 4
    static let incidentsPageSize = 50

    func incidentsPage(_ request: Request, _ context: ServerContext) async throws -> Response {
        let host = ConsoleForm(request.uri.query ?? "").text("host")
        if let host, !QueryParameters.isPlainIdentifier(host) {
            throw APIError.badParameter("host", "not a host name (letters, digits, '-', '_', ':', '.')")
        }
        let page = try await store.incidents(IncidentQuery(host: host, limit: Self.incidentsPageSize))
        let rows: [[String: Any]] = page.items.map { row in
            ["id": ConsoleText.display(row.id), "rule": ConsoleText.display(row.rule),
             "host": ConsoleText.display(row.hostname), "hostQuery": ConsoleText.query(row.hostname),
             "opened": ConsoleText.time(nanoseconds: row.openedAt), "alerts": row.alertCount]
        }
        return renderer.page("incidents", ["incidents": rows, "empty": rows.isEmpty, "host": host ?? "",
                                           "maxCompare": Self.maxCompare, "nav": ["incidents": true]],
                             session: context.session)
    }

    func comparePage(_ request: Request, _ context: ServerContext) async throws -> Response {
        var ids: [String] = []
        for id in ConsoleForm(request.uri.query ?? "").all("id") where !ids.contains(id) { ids.append(id) }
        guard !ids.isEmpty else { return ConsoleRenderer.redirect("/incidents") }
        guard ids.count <= Self.maxCompare else {
            throw APIError.badParameter("id", "at most \(Self.maxCompare) incidents open side by side")
        }
        if let bad = ids.first(where: { !IncidentIdentifier.isValid($0) }) {
            throw APIError.badParameter("id", "not an incident id (inc-YYYYMMDD-HHMMSS-xxxxxx): \(bad)")
        }
        var incidents: [[String: Any]] = [], missing: [String] = []
        for id in ids {
            if let row = try await store.incident(id: id) {
                incidents.append(ConsoleIncident(body: row.body).context)
            } else {
                missing.append(id)
            }
        }
        return renderer.page("compare", ["incidents": incidents, "missing": missing.joined(separator: ", "),
                                         "title": "Incidents", "nav": ["incidents": true]],
                             session: context.session)
    }

    /// How often the page of an incident still open on its agent reloads itself (a `<meta refresh>`: no script).
    static let pendingRefreshSeconds = 2

    func incidentPage(_ request: Request, _ context: ServerContext) async throws -> Response {
        guard let id = APIRoutes.pathParameter(context, "id"), IncidentIdentifier.isValid(id) else {
            throw APIError.badParameter("id", "not an incident id (inc-YYYYMMDD-HHMMSS-xxxxxx)")
        }
        guard let incident = try await store.incident(id: id) else {
            // An alert names it but its timeline has not come: the agent sends an incident when it closes (a moment
            // after its last alert). Someone who followed the live feed's link waits here rather than on a 404.
            guard let alert = try await store.alerts(AlertQuery(incident: id, limit: 1)).items.first else {
                throw APIError(.notFound, "not-found", "no incident \(id) is stored (it may have been evicted)")
            }
            let host = ConsoleAlert(agent: alert.agent, seq: alert.seq, body: alert.body).context["host"] ?? ""
            return renderer.page("pending", ["id": id, "host": host, "refresh": Self.pendingRefreshSeconds,
                                             "title": "Incident", "nav": ["incidents": true]],
                                 session: context.session)
        }
        let all = ConsoleForm(request.uri.query ?? "").text("entries") == "all"
        var values = ConsoleIncident(body: incident.body, allEntries: all).context
        values["nav"] = ["incidents": true]
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
