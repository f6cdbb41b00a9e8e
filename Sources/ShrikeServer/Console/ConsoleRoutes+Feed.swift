import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// `/`: the alerts of every host, newest first, with filters, counts per rule and host, and the live stream.
extension ConsoleRoutes {
    static let feedPageSize = 100

    func feedPage(_ request: Request, _ context: ServerContext) async throws -> Response {
        let filter = ConsoleFeedFilter(ConsoleForm(request.uri.query ?? ""))
        let query = filter.query(now: Date(), limit: Self.feedPageSize)
        let page = try await store.alerts(query)
        let rules = try await store.alertCounts(query, by: .rule, limit: 15)
        let hosts = try await store.alertCounts(query, by: .host, limit: 15)
        let alerts = page.items.map { ConsoleAlert(agent: $0.agent, seq: $0.seq, body: $0.body).context }
        func counts(_ rows: [AlertCount], _ name: String) -> [[String: Any]] {
            rows.map { ["value": ConsoleText.display($0.value), "count": $0.count,
                        "link": "/?" + filter.queryString + "&\(name)=" + ConsoleText.query($0.value)] }
        }
        var values: [String: Any] = [
            "filter": filter.context, "alerts": alerts, "empty": alerts.isEmpty,
            "ruleCounts": counts(rules, "rule"), "hostCounts": counts(hosts, "host"),
            "stream": "/console/events/stream?" + filter.queryString, "nav": ["feed": true],
        ]
        if let next = page.next { values["older"] = "/?" + filter.queryString + "&cursor=" + next }
        // Only the first page is live: an older page stays as it is.
        values["live"] = filter.cursor == nil
        return renderer.page("feed", values, session: context.session)
    }

    /// Server-sent events: each new alert that passes the page's filters as `event: alert` with its row's JSON.
    /// One stream per page; the fan-out (`ConsoleAlertFeed`) drops a subscriber that falls behind, and the stream
    /// ends when the server shuts down (the browser's EventSource reconnects by itself).
    func stream(_ request: Request) async throws -> Response {
        let filter = ConsoleFeedFilter(ConsoleForm(request.uri.query ?? ""))
        guard let (id, events) = await feed.subscribe() else {
            throw APIError(.serviceUnavailable, "busy", "too many live feeds are open; reload the page later")
        }
        let feed = self.feed
        let body = ResponseBody { writer in
            do {
                try await writer.write(ByteBuffer(string: "retry: 2000\n: live\n\n"))
                for await event in events.cancelOnGracefulShutdown() {
                    switch event {
                    case .alerts(let batch):
                        var text = ""
                        for live in batch where filter.matches(live.alert) {
                            text += "event: alert\ndata: \(live.json)\n\n"
                        }
                        if !text.isEmpty { try await writer.write(ByteBuffer(string: text)) }
                    case .keepalive:
                        try await writer.write(ByteBuffer(string: ": keepalive\n\n"))
                    }
                }
            } catch {
                await feed.unsubscribe(id)
                throw error
            }
            await feed.unsubscribe(id)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                        body: body)
    }
}
