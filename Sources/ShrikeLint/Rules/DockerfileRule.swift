/// A lint rule: hadolint's id, default severity and message (or Shrike's own `SHL` ids), and the check, which
/// returns the lines of the instructions that fail it.
public struct DockerfileRule: Sendable {
    public let id: String
    public let severity: LintSeverity
    public let message: String
    let check: @Sendable (LintContext) -> [Int]

    init(_ id: String, _ severity: LintSeverity, _ message: String, check: @escaping @Sendable (LintContext) -> [Int]) {
        self.id = id
        self.severity = severity
        self.message = message
        self.check = check
    }

    /// Every rule Shrike implements, hadolint's first.
    public static let all: [DockerfileRule] = images + instructions + shell + apt + alpine + rpm + languages + shrike

    /// A rule on each `RUN` script alone; `onbuild` also checks `ONBUILD RUN` (as hadolint does for that rule).
    static func run(_ id: String, _ severity: LintSeverity, _ message: String, onbuild: Bool = true,
                    fails: @escaping @Sendable (ShellScript, Instruction) -> Bool) -> DockerfileRule {
        DockerfileRule(id, severity, message) { context in
            context.runs.filter { (onbuild || !$0.onbuild) && fails($0.script, $0.instruction) }.map(\.line)
        }
    }

    /// A rule on each top-level instruction alone.
    static func each(_ id: String, _ severity: LintSeverity, _ message: String,
                     fails: @escaping @Sendable (Instruction) -> Bool) -> DockerfileRule {
        DockerfileRule(id, severity, message) { context in
            context.dockerfile.instructions.filter(fails).map(\.line)
        }
    }
}

/// What a rule reads: the file, the `RUN` scripts parsed once, and the configuration's trusted registries.
struct LintContext: Sendable {
    struct RunStep: Sendable {
        var line: Int
        var instruction: Instruction
        var script: ShellScript
        /// An `ONBUILD RUN`: its instruction is the trigger.
        var onbuild: Bool
    }

    let dockerfile: Dockerfile
    let runs: [RunStep]
    let trustedRegistries: [String]

    init(dockerfile: Dockerfile, trustedRegistries: [String] = []) {
        self.dockerfile = dockerfile
        self.trustedRegistries = trustedRegistries
        var runs: [RunStep] = []
        for instruction in dockerfile.instructions {
            if instruction.keyword == "RUN" {
                runs.append(RunStep(line: instruction.line, instruction: instruction,
                                    script: ShellScript(instruction.script), onbuild: false))
            } else if let trigger = instruction.trigger, trigger.keyword == "RUN" {
                runs.append(RunStep(line: instruction.line, instruction: trigger, script: ShellScript(trigger.script),
                                    onbuild: true))
            }
        }
        self.runs = runs
    }

    /// The parsed script of a top-level `RUN` on this line.
    func script(at line: Int) -> ShellScript? {
        runs.first { $0.line == line && !$0.onbuild }?.script
    }
}

extension Instruction {
    /// `--mount=type=cache,target=…` or `type=tmpfs` whose target contains `fragment` (hadolint's test).
    func hasCacheOrTmpfsMount(containing fragment: String) -> Bool {
        flags.contains { flag in
            guard flag.name == "mount", let value = flag.value else { return false }
            var type = "bind"
            var target = ""
            for part in value.split(separator: ",") {
                let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
                guard pair.count == 2 else { continue }
                switch pair[0] {
                case "type": type = pair[1]
                case "target", "dst", "destination": target = pair[1]
                default: break
                }
            }
            return (type == "cache" || type == "tmpfs") && target.contains(fragment)
        }
    }
}

/// A per-stage flag (WORKDIR set, PIP_NO_CACHE_DIR set) keyed by stage name (alias, else image name), which a stage
/// built `FROM` another stage inherits, as hadolint tracks it.
struct InheritedStageFlag {
    private var values: [String: Bool] = [:]
    private var current = ""

    mutating func enter(_ from: Instruction) {
        let image = BaseImage(from)
        current = image.alias ?? image.name
        values[current] = values[image.name] ?? false
    }

    mutating func set() { values[current] = true }

    var isSet: Bool { values[current] == true }
}

/// hadolint's `dropQuotes`: the text without surrounding `"` and `'`.
func droppingQuotes(_ text: String) -> String { text.trimming(["\"", "'"]) }

/// `C:` or `c:\…`: an absolute Windows path.
func isWindowsAbsolute(_ path: String) -> Bool {
    let characters = Array(path.prefix(2))
    return characters.count == 2 && characters[0].isLetter && characters[1] == ":"
}
