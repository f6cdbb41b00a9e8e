/// One simple command of a `RUN` script, as hadolint's rules see it: the name, the arguments (quotes removed,
/// `$VAR` spelled `${VAR}`, redirections left out) and the flags found among them.
public struct ShellCommand: Sendable, Equatable {
    public var name: String
    public var arguments: [String]

    public init(name: String, arguments: [String]) {
        self.name = name
        self.arguments = arguments
    }

    /// Flags with the index of the argument they come from: `--no-cache` is `no-cache`, `--opt=x` is `opt`,
    /// `-yq` is `y` and `q`; `-` and `--` are no flags.
    public var flags: [(name: String, index: Int)] {
        var result: [(String, Int)] = []
        for (index, argument) in arguments.enumerated() where argument.hasPrefix("-") && argument != "-" && argument != "--" {
            if argument.hasPrefix("--") {
                result.append((String(argument.dropFirst(2).prefix { $0 != "=" }), index))
            } else {
                for character in argument.dropFirst() { result.append((String(character), index)) }
            }
        }
        return result
    }

    /// `-y` or `--yes` style flag lookups by name (`y`, `yes`), as hadolint's `hasFlag`, `hasAnyFlag`, `countFlag`.
    public func hasFlag(_ flag: String) -> Bool { flags.contains { $0.name == flag } }
    public func hasAnyFlag(_ names: [String]) -> Bool { flags.contains { names.contains($0.name) } }
    public func countFlag(_ flag: String) -> Int { flags.filter { $0.name == flag }.count }

    /// The command is `name` and one of its arguments is in `arguments`.
    public func has(_ name: String, anyOf arguments: [String]) -> Bool {
        self.name == name && self.arguments.contains { arguments.contains($0) }
    }

    /// The arguments that are not flags.
    public var argumentsWithoutFlags: [String] {
        let flagged = Set(flags.map(\.index))
        return arguments.enumerated().filter { !flagged.contains($0.offset) }.map(\.element)
    }

    /// The command without the value after each of these flags (unless the flag holds it as `--flag=value`).
    public func droppingValues(of names: [String]) -> ShellCommand {
        var drop = Set<Int>()
        for flag in flags where names.contains(flag.name) && !arguments[flag.index].contains("=") {
            drop.insert(flag.index + 1)
        }
        return ShellCommand(name: name, arguments: arguments.enumerated().filter { !drop.contains($0.offset) }.map(\.element))
    }

    /// The arguments right after each of these flags: `useradd -u 12345` gives `12345` for `u`.
    public func values(of flag: String) -> [String] {
        flags.filter { $0.name == flag }.compactMap { $0.index + 1 < arguments.count ? arguments[$0.index + 1] : nil }
    }
}
