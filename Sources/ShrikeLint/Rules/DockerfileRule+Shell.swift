/// Rules on what `RUN` scripts call, and on `SHELL`.
extension DockerfileRule {
    static let shell: [DockerfileRule] = [dl3001, dl3003, dl3004, dl3046, dl3047, dl4001, dl4005, dl4006]

    static let dl3001 = run("DL3001", .info,
                            "For some bash commands it makes no sense running them in a Docker container like `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`") { script, _ in
        let pointless: Set<String> = ["free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim"]
        return script.commandNames.contains { pointless.contains($0) }
    }

    static let dl3003 = run("DL3003", .warning, "Use WORKDIR to switch to a directory", onbuild: false) { script, _ in
        script.uses("cd")
    }

    static let dl3004 = run("DL3004", .error,
                            "Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root") { script, _ in
        script.uses("sudo")
    }

    static let dl3046 = run("DL3046", .warning,
                            "`useradd` without flag `-l` and high UID will result in excessively large Image.") { script, _ in
        script.commands.contains { command in
            command.name == "useradd" && !command.hasAnyFlag(["l", "no-log-init"]) && command.hasAnyFlag(["u", "uid"])
                && command.values(of: "u").contains { $0.count > 5 }
        }
    }

    static let dl3047 = run("DL3047", .info,
                            "Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).") { script, _ in
        script.commands.contains { command in
            command.name == "wget" && !command.hasFlag("progress")
                && !command.hasAnyFlag(["q", "quiet", "o", "output-file", "a", "append-output", "no-verbose"])
                && !command.arguments.contains("-nv")
        }
    }

    static let dl4001 = DockerfileRule("DL4001", .warning, "Either use Wget or Curl but not both") { context in
        var lines: [Int] = []
        // hadolint runs the rule twice: over top-level instructions (reset at each FROM) and over ONBUILD triggers.
        for onbuild in [false, true] {
            var used = Set<String>()
            for instruction in context.dockerfile.instructions {
                if instruction.keyword == "FROM", !onbuild { used = [] }
                guard let step = context.runs.first(where: { $0.line == instruction.line && $0.onbuild == onbuild }) else { continue }
                let tools = Set(step.script.commandNames.filter { $0 == "curl" || $0 == "wget" })
                used.formUnion(tools)
                if !tools.isEmpty, used.count >= 2 { lines.append(instruction.line) }
            }
        }
        return lines.sorted()
    }

    static let dl4005 = run("DL4005", .warning, "Use SHELL to change the default shell") { script, _ in
        script.commands.contains { $0.has("ln", anyOf: ["/bin/sh"]) }
    }

    static let dl4006 = DockerfileRule("DL4006", .warning,
                                       "Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check") { context in
        var safe = false
        var lines: [Int] = []
        for instruction in context.dockerfile.instructions {
            switch instruction.keyword {
            case "FROM":
                safe = false
            case "SHELL":
                let script = ShellScript(instruction.script)
                if ["pwsh", "powershell", "cmd"].contains(where: { script.original.hasPrefix($0) }) {
                    safe = true
                } else {
                    safe = script.commands.contains { command in
                        let base = command.name.split(separator: "/").last.map(String.init) ?? command.name
                        return ["bash", "zsh", "ash"].contains(base) && command.hasFlag("o") && command.arguments.contains("pipefail")
                    }
                }
            case "RUN":
                if !safe, context.script(at: instruction.line)?.hasPipes == true { lines.append(instruction.line) }
            default:
                break
            }
        }
        return lines
    }
}
