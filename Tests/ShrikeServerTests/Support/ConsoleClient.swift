import Foundation
import ShrikeTestSupport

/// A browser-like client of the console for HTTP-level tests: curl with its own cookie jar, no redirects followed,
/// so each test sees the status and `Location` the server sent.
final class ConsoleClient: @unchecked Sendable {
    let server: ShrikeServerProcess
    let jar: String

    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: String
        var location: String? { headers["location"] }
        /// The page's CSRF token (the sign-out form always carries it).
        var csrf: String? {
            guard let range = body.range(of: #"name="csrf" value=""#) else { return nil }
            return String(body[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    init(_ server: ShrikeServerProcess) {
        self.server = server
        jar = FileManager.default.temporaryDirectory.path + "/shrike-console-jar-\(UUID().uuidString)"
    }

    deinit { try? FileManager.default.removeItem(atPath: jar) }

    /// The session cookie's value in the jar, if any.
    var sessionCookie: String? {
        guard let text = try? String(contentsOfFile: jar, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.contains("\tshrike_session\t") {
            return line.split(separator: "\t").last.map(String.init)
        }
        return nil
    }

    func get(_ path: String, headers: [String] = []) throws -> Reply {
        try curl(["-X", "GET"] + headers.flatMap { ["-H", $0] }, path)
    }

    /// A form POST (`application/x-www-form-urlencoded`), with the same-origin `Origin` a browser sends.
    func post(_ path: String, form: [String: String], headers: [String] = []) throws -> Reply {
        var arguments = ["-X", "POST", "-H", "Origin: \(server.url)"] + headers.flatMap { ["-H", $0] }
        for (name, value) in form.sorted(by: { $0.key < $1.key }) { arguments += ["--data-urlencode", "\(name)=\(value)"] }
        if form.isEmpty { arguments += ["--data", ""] }
        return try curl(arguments, path)
    }

    /// Signs in with a token through the form; true when the server set a session cookie.
    @discardableResult
    func signIn(token: String) throws -> Reply {
        try post("/login", form: ["token": token])
    }

    private func curl(_ arguments: [String], _ path: String) throws -> Reply {
        let result = try ExternalTool.run(["curl", "-s", "-i", "-b", jar, "-c", jar] + arguments + [server.url + path])
        let text = result.stdout
        let split = text.range(of: "\r\n\r\n")
        let head = split.map { String(text[..<$0.lowerBound]) } ?? text
        let body = split.map { String(text[$0.upperBound...]) } ?? ""
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.isEmpty ? "" : lines.removeFirst()
        let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Reply(status: status, headers: headers, body: body)
    }
}

extension ShrikeServerProcess {
    /// `shrike server login-link` as an operator runs it; the URL it prints.
    func loginLink(role: String = "admin") throws -> String {
        guard let shrike = ShrikeExecutable.path else { throw Failure(description: "the shrike executable is not built") }
        let result = try ExternalTool.run([shrike, "server", "login-link", "--role", role, "--url", url,
                                           "--database", database])
        guard result.status == 0 else { throw Failure(description: "login-link failed: \(result.stderr)") }
        return String(result.stdout.split(separator: "\n").last ?? "")
    }

    /// One ingest batch of `records` (seq, kind, body) with an agent token; the HTTP status.
    func ingest(_ records: [(seq: Int, kind: String, body: [String: Any])], token: String) throws -> Int {
        try post("/api/v1/ingest", token: token, json: [
            "agent": ["hostname": "node-1", "version": "0.9.0"],
            "records": records.map { ["seq": $0.seq, "kind": $0.kind, "body": $0.body] as [String: Any] },
        ] as [String: Any])
    }

    /// A fresh server in a new temporary directory.
    static func fresh() throws -> ShrikeServerProcess {
        let directory = FileManager.default.temporaryDirectory.path + "/shrike-console-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try ShrikeServerProcess(directory: directory)
    }
}
