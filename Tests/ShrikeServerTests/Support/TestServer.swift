import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ShrikeServer

/// A real `shrike server` (FleetServer over a SQLite file in a temporary directory) on a loopback port the kernel
/// picks, and an HTTP client to talk to it.
final class TestServer: Sendable {
    let directory: String
    let port: Int
    let store: any ServerStore
    let advisoryPath: String
    private let task: Task<Void, any Error>

    struct Reply: Sendable {
        var status: Int
        var body: Data
        var headers: [(String, String)]
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    static func start(rematchSeconds: Int = 1, maxBodyBytes: Int = 16 << 20) async throws -> TestServer {
        let directory = NSTemporaryDirectory() + "shrike-server-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = ServerConfiguration(advisoryDatabase: directory + "/advisories.sqlite")
        configuration.port = 0
        configuration.database = .sqlite(path: directory + "/server.sqlite")
        configuration.rematchInterval = .seconds(rematchSeconds)
        configuration.limits = ServerLimits(maxBodyBytes: maxBodyBytes)
        let store = try await configuration.database.open()
        let server = FleetServer(configuration: configuration, store: store)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task {
            try await server.run(log: { _ in }, onListening: { port in continuation.yield(port) })
        }
        var bound: Int?
        for await port in ports { bound = port; break }
        guard let bound else { throw CancellationError() }
        return TestServer(directory: directory, port: bound, store: store, advisoryPath: configuration.advisoryDatabase,
                          task: task)
    }

    private init(directory: String, port: Int, store: any ServerStore, advisoryPath: String, task: Task<Void, any Error>) {
        self.directory = directory
        self.port = port
        self.store = store
        self.advisoryPath = advisoryPath
        self.task = task
    }

    func stop() async {
        task.cancel()
        _ = await task.result
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A new token of `role`, created as `shrike server token create` does.
    func token(_ role: TokenRole, name: String? = nil) async throws -> String {
        let secret = TokenSecret.generate()
        try await store.createToken(StoredToken(name: name ?? "\(role.rawValue)-\(UUID().uuidString.prefix(8))",
                                                role: role, hash: TokenSecret.hash(secret), createdAt: Date()))
        return secret
    }

    func request(_ method: HTTPMethod = .GET, _ path: String, token: String? = nil, body: Data? = nil,
                 rawAuthorization: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let rawAuthorization { request.headers.add(name: "Authorization", value: rawAuthorization) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(180))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), body: Data(bytes.readableBytesView),
                     headers: response.headers.map { ($0.name, $0.value) })
    }

    func ingest(_ records: [[String: Any]], token: String) async throws -> Reply {
        let body = try JSONSerialization.data(withJSONObject: ["records": records])
        return try await request(.POST, "/api/v1/ingest", token: token, body: body)
    }
}

/// Record bodies shaped as the agent sends them.
enum Records {
    static func alert(seq: Int, rule: String = "Terminal shell in container", priority: String = "Notice",
                      time: String = "2026-12-07T10:00:00.123456789Z", host: String = "node-1",
                      container: (id: String, name: String)? = ("0123456789ab", "web"),
                      incident: String? = nil) -> [String: Any] {
        var fields: [String: Any] = ["proc.name": "sh", "proc.cmdline": "sh -i"]
        if let container {
            fields["container.id"] = container.id
            fields["container.name"] = container.name
        }
        var body: [String: Any] = [
            "time": time, "rule": rule, "priority": priority, "source": "syscall", "hostname": host,
            "tags": ["container", "shell"], "output": "A shell was spawned in a container (proc=sh)",
            "output_fields": fields]
        if let incident { body["incident"] = incident }
        return ["seq": seq, "kind": "alert", "body": body]
    }

    static func heartbeat(seq: Int, running: [String], host: String = "node-1") -> [String: Any] {
        ["seq": seq, "kind": "heartbeat", "body": [
            "time": "2026-12-07T10:00:05Z", "hostname": host, "version": "test", "kernel": "6.1.0", "drops": 0,
            "spoolBytes": 0, "spoolRecords": 0, "evicted": 0, "running": running] as [String: Any]]
    }
}
