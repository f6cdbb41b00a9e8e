import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ShrikeCore
import ShrikeRecorder
import ShrikeRules

/// The `/api/v1` routes, `/healthz` and `/metrics` (the contract is docs/openapi.json).
struct APIRoutes: Sendable {
    let store: any ServerStore
    let metrics: ServerMetrics
    let rematcher: Rematcher?
    let limits: ServerLimits
    /// The console's live feed, told of every new alert.
    var feed: ConsoleAlertFeed?

    func register(on router: Router<ServerContext>) {
        router.get("/healthz") { _, _ in JSONResponse.object(["status": "ok"]) }
        router.get("/metrics") { _, context in
            try Self.require(context, read: true)
            metrics.stored(try await store.counts())
            return JSONResponse.bytes(Data(metrics.text()), contentType: "text/plain; version=0.0.4")
        }
        router.get("/api/v1/openapi.json") { _, context in
            try Self.require(context, read: true)
            return JSONResponse.bytes(Data(OpenAPIDocument.json.utf8))
        }
        router.post("/api/v1/ingest") { request, context in try await ingest(request, context) }
        router.get("/api/v1/alerts") { request, context in try await alerts(request, context) }
        router.get("/api/v1/incidents") { request, context in try await incidents(request, context) }
        router.get("/api/v1/incidents/:id") { request, context in try await incident(request, context) }
        router.get("/api/v1/hosts") { request, context in try await hosts(request, context) }
        router.get("/api/v1/images") { request, context in try await images(request, context) }
        router.get("/api/v1/images/:digest/vulnerabilities") { request, context in
            try await imageVulnerabilities(request, context)
        }
        router.get("/api/v1/vulnerabilities/:id/affected") { request, context in try await affected(request, context) }
        // Any other method on a known path is a 405 naming the one allowed, not a 404.
        let paths: [(String, HTTPRequest.Method)] = [
            ("/healthz", .get), ("/metrics", .get), ("/api/v1/openapi.json", .get), ("/api/v1/ingest", .post),
            ("/api/v1/alerts", .get), ("/api/v1/incidents", .get), ("/api/v1/incidents/:id", .get),
            ("/api/v1/hosts", .get), ("/api/v1/images", .get), ("/api/v1/images/:digest/vulnerabilities", .get),
            ("/api/v1/vulnerabilities/:id/affected", .get),
        ]
        let methods: [HTTPRequest.Method] = [.get, .post, .put, .delete, .patch, .options, .trace, .connect]
            + [HTTPRequest.Method("QUERY")].compactMap { $0 }
        for (path, allowed) in paths {
            for method in methods where method != allowed {
                router.on(RouterPath(path), method: method) { _, _ -> Response in
                    var error = APIError(.methodNotAllowed, "method-not-allowed", "this path answers \(allowed) only")
                    error.headers[.allow] = allowed.rawValue
                    throw error
                }
            }
        }
    }

    static func require(_ context: ServerContext, read: Bool = false, ingest: Bool = false) throws {
        guard let token = context.token else { throw APIError.unauthorized }
        if read, !token.role.mayRead { throw APIError.forbidden(token.role, "read the API") }
        if ingest, !token.role.mayIngest { throw APIError.forbidden(token.role, "ingest") }
    }

    // MARK: Ingest

    func ingest(_ request: Request, _ context: ServerContext) async throws -> Response {
        try Self.require(context, ingest: true)
        guard let agent = context.token?.name else { throw APIError.unauthorized }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limits.maxBodyBytes)
        } catch {
            metrics.rejectedBatch()
            throw APIError(.contentTooLarge, "body-too-large",
                           "the body is larger than \(limits.maxBodyBytes) bytes; send smaller batches", field: "")
        }
        let batch: IngestBatch
        do {
            batch = try IngestBatch(json: Data(buffer.readableBytesView))
        } catch {
            metrics.rejectedBatch()
            throw APIError(.badRequest, error.code, error.message, field: error.field)
        }
        var valid: [IngestRecord] = []
        for case .valid(let record) in batch.records { valid.append(record) }
        let stored = try await store.ingest(agent: agent, records: valid, receivedAt: Date())
        var results: [[String: Any]] = [], index = 0
        var outcomes: [String: [String: Int]] = [:]
        for entry in batch.records {
            switch entry {
            case .valid(let record):
                let outcome = stored[index] ? "stored" : "duplicate"
                index += 1
                results.append(["seq": record.seq, "status": outcome])
                outcomes[record.kind.rawValue, default: [:]][outcome, default: 0] += 1
            case .rejected(let seq, let error):
                var result: [String: Any] = ["status": "rejected", "error": error]
                if let seq { result["seq"] = seq }
                results.append(result)
                outcomes["invalid", default: [:]]["rejected", default: 0] += 1
            }
        }
        for (kind, counts) in outcomes {
            for (outcome, count) in counts { metrics.ingested(kind, outcome, count: count) }
        }
        if let feed {
            var fresh: [ConsoleAlert] = []
            for (record, isNew) in zip(valid, stored) where isNew && record.kind == .alert {
                fresh.append(ConsoleAlert(agent: agent, seq: record.seq, body: record.body))
            }
            if !fresh.isEmpty { await feed.publish(fresh) }
        }
        if valid.contains(where: { $0.kind == .sbom }), let rematcher {
            // New SBOMs are matched at once, off the request path.
            Task { try? await rematcher.matchStale() }
        }
        return JSONResponse.object(["results": results])
    }

    // MARK: Queries

    func alerts(_ request: Request, _ context: ServerContext) async throws -> Response {
        try Self.require(context, read: true)
        let parameters = try QueryParameters(request, allowed: ["rule", "priority", "host", "container", "incident",
                                                                 "since", "until", "cursor", "limit"])
        var query = AlertQuery(limit: try parameters.limit())
        query.rule = try parameters.text("rule")
        if let name = try parameters.text("priority") {
            guard let priority = RulePriority(name: name) else {
                throw APIError.badParameter("priority", "not one of Falco's priorities (Emergency … Debug)")
            }
            query.minimumPriority = priority
        }
        query.host = try parameters.text("host")
        query.container = try parameters.text("container")
        query.incident = try parameters.text("incident")
        query.since = try parameters.time("since")
        query.until = try parameters.time("until")
        query.before = try parameters.cursor()
        let page = try await store.alerts(query)
        let items: [Any] = page.items.map { alert in
            var object = (try? JSONSerialization.jsonObject(with: alert.body)) as? [String: Any] ?? [:]
            object["id"] = "\(alert.agent)/\(alert.seq)"
            object["agent"] = alert.agent
            object["receivedAt"] = Timestamp(UInt64(max(0, alert.receivedAt))).description
            return object
        }
        return JSONResponse.object(Self.page(items, next: page.next))
    }

    func incidents(_ request: Request, _ context: ServerContext) async throws -> Response {
        try Self.require(context, read: true)
        let parameters = try QueryParameters(request, allowed: ["host", "rule", "cursor", "limit"])
        let query = IncidentQuery(host: try parameters.text("host"), rule: try parameters.text("rule"),
                                  before: try parameters.cursor(), limit: try parameters.limit())
        let page = try await store.incidents(query)
        let items: [Any] = page.items.map { incident in
            ["id": incident.id, "agent": incident.agent, "hostname": incident.hostname, "firstRule": incident.rule,
             "openedAt": Timestamp(UInt64(max(0, incident.openedAt))).description, "alertCount": incident.alertCount]
        }
        return JSONResponse.object(Self.page(items, next: page.next))
    }

    func incident(_ request: Request, _ context: ServerContext) async throws -> Response {
        try Self.require(context, read: true)
        _ = try QueryParameters(request, allowed: [])
        guard let id = Self.pathParameter(context, "id"), IncidentIdentifier.isValid(id) else {
            throw APIError.badParameter("id", "not an incident id (inc-YYYYMMDD-HHMMSS-xxxxxx)")
        }
        guard let incident = try await store.incident(id: id) else { throw APIError.notFound }
        return JSONResponse.bytes(incident.body)
    }

    func hosts(_ request: Request, _ context: ServerContext) async throws -> Response {
        try Self.require(context, read: true)
        _ = try QueryParameters(request, allowed: [])
        let items: [Any] = try await store.hosts().map { host in
            ["agent": host.agent, "hostname": host.hostname, "version": host.version, "kernel": host.kernel,
             "drops": host.drops, "spoolBytes": host.spoolBytes, "spoolRecords": host.spoolRecords,
             "evicted": host.evicted, "lastSeen": Timestamp(UInt64(max(0, host.lastSeen))).description,
             "running": host.running]
        }
        return JSONResponse.object(["items": items])
    }

    func images(_ request: Request, _ context: ServerContext) async throws -> Response {
        try Self.require(context, read: true)
        _ = try QueryParameters(request, allowed: [])
        let items: [Any] = try await store.images().map { image in
            var object: [String: Any] = [
                "digest": image.digest, "name": image.name, "distro": image.distro, "packages": image.packages,
                "vulnerabilities": image.vulnerabilities, "hosts": image.hosts,
                "firstSeen": Timestamp(UInt64(max(0, image.firstSeen))).description,
                "lastSeen": Timestamp(UInt64(max(0, image.lastSeen))).description]
            object["matchedAt"] = image.matchedAt.map { Timestamp(UInt64(max(0, $0))).description } ?? NSNull()
            return object
        }
        return JSONResponse.object(["items": items])
    }

    func imageVulnerabilities(_ request: Request, _ context: ServerContext) async throws -> Response {
        try Self.require(context, read: true)
        _ = try QueryParameters(request, allowed: [])
        guard let text = Self.pathParameter(context, "digest"), let digest = try? Digest(parsing: text) else {
            throw APIError.badParameter("digest", "not a digest (sha256:<64 hex digits>)")
        }
        guard let rows = try await store.imageVulnerabilities(digest: digest.description) else { throw APIError.notFound }
        let items: [Any] = rows.map { row in
            var object: [String: Any] = [
                "id": row.id, "aliases": row.aliases, "severity": row.severity, "status": row.status,
                "namespace": row.namespace,
                "package": ["name": row.package, "version": row.version, "type": row.type, "purl": row.purl]]
            object["fixedVersion"] = row.fixedVersion ?? NSNull()
            object["layer"] = row.layer ?? NSNull()
            return object
        }
        return JSONResponse.object(["digest": digest.description, "items": items])
    }

    func affected(_ request: Request, _ context: ServerContext) async throws -> Response {
        try Self.require(context, read: true)
        _ = try QueryParameters(request, allowed: [])
        guard let id = Self.pathParameter(context, "id"), QueryParameters.isPlainIdentifier(id) else {
            throw APIError.badParameter("id", "not a vulnerability id (letters, digits, '-', '_', ':', '.')")
        }
        let rows = try await store.affected(vulnerability: id)
        let images: [Any] = rows.map { ["digest": $0.digest, "name": $0.name, "packages": $0.packages, "hosts": $0.hosts] }
        let hosts = Array(Set(rows.flatMap(\.hosts))).sorted()
        return JSONResponse.object(["vulnerability": id, "images": images, "hosts": hosts])
    }

    /// A path segment, percent-decoded (`sha256%3A…` is `sha256:…`).
    static func pathParameter(_ context: ServerContext, _ name: String) -> String? {
        context.parameters.get(name).flatMap { $0.removingPercentEncoding }
    }

    static func page(_ items: [Any], next: String?) -> [String: Any] {
        var object: [String: Any] = ["items": items]
        if let next { object["next"] = next }
        return object
    }
}

/// The server's bounds.
package struct ServerLimits: Sendable, Equatable {
    /// The largest request body read (ingest batches).
    package var maxBodyBytes = 16 << 20

    package init(maxBodyBytes: Int = 16 << 20) {
        self.maxBodyBytes = maxBodyBytes
    }
}
