import Foundation
import Testing
import ShrikeCore
import ShrikeRules
import ShrikeTestSupport
@testable import ShrikeAlerting

/// The webhook output against Support/webhook_server.py on 127.0.0.1: delivery, retry with backoff, 4xx, a bounded
/// queue that drops its oldest alerts, batching and TLS with a private CA.
@Suite(.enabled(if: ExternalTool.find("python3") != nil, "python3 is needed for the local webhook server"),
       .serialized)
struct WebhookOutputTests {
    /// Fast retries so the tests take milliseconds, not the default 0.5 s doubling to 30 s.
    private func settings(_ url: String, queue: Int = 1000, retries: Int = 8) -> WebhookSettings {
        WebhookSettings(url: url, queueSize: queue, timeout: 5, retries: retries, initialBackoff: 0.05,
                        maxBackoff: 0.2, drainTimeout: 5)
    }

    @Test("each alert is one POST of Falco's JSON object, with the configured headers", .timeLimit(.minutes(1)))
    func postsFalcoJSON() throws {
        let server = try WebhookServer()
        defer { server.stop() }
        var configured = settings(server.url("hook?token=secret"))
        configured.headers = [.init(name: "Authorization", value: "Bearer abc"), .init(name: "X-Env", value: "test")]
        let output = try WebhookAlertOutput(settings: configured)
        #expect(output.name == "webhook:\(server.url("hook"))", "the query (a token) stays out of the name")
        output.emit(AlertFixtures.alert(rule: "first"))
        output.emit(AlertFixtures.alert(rule: "second", priority: .warning))
        #expect(output.flush(timeout: 10))
        output.close()

        let requests = try server.requests()
        #expect(requests.count == 2)
        let first = try #require(requests.first)
        #expect(first.method == "POST")
        #expect(first.path == "/hook?token=secret")
        #expect(first.headers["content-type"] == "application/json")
        #expect(first.headers["authorization"] == "Bearer abc")
        #expect(first.headers["x-env"] == "test")
        let object = try AlertFixtures.jsonObject(first.body)
        #expect(object["rule"] as? String == "first")
        #expect(object["output_fields"] is [String: Any])
        let statistics = output.statistics()
        #expect(statistics.sent == 2)
        #expect(statistics.failed == 0 && statistics.dropped == 0 && statistics.retries == 0)
    }

    @Test("a 5xx is retried with backoff until it succeeds", .timeLimit(.minutes(1)))
    func retriesServerErrors() throws {
        let server = try WebhookServer()
        defer { server.stop() }
        let output = try WebhookAlertOutput(settings: settings(server.url("fail-first/3/hook")))
        let started = Date()
        output.emit(AlertFixtures.alert())
        #expect(output.flush(timeout: 20))
        let elapsed = Date().timeIntervalSince(started)
        output.close()
        let requests = try server.requests()
        #expect(requests.map(\.status) == [500, 500, 500, 200])
        let statistics = output.statistics()
        #expect(statistics.sent == 1)
        #expect(statistics.retries == 3)
        #expect(statistics.failed == 0)
        #expect(elapsed >= 0.05 + 0.1 + 0.2, "backoff 0.05 s doubling (capped at 0.2 s) between attempts")
    }

    @Test("retries stop after the configured number; the alert counts as failed", .timeLimit(.minutes(1)))
    func retriesExhausted() throws {
        let server = try WebhookServer()
        defer { server.stop() }
        let output = try WebhookAlertOutput(settings: settings(server.url("fail-first/100/hook"), retries: 2))
        output.emit(AlertFixtures.alert())
        #expect(output.flush(timeout: 20))
        output.close()
        #expect(try server.requests().count == 3)
        let statistics = output.statistics()
        #expect(statistics.failed == 1 && statistics.sent == 0 && statistics.retries == 2)
        #expect(output.lastError?.contains("500") == true)
    }

    @Test("a 4xx is not retried: the alert is dropped and counted as rejected", .timeLimit(.minutes(1)))
    func clientErrorsAreNotRetried() throws {
        let server = try WebhookServer()
        defer { server.stop() }
        let output = try WebhookAlertOutput(settings: settings(server.url("status/400/hook")))
        output.emit(AlertFixtures.alert())
        output.emit(AlertFixtures.alert())
        #expect(output.flush(timeout: 20))
        output.close()
        #expect(try server.requests().count == 2)
        let statistics = output.statistics()
        #expect(statistics.failed == 2 && statistics.rejected == 2 && statistics.retries == 0)
        #expect(statistics.summary.contains("4xx 2"))
    }

    @Test("a slow endpoint: the queue stays bounded and the OLDEST alerts are the ones dropped",
          .timeLimit(.minutes(1)))
    func slowEndpointDropsOldest() throws {
        let server = try WebhookServer()
        defer { server.stop() }
        let output = try WebhookAlertOutput(settings: settings(server.url("delay/0.3/hook"), queue: 5))
        for index in 0..<30 { output.emit(AlertFixtures.alert(rule: "r\(index)")) }
        #expect(output.queued <= 5)
        #expect(output.flush(timeout: 30))
        output.close()

        let rules = try server.requests().map { try AlertFixtures.jsonObject($0.body)["rule"] as? String }
        #expect(Array(rules.suffix(5)) == ["r25", "r26", "r27", "r28", "r29"], "the newest five survive")
        #expect(rules.count <= 6, "at most one alert was already in flight before the queue filled")
        let statistics = output.statistics()
        #expect(statistics.sent == rules.count)
        #expect(statistics.dropped == 30 - rules.count)
        #expect(statistics.emitted == 30)
    }

    @Test("an unreachable endpoint: memory stays bounded, every alert is accounted for, close() is bounded",
          .timeLimit(.minutes(1)))
    func unreachableEndpoint() throws {
        var configured = settings("http://127.0.0.1:\(unusedLoopbackPort())/hook", queue: 100)
        configured.drainTimeout = 0.5
        let output = try WebhookAlertOutput(settings: configured)
        for index in 0..<20_000 { output.emit(AlertFixtures.alert(rule: "r\(index)")) }
        #expect(output.queued <= 100)
        let started = Date()
        output.close()
        #expect(Date().timeIntervalSince(started) < 8, "close waits for the drain timeout, not for the queue")
        let statistics = output.statistics()
        #expect(statistics.emitted == 20_000)
        #expect(statistics.sent == 0)
        #expect(statistics.dropped >= 20_000 - 101)
        #expect(statistics.sent + statistics.failed + statistics.dropped == statistics.emitted)
        #expect(output.lastError != nil)
        output.emit(AlertFixtures.alert())
        #expect(output.statistics().emitted == 20_000, "closed: nothing more is taken")
    }

    @Test("batching posts JSON arrays of at most batch_size alerts", .timeLimit(.minutes(1)))
    func batching() throws {
        let server = try WebhookServer()
        defer { server.stop() }
        var configured = settings(server.url("delay/0.1/batch"))
        configured.batchSize = 5
        let output = try WebhookAlertOutput(settings: configured)
        for index in 0..<12 { output.emit(AlertFixtures.alert(rule: "r\(index)")) }
        #expect(output.flush(timeout: 20))
        output.close()
        var rules: [String] = []
        for request in try server.requests() {
            let array = try #require(try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [[String: Any]])
            #expect((1...5).contains(array.count))
            rules += array.compactMap { $0["rule"] as? String }
        }
        #expect(rules == (0..<12).map { "r\($0)" })
        #expect(output.statistics().sent == 12)
    }

    @Test("https with a private CA: trusted with ca=, refused without it", .timeLimit(.minutes(2)),
          .enabled(if: ExternalTool.find("openssl") != nil, "openssl is needed to make a CA and a server certificate"))
    func tlsWithCustomCA() throws {
        let directory = try AlertFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.makeCertificates(in: directory)
        let server = try WebhookServer(certificate: directory + "/server.pem", key: directory + "/server.key")
        defer { server.stop() }

        var trusted = settings(server.url("tls"))
        trusted.caFile = directory + "/ca.pem"
        let output = try WebhookAlertOutput(settings: trusted)
        output.emit(AlertFixtures.alert(rule: "over-tls"))
        #expect(output.flush(timeout: 20))
        output.close()
        #expect(output.statistics().sent == 1)
        #expect(try server.requests().map(\.path) == ["/tls"])

        // The system trust store does not know the private CA: the handshake fails, nothing is delivered.
        let untrusted = try WebhookAlertOutput(settings: settings(server.url("tls"), retries: 0))
        untrusted.emit(AlertFixtures.alert())
        #expect(untrusted.flush(timeout: 20))
        untrusted.close()
        #expect(untrusted.statistics().failed == 1)
        #expect(try server.requests().count == 1)
    }

    @Test("a CA file that is missing or not PEM is an error naming it")
    func badCAFile() throws {
        let directory = try AlertFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "not a certificate".write(toFile: directory + "/bad.pem", atomically: false, encoding: .utf8)
        for file in [directory + "/missing.pem", directory + "/bad.pem"] {
            var configured = settings("https://127.0.0.1:1/hook")
            configured.caFile = file
            #expect { _ = try WebhookAlertOutput(settings: configured) } throws: { error in
                (error as? ShrikeError)?.input == file
            }
        }
    }

    /// A CA and a server certificate for 127.0.0.1/localhost signed by it, made with openssl.
    static func makeCertificates(in directory: String) throws {
        let steps: [[String]] = [
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
             "-days", "2", "-subj", "/CN=Shrike Test CA", "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
            ["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
             "-subj", "/CN=localhost"],
            ["openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf"],
        ]
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
            .write(toFile: directory + "/ext.cnf", atomically: false, encoding: .utf8)
        for step in steps {
            let arguments = step.enumerated().map { index, argument in
                index > 0 && ["ca.key", "ca.pem", "server.key", "server.csr", "server.pem", "ext.cnf"].contains(argument)
                    ? directory + "/" + argument : argument
            }
            let result = try ExternalTool.run(arguments)
            guard result.status == 0 else {
                throw ShrikeError(.io, "openssl failed: \(result.stderr)", input: arguments.joined(separator: " "))
            }
        }
    }
}

/// The pure parts of the webhook: the bounded ring, the backoff schedule, the plain-http warning rule.
struct WebhookPolicyTests {
    @Test("the ring keeps the newest `capacity` elements and counts what it dropped")
    func ring() {
        var ring = AlertRing<Int>(capacity: 3)
        for value in 1...5 { ring.append(value) }
        #expect(ring.count == 3)
        #expect(ring.dropped == 2)
        #expect(ring.removeFirst(upTo: 2) == [3, 4])
        ring.append(6)
        #expect(ring.removeFirst(upTo: 10) == [5, 6])
        #expect(ring.isEmpty)
        ring.append(7)
        #expect(ring.dropAll() == 1)
        #expect(ring.dropped == 3)
    }

    @Test("backoff: 0.5 s doubling to 30 s by default")
    func backoff() {
        let settings = WebhookSettings(url: "https://example.com/")
        #expect((1...9).map { settings.backoff(attempt: $0) } == [0.5, 1, 2, 4, 8, 16, 30, 30, 30])
        #expect(settings.backoff(attempt: 1000) == 30)
    }

    @Test("plain http warns unless it stays on loopback", arguments: [
        ("http://127.0.0.1:8080/x", false), ("http://localhost/x", false), ("http://[::1]:80/x", false),
        ("http://10.0.0.5/x", true), ("http://hooks.example.com/x", true), ("https://hooks.example.com/x", false),
    ])
    func insecureRemote(_ url: String, _ warns: Bool) {
        #expect(WebhookSettings(url: url).isInsecureRemote == warns)
    }
}
