/// Rules on Debian and Ubuntu's `apt-get`.
extension DockerfileRule {
    static let apt: [DockerfileRule] = [dl3008, dl3009, dl3014, dl3015, dl3027]

    static func aptGetInstalls(_ script: ShellScript) -> [ShellCommand] {
        script.commands.filter { $0.has("apt-get", anyOf: ["install"]) }
    }

    static let dl3008 = run("DL3008", .warning,
                            "Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`") { script, _ in
        aptGetInstalls(script).contains { command in
            command.droppingValues(of: ["t", "target-release"]).argumentsWithoutFlags.contains { package in
                package != "install" && !(package.contains("=") || package.contains("/") || package.hasSuffix(".deb"))
            }
        }
    }

    static let dl3014 = run("DL3014", .warning, "Use the `-y` switch to avoid manual input `apt-get -y install <package>`") { script, _ in
        aptGetInstalls(script).contains { command in
            !(command.hasAnyFlag(["y", "yes", "qq", "assume-yes"]) || command.countFlag("q") == 2
              || command.countFlag("quiet") == 2 || command.arguments.contains("-q=2"))
        }
    }

    static let dl3015 = run("DL3015", .info, "Avoid additional packages by specifying `--no-install-recommends`") { script, _ in
        aptGetInstalls(script).contains { command in
            !(command.hasFlag("no-install-recommends") || command.arguments.contains("APT::Install-Recommends=false"))
        }
    }

    static let dl3027 = run("DL3027", .warning,
                            "Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead") { script, _ in
        script.uses("apt")
    }

    /// A `RUN` that updates the package lists and does not remove them (nor keeps them in a cache mount).
    static func leavesAptLists(_ script: ShellScript, _ instruction: Instruction) -> Bool {
        let updates = script.commands.contains { command in
            ["apt", "apt-get", "aptitude"].contains(command.name) && command.arguments.contains("update")
        }
        // hadolint counts any `rm` with `-rf` (or of the lists) as the clean-up.
        let cleans = script.commands.contains { $0.has("rm", anyOf: ["-rf", "/var/lib/apt/lists/*"]) }
        guard updates, !cleans else { return false }
        if instruction.hasCacheOrTmpfsMount(containing: "/var/lib/apt/lists") { return false }
        if instruction.hasCacheOrTmpfsMount(containing: "/var/lib/apt"), instruction.hasCacheOrTmpfsMount(containing: "/var/cache/apt") {
            return false
        }
        return true
    }

    static let dl3009 = DockerfileRule("DL3009", .info, "Delete the apt lists (/var/lib/apt/lists) after installing something") { context in
        stageScopedFailures(context, fails: leavesAptLists)
    }

    /// hadolint's rule for leftovers (DL3009, DL3060): a failing `RUN` counts when it is in the last stage or in a
    /// stage another stage is built `FROM`; `ONBUILD RUN`s always count.
    static func stageScopedFailures(_ context: LintContext, fails: (ShellScript, Instruction) -> Bool) -> [Int] {
        var stageOfLine: [Int: (alias: String?, index: Int)] = [:]
        var baseNames = Set<String>()
        var stage = -1
        var alias: String?
        for instruction in context.dockerfile.instructions {
            if instruction.keyword == "FROM" {
                stage += 1
                let image = BaseImage(instruction)
                alias = image.alias
                baseNames.insert(image.name)
            }
            stageOfLine[instruction.line] = (alias, stage)
        }
        var lines: [Int] = []
        for step in context.runs where fails(step.script, step.instruction) {
            if step.onbuild { lines.append(step.line); continue }
            guard let owner = stageOfLine[step.line] else { continue }
            if owner.index == stage { lines.append(step.line) } else if let alias = owner.alias, baseNames.contains(alias) {
                lines.append(step.line)
            }
        }
        return lines
    }
}
