import ArgumentParser
import ShrikeCore
import ShrikeImage

/// Options for `registry:` targets, shared by every command that reads a target.
struct RegistryFlags: ParsableArguments {
    @Option(help: "Registry user name (also SHRIKE_REGISTRY_USERNAME; default: ~/.docker/config.json).")
    var username: String?

    @Option(help: "Registry password or token (also SHRIKE_REGISTRY_PASSWORD).")
    var password: String?

    @Option(name: .customLong("ca-file"), help: "PEM file of CA certificates to trust for the registry's HTTPS.")
    var caFile: String?

    @Flag(help: "Use plain HTTP (only allowed for loopback registries such as 127.0.0.1:5000).")
    var insecure = false

    func options(progress: any ProgressReporter) throws -> RegistryOptions {
        if (username == nil) != (password == nil) {
            throw ShrikeError(.usage, "--username and --password go together")
        }
        let credentials = username.flatMap { user in password.map { RegistryCredentials(username: user, password: $0) } }
        return RegistryOptions(insecure: insecure, caFile: caFile, credentials: credentials, progress: progress)
    }
}
