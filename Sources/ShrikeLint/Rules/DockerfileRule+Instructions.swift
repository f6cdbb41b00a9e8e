/// Rules on single instructions and their order: `WORKDIR`, `USER`, `ADD`/`COPY`, `ENV`, `LABEL`, `CMD`, `RUN`.
extension DockerfileRule {
    static let instructions: [DockerfileRule] = [dl3000, dl3002, dl3020, dl3021, dl3025, dl3044, dl3045, dl3048, dl3059, dl4003, dl4004]

    static let dl3000 = each("DL3000", .error, "Use absolute WORKDIR") { instruction in
        guard instruction.keyword == "WORKDIR" else { return false }
        let path = droppingQuotes(instruction.arguments)
        return !(path.hasPrefix("$") || path.hasPrefix("/") || isWindowsAbsolute(path))
    }

    /// hadolint's test for a root `USER`: `root`, `0`, `root:group`, `0:group`.
    static func isRoot(_ user: String) -> Bool {
        user == "root" || user == "0" || user.hasPrefix("root:") || user.hasPrefix("0:")
    }

    static let dl3002 = DockerfileRule("DL3002", .warning, "Last USER should not be root") { context in
        // Per stage (by its FROM line): the line of its last USER when that user is root.
        var stage = 0
        var rootLines: [Int: Int] = [:]
        for instruction in context.dockerfile.instructions {
            if instruction.keyword == "FROM" { stage = instruction.line }
            guard instruction.keyword == "USER" else { continue }
            if isRoot(instruction.arguments) { rootLines[stage] = instruction.line } else { rootLines[stage] = nil }
        }
        return rootLines.values.sorted()
    }

    static let archiveExtensions = [".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz",
                                    ".tlz", ".tpz", ".txz", ".xz"]

    static func isURL(_ source: String) -> Bool {
        let path = droppingQuotes(source)
        return path.hasPrefix("https://") || path.hasPrefix("http://")
    }

    static let dl3020 = each("DL3020", .error, "Use COPY instead of ADD for files and folders") { instruction in
        guard instruction.keyword == "ADD" else { return false }
        let sources = instruction.words.dropLast()
        return !sources.allSatisfy { source in
            isURL(source) || archiveExtensions.contains { droppingQuotes(source).hasSuffix($0) }
        }
    }

    static let dl3021 = each("DL3021", .error, "COPY with more than 2 arguments requires the last argument to end with /") { instruction in
        guard instruction.keyword == "COPY" else { return false }
        let words = instruction.words
        guard words.count > 2, let target = words.last else { return false }
        return droppingQuotes(target).last != "/"
    }

    static let dl3025 = each("DL3025", .warning, "Use arguments JSON notation for CMD and ENTRYPOINT arguments") { instruction in
        switch instruction.keyword {
        case "CMD", "ENTRYPOINT":
            return instruction.execForm == nil
        case "HEALTHCHECK":
            let words = ArgumentWords.split(instruction.arguments)
            guard words.first?.uppercased() == "CMD" else { return false }
            let rest = instruction.arguments.drop { $0 == " " || $0 == "\t" }.dropFirst(3)
                .trimming([" ", "\t"])
            return DockerfileParser.jsonArray(rest) == nil
        default:
            return false
        }
    }

    static let dl3044 = DockerfileRule("DL3044", .error,
                                       "Do not refer to an environment variable within the same `ENV` statement where it is defined.") { context in
        var defined = Set<String>()
        var lines: [Int] = []
        for instruction in context.dockerfile.instructions {
            if instruction.keyword == "ARG" {
                for pair in ArgumentWords.pairs(instruction.arguments, legacy: false) { defined.insert(pair.key) }
            }
            guard instruction.keyword == "ENV" else { continue }
            let pairs = ArgumentWords.pairs(instruction.arguments, legacy: true)
            let referenced = pairs.enumerated().filter { index, pair in
                pairs.enumerated().contains { other, candidate in
                    other != index && references(candidate.value, pair.key)
                }
            }.map(\.element.key)
            if referenced.contains(where: { !defined.contains($0) }) { lines.append(instruction.line) }
            for pair in pairs { defined.insert(pair.key) }
        }
        return lines
    }

    /// `${name}` or `$name` not followed by another name character.
    static func references(_ text: String, _ name: String) -> Bool {
        if text.contains("${\(name)}") { return true }
        let parts = text.components(separatedBy: "$" + name)
        return parts.count > 1 && parts.dropFirst().contains { rest in
            rest.first.map { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_")) } ?? true
        }
    }

    static let dl3045 = DockerfileRule("DL3045", .warning, "`COPY` to a relative destination without `WORKDIR` set.") { context in
        var workdir = InheritedStageFlag()
        var lines: [Int] = []
        for instruction in context.dockerfile.instructions {
            switch instruction.keyword {
            case "FROM":
                workdir.enter(instruction)
            case "WORKDIR":
                workdir.set()
            case "COPY":
                if workdir.isSet { continue }
                guard let destination = instruction.words.last.map(droppingQuotes) else { continue }
                if destination.hasPrefix("/") || isWindowsAbsolute(destination) || destination.hasPrefix("$") { continue }
                lines.append(instruction.line)
            default:
                break
            }
        }
        return lines
    }

    static let dl3048 = each("DL3048", .style, "Invalid label key.") { instruction in
        guard instruction.keyword == "LABEL" else { return false }
        let valid = Set("0123456789abcdefghijklmnopqrstuvwxyz.-_/")
        return ArgumentWords.pairs(instruction.arguments, legacy: true).contains { pair in
            let key = pair.key
            guard let first = key.first, let last = key.last else { return true }
            return !("a"..."z").contains(first) || !(("a"..."z").contains(last) || ("0"..."9").contains(last))
                || key.contains { !valid.contains($0) }
                || key.hasPrefix("com.docker.") || key.hasPrefix("io.docker.") || key.hasPrefix("org.dockerproject.")
                || key.contains("..") || key.contains("--")
        }
    }

    static let dl3059 = DockerfileRule("DL3059", .info, "Multiple consecutive `RUN` instructions. Consider consolidation.") { context in
        var previous: (flags: [InstructionFlag], count: Int)?
        var lines: [Int] = []
        for instruction in context.dockerfile.instructions {
            guard instruction.keyword == "RUN", let script = context.script(at: instruction.line) else {
                previous = nil
                continue
            }
            // hadolint's limit is "more than 2 commands", but it counts each command twice (ShellCheck's tree holds it
            // as a redirection node and as a simple command), so in effect two one-command RUNs in a row fail.
            let count = script.commands.count * 2
            if let last = previous, last.flags == instruction.flags, count <= 2, last.count <= 2 {
                lines.append(instruction.line)
            } else {
                previous = (instruction.flags, count)
            }
        }
        return lines
    }

    static let dl4003 = multiple("DL4003", .warning, "CMD",
                                 "Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect")
    static let dl4004 = multiple("DL4004", .error, "ENTRYPOINT",
                                 "Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the last `ENTRYPOINT` will take effect")

    private static func multiple(_ id: String, _ severity: LintSeverity, _ keyword: String, _ message: String) -> DockerfileRule {
        DockerfileRule(id, severity, message) { context in
            var seen = false
            var lines: [Int] = []
            for instruction in context.dockerfile.instructions {
                if instruction.keyword == "FROM" { seen = false } else if instruction.keyword == keyword {
                    if seen { lines.append(instruction.line) }
                    seen = true
                }
            }
            return lines
        }
    }
}
