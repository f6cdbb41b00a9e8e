/// The module information `cmd/go` embeds in a binary (what `go version -m` prints), parsed.
///
/// Lines are tab-separated: `path P`, `mod P V [SUM]`, `dep P V [SUM]`, `=> P V [SUM]` (replaces the module on the
/// line before), `build KEY=VALUE`. Malformed lines are skipped rather than failing the whole binary.
public struct GoModInfo: Sendable, Equatable {
    /// One module: as required, and what replaced it (`replace` directives) when anything did.
    public struct Module: Sendable, Equatable {
        public var path: String
        /// `v1.2.3`, a pseudo-version `v0.0.0-20230101000000-abcdef123456`, `(devel)`, or empty.
        public var version: String
        public var sum: String?
        public var replacement: Replacement?

        public init(path: String, version: String, sum: String? = nil, replacement: Replacement? = nil) {
            self.path = path
            self.version = version
            self.sum = sum
            self.replacement = replacement
        }
    }

    /// The target of a `replace` directive: another module version, or a local directory (no version).
    public struct Replacement: Sendable, Equatable {
        public var path: String
        public var version: String
        public var sum: String?

        /// A directory replacement (`=> ./fork`, version `(devel)` or empty): code from the builder's disk, with no
        /// module version.
        public var isLocal: Bool {
            version.isEmpty || version == "(devel)" || path.hasPrefix("./") || path.hasPrefix("../") || path.hasPrefix("/")
        }
    }

    /// The main package's import path (`github.com/anchore/syft/cmd/syft`), or `command-line-arguments`.
    public var path: String?
    /// The main module; nil when built outside a module.
    public var main: Module?
    public var dependencies: [Module]
    /// `build` settings in order (`-compiler=gc`, `GOARCH=amd64`, `vcs.revision=…`).
    public var settings: [(key: String, value: String)]

    public static func == (lhs: GoModInfo, rhs: GoModInfo) -> Bool {
        lhs.path == rhs.path && lhs.main == rhs.main && lhs.dependencies == rhs.dependencies
            && lhs.settings.map(\.key) == rhs.settings.map(\.key) && lhs.settings.map(\.value) == rhs.settings.map(\.value)
    }

    /// The value of build setting `key`, if set.
    public func setting(_ key: String) -> String? { settings.first { $0.key == key }?.value }

    public init(parsing text: String) {
        path = nil
        main = nil
        dependencies = []
        settings = []
        var lastWasMain = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard let kind = fields.first else { continue }
            switch kind {
            case "path" where fields.count >= 2:
                path = fields[1]
            case "mod" where fields.count >= 3, "dep" where fields.count >= 3:
                guard !fields[1].isEmpty else { continue }
                let module = Module(path: fields[1], version: fields[2], sum: fields.count > 3 && !fields[3].isEmpty ? fields[3] : nil)
                if kind == "mod" {
                    main = module
                    lastWasMain = true
                } else {
                    dependencies.append(module)
                    lastWasMain = false
                }
            case "=>" where fields.count >= 2:
                let replacement = Replacement(path: fields[1], version: fields.count > 2 ? fields[2] : "",
                                              sum: fields.count > 3 && !fields[3].isEmpty ? fields[3] : nil)
                if lastWasMain {
                    main?.replacement = replacement
                } else if !dependencies.isEmpty {
                    dependencies[dependencies.count - 1].replacement = replacement
                }
            case "build" where fields.count >= 2:
                let setting = fields[1...].joined(separator: "\t")
                guard let equals = setting.firstIndex(of: "=") else { continue }
                var value = String(setting[setting.index(after: equals)...])
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = Self.unquote(value) }
                settings.append((String(setting[..<equals]), value))
            default:
                continue
            }
        }
    }

    /// Go's strconv.Quote output back to text (only the escapes it writes for build flags).
    static func unquote(_ quoted: String) -> String {
        var out = ""
        var escaping = false
        for character in quoted.dropFirst().dropLast() {
            if escaping {
                switch character {
                case "n": out.append("\n")
                case "t": out.append("\t")
                default: out.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}
