import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ShrikeTestSupport

/// A bearer-token front (python3 Support/token_registry.py) for a real registry; it also answers the referrers API
/// and paginates tag lists, which distribution 2.8 does not. Stopped when dropped.
final class TokenFront {
    let process = Process()
    /// The server exits when this pipe closes (deinit, or this process dying), so it cannot be leaked.
    let lifeline = Pipe()
    let port: Int
    let log: String

    init(backend: RegistryServer, root: String, user: RegistryServer.User) throws {
        let portFile = root + "/token-port"
        log = root + "/tokens.log"
        process.executableURL = URL(fileURLWithPath: ExternalTool.find("python3") ?? "/usr/bin/python3")
        process.arguments = [RepositoryFiles.path("Tests/ShrikeRegistryTests/Support/token_registry.py"),
                             "--backend", backend.host, "--user", user.name, "--password", user.password,
                             "--port-file", portFile, "--log", log]
        process.standardInput = lifeline
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var found: Int?
        for _ in 0..<200 {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let value = Int(text) {
                found = value
                break
            }
            usleep(50_000)
        }
        guard let found else {
            Self.stop(process, lifeline)
            throw RegistryServerError("the token server did not start")
        }
        port = found
    }

    deinit { Self.stop(process, lifeline) }

    /// Closes the lifeline, waits at most 5 s, then kills (never waits unbounded).
    static func stop(_ process: Process, _ lifeline: Pipe) {
        try? lifeline.fileHandleForWriting.close()
        for _ in 0..<100 where process.isRunning { usleep(50_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    struct Entry: Decodable {
        var scopes: [String]
        var ok: Bool
    }

    func tokenRequests() throws -> [Entry] {
        guard let data = FileManager.default.contents(atPath: log) else { return [] }
        return try data.split(separator: UInt8(ascii: "\n")).map { try JSONDecoder().decode(Entry.self, from: Data($0)) }
    }
}
