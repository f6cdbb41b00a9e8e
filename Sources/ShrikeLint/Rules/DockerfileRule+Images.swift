/// Rules on `FROM`, stages and `COPY --from`.
extension DockerfileRule {
    static let images: [DockerfileRule] = [dl3006, dl3007, dl3022, dl3023, dl3024, dl3026, dl3029, dl3043, dl3061, dl4000]

    static let dl3006 = DockerfileRule("DL3006", .warning, "Always tag the version of an image explicitly") { context in
        var aliases = Set<String>()
        var lines: [Int] = []
        for instruction in context.dockerfile.instructions where instruction.keyword == "FROM" {
            let image = BaseImage(instruction)
            if !(image.name == "scratch" || image.digest != nil || image.tag != nil
                 || image.name.hasPrefix("$") || aliases.contains(image.name)) {
                lines.append(instruction.line)
            }
            if let alias = image.alias { aliases.insert(alias) }
        }
        return lines
    }

    static let dl3007 = each("DL3007", .warning,
                             "Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag") { instruction in
        guard instruction.keyword == "FROM" else { return false }
        let image = BaseImage(instruction)
        return image.tag == "latest" && image.digest == nil
    }

    static let dl3022 = DockerfileRule("DL3022", .warning, "`COPY --from` should reference a previously defined `FROM` alias") { context in
        var names = Set<String>()
        var count = 0
        var lines: [Int] = []
        for instruction in context.dockerfile.instructions {
            if instruction.keyword == "FROM" {
                count += 1
                if let alias = BaseImage(instruction).alias { names.insert(alias) }
            } else if instruction.keyword == "COPY", let source = instruction.flag("from") {
                if droppingQuotes(source).contains(":") || names.contains(source) { continue }
                if let index = Int(source), index >= 0, index < count { continue }
                lines.append(instruction.line)
            }
        }
        return lines
    }

    static let dl3023 = DockerfileRule("DL3023", .error, "`COPY --from` cannot reference its own `FROM` alias") { context in
        var current: String?
        var seenFrom = false
        var lines: [Int] = []
        for instruction in context.dockerfile.instructions {
            if instruction.keyword == "FROM" {
                current = BaseImage(instruction).alias
                seenFrom = true
            } else if seenFrom, instruction.keyword == "COPY", let source = instruction.flag("from"), let current,
                      current == source {
                lines.append(instruction.line)
            }
        }
        return lines
    }

    static let dl3024 = DockerfileRule("DL3024", .error, "FROM aliases (stage names) must be unique") { context in
        var aliases = Set<String>()
        var lines: [Int] = []
        for instruction in context.dockerfile.instructions where instruction.keyword == "FROM" {
            guard let alias = BaseImage(instruction).alias else { continue }
            if !aliases.insert(alias).inserted { lines.append(instruction.line) }
        }
        return lines
    }

    static let dl3026 = DockerfileRule("DL3026", .error, "Use only an allowed registry in the FROM image") { context in
        let allowed = context.trustedRegistries
        guard !allowed.isEmpty else { return [] }
        func matches(_ pattern: String, _ registry: String) -> Bool {
            if pattern == "*" { return true }
            if pattern.hasPrefix("*") { return registry.hasSuffix(pattern.dropFirst()) }
            if pattern.hasSuffix("*") { return registry.hasPrefix(pattern.dropLast()) }
            return registry == pattern
        }
        func isAllowed(_ image: BaseImage) -> Bool {
            if let registry = image.registry { return allowed.contains { matches($0, registry) } }
            return image.name == "scratch" || allowed.contains { matches($0, "docker.io") || matches($0, "hub.docker.com") }
        }
        var aliases = Set<String>()
        var lines: [Int] = []
        for instruction in context.dockerfile.instructions {
            if instruction.keyword == "FROM" {
                let image = BaseImage(instruction)
                if !aliases.contains(image.name), !isAllowed(image) { lines.append(instruction.line) }
                if let alias = image.alias { aliases.insert(alias) }
            } else if instruction.keyword == "COPY", let source = instruction.flag("from") {
                let image = BaseImage(Instruction(keyword: "FROM", line: instruction.line, arguments: source))
                if !aliases.contains(image.name), !isAllowed(image) { lines.append(instruction.line) }
            }
        }
        return lines
    }

    static let dl3029 = each("DL3029", .warning, "Do not use --platform flag with FROM") { instruction in
        guard instruction.keyword == "FROM", let platform = instruction.flag("platform") else { return false }
        return !(platform.contains("BUILDPLATFORM") || platform.contains("TARGETPLATFORM"))
    }

    static let dl3043 = each("DL3043", .error,
                             "`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.") { instruction in
        guard let trigger = instruction.trigger else { return false }
        return ["ONBUILD", "FROM", "MAINTAINER"].contains(trigger.keyword)
    }

    static let dl3061 = DockerfileRule("DL3061", .error,
                                       "Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment.") { context in
        var seenFrom = false
        var lines: [Int] = []
        for instruction in context.dockerfile.instructions {
            if instruction.keyword == "FROM" { seenFrom = true } else if instruction.keyword != "ARG", !seenFrom {
                lines.append(instruction.line)
            }
        }
        return lines
    }

    static let dl4000 = each("DL4000", .error, "MAINTAINER is deprecated") { $0.keyword == "MAINTAINER" }
}
