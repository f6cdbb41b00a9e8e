/// Shrike's own rules (`SHL` ids): what matters for the supply chain and the runtime more than for style.
extension DockerfileRule {
    static let shrike: [DockerfileRule] = [shl1001, shl1002, shl1003, shl1004]

    /// Parts of a variable name that say it holds a secret.
    static let secretNameParts = ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY",
                                  "ACCESS_KEY", "CREDENTIAL", "AUTH_KEY"]
    /// Prefixes of well-known credential formats (AWS, GitHub, GitLab, Slack, PEM private keys).
    static let secretValuePrefixes = ["AKIA", "ASIA", "ghp_", "gho_", "ghs_", "github_pat_", "glpat-", "xoxb-", "xoxp-",
                                      "-----BEGIN"]

    static func looksSecret(name: String, value: String) -> Bool {
        let upper = name.uppercased()
        if secretNameParts.contains(where: { upper.contains($0) }) { return true }
        return secretValuePrefixes.contains { prefix in
            guard value.hasPrefix(prefix) else { return false }
            // AKIA… keys are 20 upper-case letters and digits; the others are long tokens.
            return prefix.hasPrefix("AKIA") || prefix.hasPrefix("ASIA")
                ? value.count == 20 && value.allSatisfy { $0.isUppercase || $0.isNumber }
                : value.count >= 20
        }
    }

    static let shl1001 = each("SHL1001", .warning,
                              "ENV or ARG looks like it holds a secret; it stays in the image's history and config. Pass it with `RUN --mount=type=secret` instead") { instruction in
        guard instruction.keyword == "ENV" || instruction.keyword == "ARG" else { return false }
        return ArgumentWords.pairs(instruction.arguments, legacy: instruction.keyword == "ENV").contains { looksSecret(name: $0.key, value: $0.value) }
    }

    static let shl1002 = each("SHL1002", .warning,
                              "ADD of a remote URL without `--checksum=sha256:…`: the download is not verified. Add `--checksum`, or download and verify in a RUN") { instruction in
        guard instruction.keyword == "ADD", instruction.flag("checksum") == nil else { return false }
        return instruction.words.dropLast().contains(where: isURL)
    }

    static let shl1003 = DockerfileRule("SHL1003", .warning,
                                        "The final stage runs as root: add `USER` with a non-root user (a numeric UID works everywhere)") { context in
        guard let finalFrom = context.dockerfile.instructions.lastIndex(where: { $0.keyword == "FROM" }) else { return [] }
        let stage = context.dockerfile.instructions[finalFrom...]
        guard let lastUser = stage.last(where: { $0.keyword == "USER" }) else {
            // FROM scratch with a static binary has no root to run as in practice, but no user either: still report.
            return [stage[finalFrom].line]
        }
        let user = lastUser.arguments.trimming([" ", "\t"])
        return isRoot(user) ? [lastUser.line] : []
    }

    static let shl1004 = DockerfileRule("SHL1004", .warning,
                                        "Base image without a tag (or `latest`) and without a digest: builds are not reproducible. Pin `image:tag@sha256:…`") { context in
        var aliases = Set<String>()
        var lines: [Int] = []
        for instruction in context.dockerfile.instructions where instruction.keyword == "FROM" {
            let image = BaseImage(instruction)
            if !image.isScratch, image.digest == nil, image.tag == nil || image.tag == "latest",
               !image.name.hasPrefix("$"), !aliases.contains(image.name) {
                lines.append(instruction.line)
            }
            if let alias = image.alias { aliases.insert(alias) }
        }
        return lines
    }
}
