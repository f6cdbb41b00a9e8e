import Foundation
import Hummingbird
import ShrikeCore

/// The fleet's pages: images and their vulnerabilities, "which images and hosts have CVE-X", and the hosts.
extension ConsoleRoutes {
    /// A host whose last heartbeat is older than this is flagged stale (agents beat every 30 s by default).
    static let staleAfter: Int64 = 120 * 1_000_000_000

    func imagesPage(_ request: Request, _ context: ServerContext) async throws -> Response {
        let inUse = ConsoleForm(request.uri.query ?? "").text("inuse") != nil
        let images: [[String: Any]] = try await store.images().filter { !inUse || !$0.hosts.isEmpty }.map { image in
            ["digest": ConsoleText.display(image.digest), "link": "/images/" + ConsoleText.query(image.digest),
             "name": ConsoleText.display(image.name), "distro": ConsoleText.display(image.distro),
             "packages": image.packages, "vulnerabilities": image.vulnerabilities,
             "hosts": image.hosts.map { ConsoleText.display($0) }.joined(separator: ", "), "inUse": !image.hosts.isEmpty,
             "lastSeen": ConsoleText.time(nanoseconds: image.lastSeen)]
        }
        return renderer.page("images", ["images": images, "empty": images.isEmpty, "inUse": inUse,
                                        "nav": ["images": true]], session: context.session)
    }

    func imagePage(_ context: ServerContext) async throws -> Response {
        guard let text = APIRoutes.pathParameter(context, "digest"), let digest = try? Digest(parsing: text) else {
            throw APIError.badParameter("digest", "not a digest (sha256:<64 hex digits>)")
        }
        guard let rows = try await store.imageVulnerabilities(digest: digest.description) else {
            throw APIError(.notFound, "not-found", "no image \(digest) is stored")
        }
        let image = try await store.images().first { $0.digest == digest.description }
        let ranks = ["critical": 0, "high": 1, "medium": 2, "low": 3, "negligible": 4]
        let matches: [[String: Any]] = rows.sorted {
            (ranks[$0.severity.lowercased()] ?? 5, $0.id) < (ranks[$1.severity.lowercased()] ?? 5, $1.id)
        }.map { row in
            ["id": ConsoleText.display(row.id), "idQuery": ConsoleText.query(row.id),
             "aliases": row.aliases.map { ConsoleText.display($0) }.joined(separator: ", "),
             "severity": ConsoleText.display(row.severity), "severityClass": "s-" + (ranks[row.severity.lowercased()]
                .map(String.init) ?? "5"),
             "status": ConsoleText.display(row.status), "fixedVersion": ConsoleText.display(row.fixedVersion ?? ""),
             "package": ConsoleText.display(row.package), "version": ConsoleText.display(row.version),
             "type": ConsoleText.display(row.type), "purl": ConsoleText.display(row.purl),
             "layer": ConsoleText.display(row.layer.map { String($0.prefix(19)) } ?? ""),
             "layerFull": ConsoleText.display(row.layer ?? "")]
        }
        return renderer.page("image", [
            "digest": digest.description, "name": ConsoleText.display(image?.name ?? ""),
            "distro": ConsoleText.display(image?.distro ?? ""), "packages": image?.packages ?? 0,
            "hosts": (image?.hosts ?? []).map { ConsoleText.display($0) }.joined(separator: ", "),
            "matches": matches, "empty": matches.isEmpty, "nav": ["images": true],
        ], session: context.session)
    }

    func vulnerabilitiesPage(_ request: Request, _ context: ServerContext) async throws -> Response {
        var values: [String: Any] = ["nav": ["vulnerabilities": true]]
        if let id = ConsoleForm(request.uri.query ?? "").text("id") {
            guard QueryParameters.isPlainIdentifier(id) else {
                throw APIError.badParameter("id", "not a vulnerability id (letters, digits, '-', '_', ':', '.')")
            }
            let rows = try await store.affected(vulnerability: id)
            values["id"] = id
            values["searched"] = true
            values["images"] = rows.map { row -> [String: Any] in
                ["digest": ConsoleText.display(row.digest), "link": "/images/" + ConsoleText.query(row.digest),
                 "name": ConsoleText.display(row.name),
                 "packages": row.packages.map { ConsoleText.display($0) }.joined(separator: ", "),
                 "hosts": row.hosts.map { ConsoleText.display($0) }.joined(separator: ", ")]
            }
            values["hosts"] = Array(Set(rows.flatMap(\.hosts))).sorted().map { ConsoleText.display($0) }
            values["empty"] = rows.isEmpty
        }
        return renderer.page("vulnerabilities", values, session: context.session)
    }

    func hostsPage(_ context: ServerContext) async throws -> Response {
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        let hosts: [[String: Any]] = try await store.hosts().map { host in
            ["agent": ConsoleText.display(host.agent), "hostname": ConsoleText.display(host.hostname),
             "hostQuery": ConsoleText.query(host.hostname),
             "version": ConsoleText.display(host.version), "kernel": ConsoleText.display(host.kernel),
             "lastSeen": ConsoleText.time(nanoseconds: host.lastSeen), "drops": host.drops,
             "spoolBytes": host.spoolBytes, "spoolRecords": host.spoolRecords, "evicted": host.evicted,
             "running": host.running.count, "stale": now - host.lastSeen > Self.staleAfter]
        }
        return renderer.page("hosts", ["hosts": hosts, "empty": hosts.isEmpty, "nav": ["hosts": true]],
                             session: context.session)
    }
}
