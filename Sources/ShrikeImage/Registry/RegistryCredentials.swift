import Foundation
import ShrikeCore

/// A user name and password (or identity token) for one registry.
public struct RegistryCredentials: Sendable, Equatable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// The credentials for `host`: `explicit` when given, else `SHRIKE_REGISTRY_USERNAME`/`SHRIKE_REGISTRY_PASSWORD`,
    /// else the `auths` entry of `$DOCKER_CONFIG/config.json` (default `~/.docker/config.json`); nil for anonymous.
    ///
    /// Throws `malformed` when the Docker config exists but cannot be read as JSON, naming the file.
    public static func resolve(for host: String, explicit: RegistryCredentials?,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RegistryCredentials? {
        if let explicit { return explicit }
        if let user = environment["SHRIKE_REGISTRY_USERNAME"], let password = environment["SHRIKE_REGISTRY_PASSWORD"] {
            return RegistryCredentials(username: user, password: password)
        }
        let directory = environment["DOCKER_CONFIG"] ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.docker")
        return try fromDockerConfig(path: directory + "/config.json", host: host)
    }

    /// Reads `auths` from a Docker `config.json`; entries are matched by host, with or without a scheme and path
    /// (`https://index.docker.io/v1/` is Docker Hub's).
    public static func fromDockerConfig(path: String, host: String) throws -> RegistryCredentials? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        struct Config: Decodable {
            struct Auth: Decodable {
                var auth: String?
                var username: String?
                var password: String?
                var identitytoken: String?
            }
            var auths: [String: Auth]?
        }
        let config: Config
        do {
            config = try JSONDecoder().decode(Config.self, from: data)
        } catch {
            throw ShrikeError(.malformed, "is not a valid Docker config file (\(error.localizedDescription)); fix or remove it", input: path)
        }
        let hubNames: Set<String> = ["registry-1.docker.io", "docker.io", "index.docker.io"]
        for (key, entry) in config.auths ?? [:] {
            var name = key
            if let range = name.range(of: "://") { name = String(name[range.upperBound...]) }
            if let slash = name.firstIndex(of: "/") { name = String(name[..<slash]) }
            guard name == host || (hubNames.contains(name) && hubNames.contains(host)) else { continue }
            if let auth = entry.auth, let decoded = Data(base64Encoded: auth),
               let text = String(data: decoded, encoding: .utf8), let colon = text.firstIndex(of: ":") {
                return RegistryCredentials(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
            }
            if let username = entry.username, let password = entry.password ?? entry.identitytoken {
                return RegistryCredentials(username: username, password: password)
            }
        }
        return nil
    }

    /// The `Authorization: Basic …` value.
    var basicHeader: String { "Basic " + Data("\(username):\(password)".utf8).base64EncodedString() }
}
