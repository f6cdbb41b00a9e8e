/// What the kernel's response program must enforce: `response: kill` rules compiled to terms (a rule holds when one
/// of its terms does; a term when all its atoms do) and `deny-connect` rules as connect policies.
///
/// Built by ShrikeRules' `ResponseCompiler` from the rules; `EnforcementProgram` writes it into the program's maps.
/// The plan is the kernel's whole view of the rules, so it is exactly what the rule compiler proved equivalent.
public struct EnforcementPlan: Sendable, Equatable {
    /// The response rules by index (terms and policies name their rule by its index here).
    public var ruleNames: [String]
    public var terms: [KillTerm]
    public var policies: [ConnectPolicy]
    /// Report would-kill / would-deny and let everything happen.
    public var dryRun: Bool

    public init(ruleNames: [String] = [], terms: [KillTerm] = [], policies: [ConnectPolicy] = [], dryRun: Bool = false) {
        self.ruleNames = ruleNames
        self.terms = terms
        self.policies = policies
        self.dryRun = dryRun
    }

    /// True when nothing is to be enforced (no program needs loading).
    public var isEmpty: Bool { terms.isEmpty && policies.isEmpty }

    /// The most terms, atoms per term, allow-list entries and policies the kernel's maps hold.
    public static let maximumTerms = 64
    public static let maximumAtomsPerTerm = 8
    public static let maximumAllowEntries = 32
    public static let maximumPolicies = 16
    /// Paths the kernel compares are shorter than this (longer ones are left undecided).
    public static let maximumPathBytes = 252
}

/// The events a kill term can apply to: the exec tracepoint and the open-family syscalls' exits.
public enum EnforcedEventClass: String, Sendable, CaseIterable, Hashable {
    case execve, open, openat, openat2, creat

    /// The bit in `shrike_term.classes`.
    var bit: UInt32 {
        switch self {
        case .execve: 1
        case .open: 2
        case .openat: 4
        case .openat2: 8
        case .creat: 16
        }
    }
}

/// One conjunction of a kill rule.
public struct KillTerm: Sendable, Equatable {
    public var rule: Int
    public var classes: Set<EnforcedEventClass>
    public var atoms: [KernelAtom]

    public init(rule: Int, classes: Set<EnforcedEventClass>, atoms: [KernelAtom]) {
        self.rule = rule
        self.classes = classes
        self.atoms = atoms
    }
}

/// One test the kernel can make exactly, possibly negated.
public struct KernelAtom: Sendable, Equatable {
    public enum Test: Sendable, Equatable {
        /// fd.name (the opened or executed path) equals one of these.
        case pathIn([String])
        /// fd.directory equals one of these.
        case directoryIn([String])
        /// fd.name is one of these or lies below one (whole components, as `pmatch`).
        case pathUnder([String])
        /// fd.name starts with one of these (bytes, as `startswith`).
        case pathStartsWith([String])
        /// proc.name (the comm) is one of these.
        case nameIn([String])
        /// proc.pname (the parent's comm) is one of these.
        case parentNameIn([String])
        /// The process runs in a container (`container.id != host`).
        case inContainer
        case uid(UIDComparison, UInt32)
        /// evt.is_open_write, evt.is_open_create, evt.failed (false for exec).
        case openWrite, openCreate, failed
    }

    public enum UIDComparison: Sendable, Equatable { case equal, less, lessOrEqual, greater, greaterOrEqual }

    public var test: Test
    public var negated: Bool

    public init(_ test: Test, negated: Bool = false) {
        self.test = test
        self.negated = negated
    }
}

/// A `deny-connect` rule's policy: the cgroups it is attached to may connect only to `allow`.
public struct ConnectPolicy: Sendable, Equatable {
    public var rule: Int
    public var allow: [ConnectAllowEntry]

    public init(rule: Int, allow: [ConnectAllowEntry]) {
        self.rule = rule
        self.allow = allow
    }
}
