/// Rules on the RPM package managers: `yum`, `dnf`/`microdnf`, `zypper`.
extension DockerfileRule {
    static let rpm: [DockerfileRule] = [dl3030, dl3032, dl3033, dl3034, dl3035, dl3036, dl3037, dl3038, dl3040, dl3041]

    static let dl3030 = run("DL3030", .warning, "Use the -y switch to avoid manual input `yum install -y <package>`") { script, _ in
        script.commands.contains { $0.has("yum", anyOf: ["install", "groupinstall", "localinstall"]) && !$0.hasAnyFlag(["y", "assumeyes"]) }
    }

    /// The first install comes after the first clean (or there is no clean): the cache stays in the layer.
    static func cleansAfter(_ script: ShellScript, install: (ShellCommand) -> Bool, clean: (ShellCommand) -> Bool) -> Bool {
        guard let installIndex = script.firstIndex(where: install) else { return true }
        guard let cleanIndex = script.firstIndex(where: clean) else { return false }
        return installIndex < cleanIndex
    }

    static let dl3032 = run("DL3032", .warning, "`yum clean all` missing after yum command.") { script, _ in
        !cleansAfter(script, install: { $0.has("yum", anyOf: ["install"]) },
                     clean: { $0.has("yum", anyOf: ["clean", "all"]) || $0.has("rm", anyOf: ["-rf", "/var/cache/yum/*"]) })
    }

    static let dl3033 = versionRule("DL3033", "Specify version with `yum install -y <package>-<version>`.", tools: ["yum"],
                                    excluded: ["module"])
    static let dl3041 = versionRule("DL3041", "Specify version with `dnf install -y <package>-<version>`.",
                                    tools: ["dnf", "microdnf"], excluded: ["module", "group"])

    /// DL3033 and DL3041: packages installed need `name-version`; `module install` needs `name:stream`. A package
    /// spelled with a variable counts as pinned when an `ARG` or the stage's `ENV` defines it.
    private static func versionRule(_ id: String, _ message: String, tools: [String], excluded: [String]) -> DockerfileRule {
        DockerfileRule(id, .warning, message) { context in
            var args = Set<String>()
            var envs = Set<String>()
            var lines: [Int] = []
            for instruction in context.dockerfile.instructions {
                switch instruction.keyword {
                case "FROM": envs = []
                case "ARG": for pair in ArgumentWords.pairs(instruction.arguments, legacy: false) { args.insert(pair.key) }
                case "ENV": for pair in ArgumentWords.pairs(instruction.arguments, legacy: true) { envs.insert(pair.key) }
                case "RUN":
                    guard let script = context.script(at: instruction.line) else { continue }
                    func installed(_ command: ShellCommand) -> [String] {
                        guard tools.contains(command.name), command.arguments.contains("install") else { return [] }
                        return command.argumentsWithoutFlags.filter { $0 != "install" && $0 != "module" }
                    }
                    let packages = script.commands.filter { command in !excluded.contains { command.arguments.contains($0) } }
                        .flatMap(installed)
                    let modules = script.commands.filter { tools.contains($0.name) && $0.arguments.contains("module") }
                        .flatMap(installed)
                    let defined = args.union(envs)
                    if !packages.allSatisfy({ rpmVersionFixed($0, defined: defined) }) || !modules.allSatisfy({ $0.contains(":") }) {
                        lines.append(instruction.line)
                    }
                default: break
                }
            }
            return lines
        }
    }

    static func rpmVersionFixed(_ package: String, defined: Set<String>) -> Bool {
        let parts = package.components(separatedBy: "-")
        if parts.count <= 1 { return false }
        if package.hasSuffix(".rpm") { return true }
        if package.contains("$") { return defined.contains { package.contains("${\($0)}") } }
        let version = parts.dropFirst()
        let valid = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.~^_:+")
        return version.allSatisfy { $0.allSatisfy { valid.contains($0) } } && version.contains { $0.first?.isNumber == true && $0.first?.isASCII == true }
    }

    static let dl3034 = run("DL3034", .warning, "Non-interactive switch missing from `zypper` command: `zypper install -y`") { script, _ in
        script.commands.contains { command in
            command.has("zypper", anyOf: ["install", "in", "remove", "rm", "source-install", "si", "patch"])
                && !command.hasAnyFlag(["non-interactive", "n", "no-confirm", "y"])
        }
    }

    static let dl3035 = run("DL3035", .warning, "Do not use `zypper dist-upgrade`.") { script, _ in
        script.commands.contains { $0.has("zypper", anyOf: ["dist-upgrade", "dup"]) }
    }

    static let dl3036 = run("DL3036", .warning, "`zypper clean` missing after zypper use.") { script, instruction in
        if instruction.hasCacheOrTmpfsMount(containing: "/var/cache/zypp") { return false }
        return !cleansAfter(script, install: { $0.has("zypper", anyOf: ["install", "in"]) },
                            clean: { $0.has("zypper", anyOf: ["clean", "cc"]) })
    }

    static let dl3037 = run("DL3037", .warning, "Specify version with `zypper install -y <package>=<version>`.") { script, _ in
        script.commands.filter { $0.has("zypper", anyOf: ["install", "in"]) }.contains { command in
            command.argumentsWithoutFlags.contains { package in
                package != "install" && package != "in"
                    && !(["=", ">", "<"].contains { package.contains($0) } || package.hasSuffix(".rpm"))
            }
        }
    }

    static let dl3038 = run("DL3038", .warning, "Use the -y switch to avoid manual input `dnf install -y <package>`") { script, _ in
        script.commands.contains { command in
            (command.has("dnf", anyOf: ["install", "groupinstall", "localinstall"])
             || command.has("microdnf", anyOf: ["install", "groupinstall", "localinstall"]))
                && !command.hasAnyFlag(["y", "assumeyes"])
        }
    }

    static let dl3040 = run("DL3040", .warning, "`dnf clean all` missing after dnf command.") { script, instruction in
        if instruction.hasCacheOrTmpfsMount(containing: "/var/cache/libdnf5") || instruction.hasCacheOrTmpfsMount(containing: ".cache/libdnf5") {
            return false
        }
        let installs = ["install", "in", "upgrade", "up", "upgrade-minimal", "up-min", "reinstall", "rei"]
        return !["dnf", "microdnf"].allSatisfy { tool in
            cleansAfter(script, install: { $0.has(tool, anyOf: installs) },
                        clean: { $0.has(tool, anyOf: ["clean", "all"]) || $0.has("rm", anyOf: ["-rf", "/var/cache/libdnf5*"]) })
        }
    }
}
