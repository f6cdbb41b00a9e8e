/// Rules on Alpine's `apk`.
extension DockerfileRule {
    static let alpine: [DockerfileRule] = [dl3018, dl3019]

    static let dl3018 = run("DL3018", .warning,
                            "Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`") { script, _ in
        script.commands.filter { $0.has("apk", anyOf: ["add"]) }.contains { command in
            command.droppingValues(of: ["t", "virtual", "repository", "X"]).argumentsWithoutFlags.contains { package in
                package != "add" && !(["=", "~", ">", "<"].contains { package.contains($0) } || package.hasSuffix(".apk"))
            }
        }
    }

    static let dl3019 = run("DL3019", .info,
                            "Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages") { script, instruction in
        if instruction.hasCacheOrTmpfsMount(containing: "/var/cache/apk") { return false }
        return script.commands.contains { $0.has("apk", anyOf: ["add"]) && !$0.hasFlag("no-cache") }
    }
}
