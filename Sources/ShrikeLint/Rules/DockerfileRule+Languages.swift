/// Rules on language package managers: pip, npm, yarn, gem.
extension DockerfileRule {
    static let languages: [DockerfileRule] = [dl3013, dl3016, dl3028, dl3042, dl3060]

    /// `pip… install` or `python… -m pip install` (not pipenv).
    static func isPipInstall(_ command: ShellCommand) -> Bool {
        if command.name.hasPrefix("pip"), !command.name.hasPrefix("pipenv"), command.arguments.contains("install") { return true }
        return command.name.hasPrefix("python") && command.arguments.containsSequence(["-m", "pip", "install"])
    }

    static let pipValueFlags = ["abi", "b", "build", "e", "editable", "extra-index-url", "f", "find-links", "i", "index-url",
                                "implementation", "no-binary", "only-binary", "platform", "prefix", "progress-bar", "proxy",
                                "python", "python-version", "root", "root-user-action", "src", "t", "target", "trusted-host",
                                "upgrade-strategy"]
    static let vcsSchemes = ["git+file", "git+https", "git+ssh", "git+http", "git+git", "git", "hg+file", "hg+http",
                             "hg+https", "hg+ssh", "hg+static-http", "svn", "svn+svn", "svn+http", "svn+https", "svn+ssh",
                             "bzr+http", "bzr+https", "bzr+ssh", "bzr+sftp", "bzr+ftp", "bzr+lp"]

    /// The words after the first `install`.
    static func afterInstall(_ words: [String]) -> [String] {
        Array(words.drop { $0 != "install" }.drop { $0 == "install" })
    }

    static let dl3013 = run("DL3013", .warning,
                            "Pin versions in pip. Instead of `pip install <package>` use `pip install <package>==<version>` or `pip install --requirement <requirements file>`") { script, _ in
        script.commands.contains { command in
            guard isPipInstall(command), !command.hasFlag("constraint"), !command.hasFlag("c") else { return false }
            if command.arguments.contains("--requirement") || command.arguments.contains("-r") || command.arguments.contains(".") {
                return false
            }
            let packages = afterInstall(command.droppingValues(of: pipValueFlags).argumentsWithoutFlags)
            return !packages.allSatisfy { package in
                let vcs = vcsSchemes.contains { package.hasPrefix($0) }
                return ["==", ">=", "<=", ">", "<", "!=", "~=", "==="].contains { package.contains($0) }
                    || (vcs && package.contains("@")) || package.hasSuffix(".whl") || package.hasSuffix(".tar.gz")
                    || (!vcs && package.contains("/"))
            }
        }
    }

    static let dl3016 = run("DL3016", .warning,
                            "Pin versions in npm. Instead of `npm install <package>` use `npm install <package>@<version>`") { script, _ in
        script.commands.contains { command in
            guard command.has("npm", anyOf: ["install"]) else { return false }
            let words = command.droppingValues(of: ["loglevel", "registry"]).argumentsWithoutFlags
            guard words.first == "install" else { return false }
            return !afterInstall(words).allSatisfy { package in
                if ["git://", "git+ssh://", "git+http://", "git+https://"].contains(where: { package.hasPrefix($0) }) {
                    return package.contains("#")
                }
                if [".tar", ".tar.gz", ".tgz"].contains(where: { package.hasSuffix($0) }) { return true }
                if ["/", "./", "../", "~/"].contains(where: { package.hasPrefix($0) }) { return true }
                let unscoped = package.hasPrefix("@") ? String(package.drop { $0 != "/" }) : package
                return unscoped.contains("@")
            }
        }
    }

    static let dl3028 = run("DL3028", .warning,
                            "Pin versions in gem install. Instead of `gem install <gem>` use `gem install <gem>:<version>`") { script, _ in
        script.commands.contains { command in
            guard command.has("gem", anyOf: ["install", "i"]), !command.arguments.contains("-v"),
                  !command.arguments.contains("--version"), !command.arguments.contains(where: { $0.hasPrefix("--version=") }) else {
                return false
            }
            var gems: [String] = []
            var words = command.arguments.prefix { $0 != "--" }[...]
            while let word = words.first {
                words = words.dropFirst()
                if word.hasPrefix("-") { words = words.dropFirst() } else if word != "install", word != "i" { gems.append(word) }
            }
            return gems.contains { !$0.contains(":") }
        }
    }

    static let truthy: Set<String> = ["1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES"]

    static let dl3042 = DockerfileRule("DL3042", .warning,
                                       "Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`") { context in
        var noCache = InheritedStageFlag()
        var lines: [Int] = []
        for instruction in context.dockerfile.instructions {
            switch instruction.keyword {
            case "FROM":
                noCache.enter(instruction)
            case "ENV":
                if let value = ArgumentWords.pairs(instruction.arguments, legacy: true).first(where: { $0.key == "PIP_NO_CACHE_DIR" })?.value,
                   truthy.contains(value) {
                    noCache.set()
                }
            case "RUN":
                guard !noCache.isSet, let script = context.script(at: instruction.line) else { continue }
                if let range = script.original.range(of: "PIP_NO_CACHE_DIR=") {
                    let value = script.original[range.upperBound...]
                    if truthy.contains(where: { value.hasPrefix($0) }) { continue }
                }
                if instruction.hasCacheOrTmpfsMount(containing: ".cache/pip") { continue }
                let forgot = script.commands.contains { command in
                    guard isPipInstall(command), !command.arguments.contains("--no-cache-dir") else { return false }
                    let wrapper = ["pipx", "pipenv"].contains { tool in
                        command.name.contains(tool) || (command.name.hasPrefix("python") && command.arguments.containsSequence(["-m", tool]))
                    }
                    return !wrapper
                }
                if forgot { lines.append(instruction.line) }
            default:
                break
            }
        }
        return lines
    }

    static let dl3060 = DockerfileRule("DL3060", .info, "`yarn cache clean` missing after `yarn install` was run.") { context in
        stageScopedFailures(context) { script, instruction in
            guard let install = script.firstIndex(where: { $0.has("yarn", anyOf: ["install"]) }) else { return false }
            guard let clean = script.firstIndex(where: { $0.has("yarn", anyOf: ["cache", "clean"]) }) else {
                return !instruction.hasCacheOrTmpfsMount(containing: ".cache/yarn")
            }
            return clean < install
        }
    }
}

extension Array where Element == String {
    /// The words appear one after another somewhere in the array.
    func containsSequence(_ sequence: [String]) -> Bool {
        guard sequence.count <= count else { return false }
        return (0...(count - sequence.count)).contains { Array(self[$0..<($0 + sequence.count)]) == sequence }
    }
}
