import Foundation
import ShrikeCore
import ShrikeServer
import ShrikeTestSupport
import Testing

/// The store behind `shrike server`, on both engines: each behaviour is checked on SQLite and on a real PostgreSQL.
@Suite("Server store")
struct ServerStoreTests {
    typealias F = IngestFixtures
    static let now = Date(timeIntervalSince1970: 1_795_946_460)

    // MARK: Migrations

    @Test("migrating again is a no-op: nothing lost, nothing duplicated", arguments: StoreEngine.allCases)
    func migrateTwice(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await store.createToken(StoredToken(name: "ci", role: .agent, hash: "h1", createdAt: Self.now))
            try await store.migrate()
            try await store.migrate()
            #expect(try await store.tokens().map(\.name) == ["ci"])
            #expect(try await store.counts().values.allSatisfy { $0 == 0 })
        }
    }

    @Test("two servers starting at once on one empty database both migrate it", arguments: StoreEngine.allCases)
    func concurrentMigrations(engine: StoreEngine) async throws {
        let location: DatabaseLocation
        let directory = FileManager.default.temporaryDirectory.path + "/shrike-store-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        switch engine {
        case .sqlite: location = .sqlite(path: directory + "/server.sqlite")
        case .postgres: location = .postgres(url: try StoreEngine.postgresDatabase())
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        async let first = location.open()
        async let second = location.open()
        let stores = try await [first, second]
        try await stores[0].createToken(StoredToken(name: "a", role: .admin, hash: "ha", createdAt: Self.now))
        #expect(try await stores[1].tokens().map(\.name) == ["a"])
        for case let store as PostgresServerStore in stores { await store.close() }
    }

    // MARK: Tokens

    @Test("tokens: create, a second of the same name refused, list, look up by hash, revoke once",
          arguments: StoreEngine.allCases)
    func tokens(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await store.createToken(StoredToken(name: "node-agents", role: .agent, hash: "aa11", createdAt: Self.now))
            try await store.createToken(StoredToken(name: "alice", role: .admin, hash: "bb22", createdAt: Self.now))
            let duplicate = await #expect(throws: ShrikeError.self) {
                try await store.createToken(StoredToken(name: "alice", role: .viewer, hash: "cc33", createdAt: Self.now))
            }
            #expect(duplicate?.code == .usage && duplicate?.input == "alice")
            #expect(try await store.tokens().map(\.name) == ["alice", "node-agents"])
            let found = try await store.token(hash: "aa11")
            #expect(found == StoredToken(name: "node-agents", role: .agent, hash: "aa11", createdAt: Self.now))
            #expect(try await store.token(hash: "cc33") == nil)

            let revokedAt = Self.now.addingTimeInterval(60)
            #expect(try await store.revokeToken(name: "alice", at: revokedAt))
            #expect(try await !store.revokeToken(name: "alice", at: revokedAt), "already revoked")
            #expect(try await !store.revokeToken(name: "nobody", at: revokedAt))
            #expect(try await store.token(hash: "bb22")?.revokedAt == revokedAt)
            #expect(try await store.token(hash: "aa11")?.revokedAt == nil)
        }
    }

    // MARK: Ingest

    @Test("ingest stores each record once: a re-sent seq is a duplicate, in a later batch or the same one",
          arguments: StoreEngine.allCases)
    func ingestDeduplicates(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let first = try F.alerts([F.alert(pid: 1), F.alert(pid: 2), F.alert(pid: 3)])
            #expect(try await store.ingest(agent: "node-1", records: first, receivedAt: Self.now) == [true, true, true])

            // The agent's retry after a lost acknowledgement: seq 2 again, and a new seq 4.
            let retry = try F.records([(2, "alert", F.alert(pid: 2)), (4, "alert", F.alert(pid: 4))])
            #expect(try await store.ingest(agent: "node-1", records: retry, receivedAt: Self.now) == [false, true])

            let twice = try F.records([(5, "alert", F.alert(pid: 5)), (5, "alert", F.alert(pid: 5))])
            #expect(try await store.ingest(agent: "node-1", records: twice, receivedAt: Self.now) == [true, false])

            let page = try await store.alerts(AlertQuery())
            #expect(page.items.map(\.seq) == [5, 4, 3, 2, 1])
            #expect(page.items.allSatisfy { $0.agent == "node-1" })
            let body = try #require(try JSONSerialization.jsonObject(with: page.items[0].body) as? [String: Any])
            #expect(body["rule"] as? String == "Terminal shell in container")
            #expect((body["output_fields"] as? [String: Any])?["proc.pid"] as? Int == 5)
            #expect(page.items[0].body == twice[0].body, "the body as the agent sent it (keys sorted)")
            #expect(try await store.counts()[.alert] == 5)
        }
    }

    @Test("agents' sequences are independent: seq 1 of two agents is two records", arguments: StoreEngine.allCases)
    func agentsAreIndependent(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let records = try F.alerts([F.alert(hostname: "node-1")])
            #expect(try await store.ingest(agent: "node-1", records: records, receivedAt: Self.now) == [true])
            let other = try F.alerts([F.alert(hostname: "node-2")])
            #expect(try await store.ingest(agent: "node-2", records: other, receivedAt: Self.now) == [true])
            #expect(try await store.ingest(agent: "node-2", records: other, receivedAt: Self.now) == [false])
            let agents = try await store.alerts(AlertQuery()).items.map(\.agent)
            #expect(agents == ["node-2", "node-1"])
            #expect(try await store.hosts().map(\.agent) == ["node-1", "node-2"])
        }
    }

    // MARK: Alerts

    /// Seven alerts that differ in one field each from the first.
    static func filterFixture(_ store: any ServerStore) async throws {
        let base: Int64 = 1_795_946_400_000_000_000
        let incident = F.incidentID(7)
        let bodies = [
            F.alert(rule: "Terminal shell in container", priority: "Notice", time: base),
            F.alert(rule: "Write below binary dir", priority: "Error", time: base + 1_000),
            F.alert(rule: "Terminal shell in container", priority: "Critical", time: base + 2_000),
            F.alert(rule: "Terminal shell in container", priority: "Notice", hostname: "node-2", time: base + 3_000),
            F.alert(rule: "Terminal shell in container", priority: "Notice", time: base + 4_000,
                    containerID: "0123456789ab", containerName: "db"),
            F.alert(rule: "Terminal shell in container", priority: "Warning", time: base + 5_000, incident: incident),
            F.alert(rule: "Terminal shell in container", priority: "Debug", time: base + 6_000),
        ]
        #expect(try await store.ingest(agent: "node-1", records: try F.alerts(bodies), receivedAt: now).allSatisfy { $0 })
    }

    static let base: Int64 = 1_795_946_400_000_000_000

    @Test("alert filters: rule, minimum priority, host, container id or name, incident, since/until, together",
          arguments: StoreEngine.allCases)
    func alertFilters(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Self.filterFixture(store)
            func seqs(_ query: AlertQuery) async throws -> [Int64] {
                try await store.alerts(query).items.map(\.seq)
            }
            #expect(try await seqs(AlertQuery()) == [7, 6, 5, 4, 3, 2, 1])
            #expect(try await seqs(AlertQuery(rule: "Write below binary dir")) == [2])
            #expect(try await seqs(AlertQuery(rule: "write below binary dir")) == [], "rules match exactly")
            #expect(try await seqs(AlertQuery(minimumPriority: .warning)) == [6, 3, 2])
            #expect(try await seqs(AlertQuery(minimumPriority: .critical)) == [3])
            #expect(try await seqs(AlertQuery(host: "node-2")) == [4])
            #expect(try await seqs(AlertQuery(container: "0123456789ab")) == [5])
            #expect(try await seqs(AlertQuery(container: "0123456789ab" + String(repeating: "f", count: 52))) == [5],
                    "a full 64-character id finds the 12-character one")
            #expect(try await seqs(AlertQuery(container: "db")) == [5])
            #expect(try await seqs(AlertQuery(incident: F.incidentID(7))) == [6])
            #expect(try await seqs(AlertQuery(since: Self.base + 2_000, until: Self.base + 5_000)) == [5, 4, 3],
                    "since is inclusive, until exclusive")
            #expect(try await seqs(AlertQuery(rule: "Terminal shell in container", minimumPriority: .notice,
                                              host: "node-1", container: "web")) == [6, 3, 1])
            #expect(try await seqs(AlertQuery(rule: "' OR 1=1 --")) == [])
        }
    }

    @Test("cursor pagination over 250 alerts: pages of 100, 100, 50, none twice, none missing, newest first",
          arguments: StoreEngine.allCases)
    func alertPagination(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let bodies = (0..<250).map { F.alert(rule: $0 % 5 == 0 ? "Rare" : "Common", time: Self.base + Int64($0), pid: $0) }
            // Several batches, as agents send them.
            for start in stride(from: 0, to: 250, by: 60) {
                let slice = Array(bodies[start..<min(start + 60, 250)])
                _ = try await store.ingest(agent: "node-1", records: try F.alerts(slice, firstSeq: Int64(start + 1)),
                                           receivedAt: Self.now)
            }
            var seen: [Int64] = [], sizes: [Int] = [], cursor: Int64?
            repeat {
                let page = try await store.alerts(AlertQuery(before: cursor, limit: 100))
                sizes.append(page.items.count)
                seen += page.items.map(\.seq)
                cursor = try page.next.map { try #require(Int64($0)) }
            } while cursor != nil
            #expect(sizes == [100, 100, 50])
            #expect(seen == (1...250).reversed().map(Int64.init))

            var rare: [Int64] = []
            cursor = nil
            repeat {
                let page = try await store.alerts(AlertQuery(rule: "Rare", before: cursor, limit: 7))
                rare += page.items.map(\.seq)
                cursor = page.next.flatMap { Int64($0) }
            } while cursor != nil
            #expect(rare == stride(from: 246, through: 1, by: -5).map(Int64.init))

            let exact = try await store.alerts(AlertQuery(rule: "Rare", limit: 50))
            #expect(exact.items.count == 50 && exact.next == nil, "a last page that is exactly full has no next")
        }
    }

    // MARK: Incidents

    @Test("incidents: listed newest first, filtered, and GET by id gives the newest export of that id",
          arguments: StoreEngine.allCases)
    func incidents(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let first = F.incidentID(1), second = F.incidentID(2)
            let records = try F.records([
                (1, "incident", F.incident(id: first, alertCount: 1)),
                (2, "incident", F.incident(id: second, hostname: "node-2", rule: "Terminal shell in container")),
                // The same incident exported again once more alerts joined it.
                (3, "incident", F.incident(id: first, alertCount: 3)),
            ])
            #expect(try await store.ingest(agent: "node-1", records: records, receivedAt: Self.now) == [true, true, true])

            let all = try await store.incidents(IncidentQuery())
            #expect(all.items.map(\.id) == [first, second, first])
            #expect(all.items.map(\.alertCount) == [3, 1, 1])
            #expect(try await store.incidents(IncidentQuery(host: "node-2")).items.map(\.id) == [second])
            #expect(try await store.incidents(IncidentQuery(rule: "Write below binary dir")).items.count == 2)
            let paged = try await store.incidents(IncidentQuery(limit: 2))
            #expect(paged.items.count == 2 && paged.next != nil)
            let rest = try await store.incidents(IncidentQuery(before: paged.next.flatMap { Int64($0) }, limit: 2))
            #expect(rest.items.map(\.id) == [first] && rest.next == nil)

            let newest = try #require(try await store.incident(id: first))
            #expect(newest.alertCount == 3 && newest.hostname == "node-1" && newest.rule == "Write below binary dir")
            #expect(newest.openedAt == 1_795_946_400_001_000_000)
            let timeline = try #require(try JSONSerialization.jsonObject(with: newest.body) as? [String: Any])
            #expect((timeline["processes"] as? [Any])?.count == 1)
            #expect(((timeline["files"] as? [String: Any])?["created"] as? [Any])?.count == 1)
            #expect(try await store.incident(id: F.incidentID(9)) == nil)
        }
    }

    // MARK: Hosts and images

    @Test("a heartbeat fills hosts and host_images; the next heartbeat replaces what runs", arguments: StoreEngine.allCases)
    func heartbeats(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let one = F.digest(1), two = F.digest(2)
            let sboms = try F.records([(1, "sbom", F.sbom(digest: one, name: "alpine:3.9.6", packages: [("musl", "1.1.20-r4")])),
                                       (2, "sbom", F.sbom(digest: two, name: "nginx:1.27", packages: [("zlib", "1.3-r0")]))])
            _ = try await store.ingest(agent: "uploader", records: sboms, receivedAt: Self.now)

            let beat = try F.records([(1, "heartbeat", F.heartbeat(running: [two, one], drops: 7))])
            #expect(try await store.ingest(agent: "node-1", records: beat, receivedAt: Self.now) == [true])
            let host = try #require(try await store.hosts().first { $0.agent == "node-1" })
            #expect(host.hostname == "node-1" && host.version == "0.9.0" && host.kernel == "6.1.0-28-amd64")
            #expect(host.drops == 7 && host.spoolBytes == 4096 && host.spoolRecords == 3 && host.evicted == 0)
            #expect(host.running == [one, two])
            #expect(host.lastSeen == Int64(Self.now.timeIntervalSince1970 * 1e9))
            var images = try await store.images()
            #expect(images.map(\.digest) == [one, two])
            #expect(images.map(\.hosts) == [["node-1"], ["node-1"]])
            #expect(images.map(\.name) == ["alpine:3.9.6", "nginx:1.27"] && images[0].packages == 1)

            let later = Self.now.addingTimeInterval(30)
            let next = try F.records([(2, "heartbeat", F.heartbeat(running: [two]))])
            _ = try await store.ingest(agent: "node-1", records: next, receivedAt: later)
            #expect(try await store.hosts().first { $0.agent == "node-1" }?.running == [two])
            images = try await store.images()
            #expect(images.map(\.hosts) == [[], ["node-1"]])
            #expect(try await store.counts()[.heartbeat] == 2, "node-1 and the uploader")
        }
    }

    static let muslMatch = ImageVulnerabilityRow(
        id: "CVE-2019-14697", aliases: ["GHSA-musl-0001"], severity: "Critical", status: "fixed", fixedVersion: "1.1.20-r5",
        namespace: "alpine:distro:alpine:3.9", package: "musl", version: "1.1.20-r4", type: "apk",
        purl: "pkg:apk/alpine/musl@1.1.20-r4?distro=alpine-3.9.6")
    static let sslMatch = ImageVulnerabilityRow(
        id: "CVE-2019-1547", aliases: [], severity: "Medium", status: "fixed", fixedVersion: "1.1.1d-r0",
        namespace: "alpine:distro:alpine:3.9", package: "libssl1.1", version: "1.1.1b-r1", type: "apk",
        purl: "pkg:apk/alpine/libssl1.1@1.1.1b-r1?distro=alpine-3.9.6")

    @Test("SBOM upsert, re-match, then an image's vulnerabilities and who is affected, by id and by alias",
          arguments: StoreEngine.allCases)
    func rematching(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let old = F.digest(3), clean = F.digest(4)
            let uploads = try F.records([
                (1, "sbom", F.sbom(digest: old, name: "alpine-old:3.9.6", packages: [("musl", "1.1.20-r4"), ("libssl1.1", "1.1.1b-r1")])),
                (2, "sbom", F.sbom(digest: clean, name: "alpine:3.20.3", packages: [("musl", "1.2.5-r0")])),
            ])
            _ = try await store.ingest(agent: "ci", records: uploads, receivedAt: Self.now)
            _ = try await store.ingest(agent: "node-1", records: try F.records([(1, "heartbeat", F.heartbeat(running: [old]))]),
                                       receivedAt: Self.now)
            _ = try await store.ingest(agent: "node-2", records: try F.records([
                (1, "heartbeat", F.heartbeat(hostname: "node-2", running: [old, clean]))]), receivedAt: Self.now)

            #expect(try await store.sboms(staleFor: "db-1").map(\.digest) == [old, clean])
            let sbom = try #require(try await store.sboms(staleFor: "db-1").first?.sbom)
            #expect((try JSONSerialization.jsonObject(with: sbom) as? [String: Any])?["packages"] as? [Any] != nil)

            try await store.replaceMatches(digest: old, matches: [Self.sslMatch, Self.muslMatch], advisoryVersion: "db-1")
            try await store.replaceMatches(digest: clean, matches: [], advisoryVersion: "db-1")
            #expect(try await store.sboms(staleFor: "db-1").isEmpty)
            #expect(try await store.sboms(staleFor: "db-2").map(\.digest) == [old, clean], "new advisories: all stale")

            // Ordered by id: CVE-2019-14697 before CVE-2019-1547.
            #expect(try await store.imageVulnerabilities(digest: old) == [Self.muslMatch, Self.sslMatch])
            #expect(try await store.imageVulnerabilities(digest: clean) == [])
            #expect(try await store.imageVulnerabilities(digest: F.digest(9)) == nil)

            for name in ["CVE-2019-14697", "GHSA-musl-0001"] {
                let affected = try await store.affected(vulnerability: name)
                #expect(affected.map(\.digest) == [old], "\(name)")
                #expect(affected.first?.name == "alpine-old:3.9.6")
                #expect(affected.first?.packages == ["musl@1.1.20-r4"])
                #expect(affected.first?.hosts == ["node-1", "node-2"])
            }
            #expect(try await store.affected(vulnerability: "CVE-2099-0001").isEmpty)
            let images = try await store.images()
            #expect(images.map(\.vulnerabilities) == [2, 0])
            #expect(images.allSatisfy { $0.matchedAt != nil })

            // A re-match replaces: the musl fix was backported, only the libssl finding stays.
            try await store.replaceMatches(digest: old, matches: [Self.sslMatch], advisoryVersion: "db-2")
            #expect(try await store.affected(vulnerability: "GHSA-musl-0001").isEmpty)
            #expect(try await store.imageVulnerabilities(digest: old) == [Self.sslMatch])

            // A new SBOM of the same digest asks for a new matching.
            _ = try await store.ingest(agent: "ci", records: try F.records([
                (3, "sbom", F.sbom(digest: old, name: "", packages: [("musl", "1.1.20-r5")]))]), receivedAt: Self.now)
            #expect(try await store.sboms(staleFor: "db-2").map(\.digest) == [old, clean])
            #expect(try await store.images().first?.name == "alpine-old:3.9.6", "an SBOM without a name keeps the old one")
        }
    }

    // MARK: Retention

    @Test("eviction by age and by count, oldest first, returning how many of each kind went",
          arguments: StoreEngine.allCases)
    func eviction(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let old = Self.now.addingTimeInterval(-7200)
            _ = try await store.ingest(agent: "node-1", records: try F.alerts((0..<10).map { F.alert(pid: $0) }),
                                       receivedAt: old)
            _ = try await store.ingest(agent: "node-1",
                                       records: try F.alerts((10..<40).map { F.alert(pid: $0) }, firstSeq: 11),
                                       receivedAt: Self.now)
            _ = try await store.ingest(agent: "node-1", records: try F.records([
                (100, "incident", F.incident(id: F.incidentID(1))), (101, "incident", F.incident(id: F.incidentID(2)))]),
                                       receivedAt: old)

            let byAge = try await store.evict(Retention(maxAge: [.alert: 3600, .incident: 3600]), now: Self.now)
            #expect(byAge[.alert] == 10 && byAge[.incident] == 2)
            #expect(try await store.counts()[.alert] == 30)

            let byCount = try await store.evict(Retention(maxCount: [.alert: 12]), now: Self.now)
            #expect(byCount[.alert] == 18)
            #expect(try await store.alerts(AlertQuery()).items.map(\.seq) == (29...40).reversed().map(Int64.init),
                    "the newest 12 stay")
            #expect(try await store.evict(Retention(maxAge: [.alert: 3600], maxCount: [.alert: 12]), now: Self.now)[.alert] == 0)
            #expect(try await store.evict(Retention(maxCount: [.alert: 0]), now: Self.now)[.alert] == 12)
            let counts = try await store.counts()
            #expect(counts[.alert] == 0 && counts[.incident] == 0)
        }
    }

    @Test("counts per kind", arguments: StoreEngine.allCases)
    func counts(engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let digest = F.digest(5)
            let records = try F.records([
                (1, "alert", F.alert()), (2, "alert", F.alert(priority: "Error")),
                (3, "incident", F.incident(id: F.incidentID(3))),
                (4, "heartbeat", F.heartbeat(running: [digest])),
                (5, "sbom", F.sbom(digest: digest, name: "busybox:1.36", packages: [("busybox", "1.36.1-r0")])),
                (6, "scan", ["source": ["type": "image", "digest": digest, "tags": ["busybox:1.36"]], "matches": [],
                             "distro": ["id": "alpine", "versionID": "3.19"]] as [String: Any]),
            ])
            #expect(try await store.ingest(agent: "node-1", records: records, receivedAt: Self.now).allSatisfy { $0 })
            let counts = try await store.counts()
            #expect(counts == [.alert: 2, .incident: 1, .heartbeat: 1, .sbom: 1, .scan: 1])
        }
    }
}
