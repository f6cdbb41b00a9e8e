import Foundation
import Testing
@testable import ShrikeAgent

/// The shipper against an HTTP responder in the test process that speaks the wire format (Support/IngestResponder).
/// The end-to-end tests against the real `shrike server` come with the merge of the server branch; these take only
/// a base URL.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct ShipperTests {
    @Test("records arrive in order with the bearer token and the agent object, and leave the spool")
    func delivers() async throws {
        let server = try IngestResponder()
        defer { server.stop() }
        let harness = try ShipperHarness(url: server.url, records: 25)
        #expect(await harness.ship())
        #expect(server.store.stored == Array(1...25))
        let request = try #require(server.requests.first)
        #expect(request.authorization == "Bearer agent-token")
        #expect(request.contentType == "application/json")
        #expect(request.agent?["hostname"] as? String == "node-1")
        #expect(request.records.first?.kind == "alert")
        #expect(request.records.first?.body["n"] as? Int == 0)
        #expect(harness.shipper.statistics.stored == 25)
        await harness.finish()
    }

    @Test("batches hold at most maxRecords records", arguments: [1, 7, 1_000])
    func batchSize(maxRecords: Int) async throws {
        let server = try IngestResponder()
        defer { server.stop() }
        let harness = try ShipperHarness(url: server.url, records: 30) { $0.maxRecords = maxRecords }
        #expect(await harness.ship())
        #expect(server.requests.allSatisfy { $0.records.count <= maxRecords })
        #expect(server.requests.count == (30 + maxRecords - 1) / maxRecords)
        await harness.finish()
    }

    @Test("connection refused is retried until the server is up")
    func connectionRefused() async throws {
        let probe = try IngestResponder()
        let port = probe.port
        probe.stop()
        let harness = try ShipperHarness(url: "http://127.0.0.1:\(port)", records: 5)
        #expect(!(await harness.ship(timeout: 0.5)), "nothing is delivered while nobody listens")
        #expect(harness.spool.statistics.records == 5)
        #expect(harness.shipper.statistics.failures >= 1)
        let server = try IngestResponder(port: port)
        defer { server.stop() }
        #expect(await harness.ship())
        #expect(server.store.stored == Array(1...5))
        await harness.finish()
    }

    @Test("a 5xx is retried until it succeeds", arguments: [500, 502, 503])
    func serverErrors(status: Int) async throws {
        let server = try IngestResponder { index, request, store in
            index < 3 ? .json(status, ["error": ["code": "down", "message": "restarting"]]) : store.results(request)
        }
        defer { server.stop() }
        let harness = try ShipperHarness(url: server.url, records: 3)
        #expect(await harness.ship())
        #expect(server.requests.count == 4)
        #expect(server.store.stored == [1, 2, 3])
        #expect(harness.shipper.statistics.failures == 3)
        await harness.finish()
    }

    @Test("429 with Retry-After waits that long before the next request")
    func retryAfter() async throws {
        let server = try IngestResponder { index, request, store in
            index == 0 ? .init(status: 429, headers: [("Retry-After", "1")]) : store.results(request)
        }
        defer { server.stop() }
        let harness = try ShipperHarness(url: server.url, records: 2)
        #expect(await harness.ship())
        let requests = server.requests
        try #require(requests.count == 2)
        #expect(requests[1].received.timeIntervalSince(requests[0].received) >= 0.95)
        await harness.finish()
    }

    @Test("a 400 batch is split until the bad record stands alone; only it is dropped", arguments: [1, 13, 40])
    func badRecordIsolated(bad: UInt64) async throws {
        let server = try IngestResponder { _, request, store in
            request.seqs.contains(bad)
                ? .json(400, ["error": ["code": "invalid-record", "message": "body is not an alert", "field": "records"]])
                : store.results(request)
        }
        defer { server.stop() }
        let harness = try ShipperHarness(url: server.url, records: 40)
        #expect(await harness.ship())
        #expect(server.store.stored == (1...40).filter { $0 != bad })
        #expect(harness.shipper.statistics.rejected == 1)
        #expect(harness.logged.all.filter { $0.contains("rejected") }.count == 1)
        #expect(harness.logged.all.first { $0.contains("rejected") }?.contains("record \(bad)") == true)
        await harness.finish()
    }

    @Test("records the server answers rejected leave the spool, counted and logged once each")
    func rejectedInResults() async throws {
        let server = try IngestResponder { _, request, store in store.results(request, rejecting: [2, 4]) }
        defer { server.stop() }
        let harness = try ShipperHarness(url: server.url, records: 5)
        #expect(await harness.ship())
        #expect(server.requests.count == 1)
        #expect(harness.shipper.statistics.rejected == 2)
        #expect(harness.logged.all.filter { $0.contains("rejected") }.count == 2)
        await harness.finish()
    }

    @Test("a lost acknowledgement: the resend is answered duplicate and removes the records")
    func duplicatesAcknowledge() async throws {
        let server = try IngestResponder { index, request, store in
            let answer = store.results(request)
            // The first batch is stored, but its answer never arrives.
            return index == 0 ? .init(status: 503) : answer
        }
        defer { server.stop() }
        let harness = try ShipperHarness(url: server.url, records: 6)
        #expect(await harness.ship())
        #expect(server.store.stored == Array(1...6), "each record stored once")
        #expect(harness.shipper.statistics.duplicates == 6)
        await harness.finish()
    }

    @Test("413 halves the batch until it fits")
    func tooLarge() async throws {
        let server = try IngestResponder { _, request, store in
            request.records.count > 4 ? .init(status: 413) : store.results(request)
        }
        defer { server.stop() }
        let harness = try ShipperHarness(url: server.url, records: 20)
        #expect(await harness.ship())
        #expect(server.store.stored == Array(1...20))
        #expect(harness.shipper.statistics.rejected == 0)
        await harness.finish()
    }

    @Test("401/403 backs off at the cap, says so once, keeps the records; a good token then delivers them",
          arguments: [401, 403])
    func unauthorized(status: Int) async throws {
        let server = try IngestResponder { _, _, _ in
            .json(status, ["error": ["code": "unauthorized", "message": "unknown token"]])
        }
        defer { server.stop() }
        let harness = try ShipperHarness(url: server.url, records: 3, cap: 0.4)
        #expect(!(await harness.ship(timeout: 1.0)))
        // At the cap (0.4 s) one second holds at most three requests; plain retries would make dozens.
        #expect(server.requests.count <= 4)
        #expect(harness.logged.all.filter { $0.contains("token is wrong") }.count == 1)
        #expect(harness.spool.statistics.records == 3)
        server.setScript { _, request, store in store.results(request) }
        #expect(await harness.ship())
        await harness.finish()
    }

    @Test("drain sends what is spooled within its time and stops at the first failure")
    func drain() async throws {
        let server = try IngestResponder()
        let harness = try ShipperHarness(url: server.url, records: 10)
        #expect(await harness.shipper.drain(timeout: 2))
        try harness.spool.append([(.heartbeat, SpoolFixtures.body(0))])
        server.setScript { _, _, _ in .init(status: 503) }
        let started = Date()
        #expect(!(await harness.shipper.drain(timeout: 2)))
        #expect(Date().timeIntervalSince(started) < 2.5)
        #expect(harness.spool.statistics.records == 1)
        server.stop()
        await harness.finish()
    }
}
