#if canImport(Glibc)
import Glibc
#endif
import ShrikeCore
import ShrikeSensor

/// A rule's `response:` compiled for the kernel, with a mirror of what the kernel decides so that the alert of an
/// event can say what was done to it (`killed`, `would-kill`, `denied`, `would-deny`, or `unenforced` when the
/// kernel could not decide: a relative path, say).
public struct CompiledResponse: Sendable {
    public let action: RuleResponse.Action
    /// The rule's index in the enforcement plan (what the kernel reports).
    public let index: Int
    /// kill: the condition as kernel terms.
    public let terms: [KillTerm]
    /// deny-connect: the containers covered (alternatives of conjunctions); empty with only `cgroup`.
    let scope: [[ResponseCompiler.ScopeAtom]]
    public let allow: [ConnectAllowEntry]
    /// deny-connect: a cgroup2 directory cut off from the start.
    public let cgroup: String?

    /// True when a deny-connect rule names containers (rather than only a `response_cgroup`).
    public var scopesContainers: Bool { scope.contains { !$0.isEmpty } }

    /// True when a deny-connect scope covers `container` (never the host).
    public func covers(_ container: ContainerInfo) -> Bool {
        guard action == .denyConnect, !container.isHost else { return false }
        return scope.contains { atoms in
            !atoms.isEmpty && atoms.allSatisfy { atom in
                let value: String?
                switch atom.field {
                case .id: value = container.id
                case .fullID: value = container.fullID
                case .name: value = container.name
                case .repository: value = ImageReference.parse(container.image)?.repository
                }
                return value.map(atom.values.contains) ?? false
            }
        }
    }

    /// What the kernel did to `event` (which matched the rule): nil when no response applies to it.
    /// `parentName` is proc.pname as the rule saw it.
    public func outcome(for event: Event, parentName: String?, dryRun: Bool) -> String? {
        let process = event.process
        // The kernel program's safety rules: never Shrike, never host PID 1.
        if process.pid == getpid() || process.pid == 1 { return nil }
        switch action {
        case .kill:
            guard let kind = EnforcedEventClass(rawValue: event.type) else { return nil }
            var undecided = false
            for term in terms where term.classes.contains(kind) {
                switch Self.holds(term, event: event, kind: kind, parentName: parentName) {
                case true?: return dryRun ? "would-kill" : "killed"
                case nil: undecided = true
                case false?: continue
                }
            }
            return undecided ? "unenforced" : nil
        case .denyConnect:
            guard event.type == "connect", let net = event.net, net.role == .destination, let address = net.address,
                  let port = net.port, let bytes = Self.addressBytes(address) else { return nil }
            let family: UInt32 = bytes.count == 4 ? 2 : 10
            if allow.contains(where: { $0.allows(family: family, address: bytes, port: port) }) { return nil }
            if dryRun { return "would-deny" }
            return event.ret == -Int64(EPERM) || event.ret == -1 ? "denied" : nil
        }
    }

    /// A term on an event: true, false, or nil (undecided) as the kernel program would find it.
    static func holds(_ term: KillTerm, event: Event, kind: EnforcedEventClass, parentName: String?) -> Bool? {
        for atom in term.atoms {
            guard let value = holds(atom.test, event: event, kind: kind, parentName: parentName) else { return nil }
            if value == atom.negated { return false }
        }
        return true
    }

    private static func holds(_ test: KernelAtom.Test, event: Event, kind: EnforcedEventClass,
                              parentName: String?) -> Bool? {
        let flags = kind == .execve ? 0 : Int(event.file?.flags ?? 0)
        switch test {
        case .pathIn(let items), .directoryIn(let items), .pathUnder(let items), .pathStartsWith(let items):
            guard let path = decidablePath(event, kind: kind) else { return nil }
            switch test {
            case .pathIn: return items.contains(path)
            case .directoryIn: return items.contains(FieldRegistry.directory(of: path))
            case .pathUnder: return PathPrefixTree(items).matches(path)
            default: return items.contains { path.hasPrefix($0) }
            }
        case .nameIn(let items): return items.contains(event.process.name)
        case .parentNameIn(let items): return parentName.map(items.contains) ?? false
        case .inContainer: return !event.process.container.isHost
        case .uid(let comparison, let value):
            let uid = event.process.uid
            switch comparison {
            case .equal: return uid == value
            case .less: return uid < value
            case .lessOrEqual: return uid <= value
            case .greater: return uid > value
            case .greaterOrEqual: return uid >= value
            }
        case .openWrite: return kind != .execve && (flags & 3 == 1 || flags & 3 == 2)
        case .openCreate: return kind != .execve && flags & Int(OpenFlags.create) != 0
        case .failed: return kind != .execve && event.ret < 0
        }
    }

    /// The path the kernel compares, when it equals fd.name: the program's own, absolute and normal, and short.
    static func decidablePath(_ event: Event, kind: EnforcedEventClass) -> String? {
        guard let path = event.file?.path else { return nil }
        let raw = kind == .execve ? (event.arguments["filename"] ?? path) : (event.file?.rawPath ?? path)
        guard raw == path, path.hasPrefix("/"), path.utf8.count < EnforcementPlan.maximumPathBytes,
              PathResolver.normalize(path) == path, !path.hasSuffix("/") || path == "/" else { return nil }
        return path
    }

    static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}

extension CompiledRuleSet {
    /// What the kernel must enforce for the active rules' responses; nil when no active rule has one.
    public func enforcementPlan(dryRun: Bool) -> EnforcementPlan? {
        let responding = activeRules.compactMap { rule in rule.response.map { (rule.name, $0) } }
            .sorted { $0.1.index < $1.1.index }
        guard !responding.isEmpty else { return nil }
        var plan = EnforcementPlan(ruleNames: responding.map(\.0), dryRun: dryRun)
        for (_, response) in responding {
            switch response.action {
            case .kill: plan.terms += response.terms
            case .denyConnect: plan.policies.append(ConnectPolicy(rule: response.index, allow: response.allow))
            }
        }
        return plan
    }

    /// The plan's connect policy index of each deny-connect rule, by rule name.
    public func connectPolicies() -> [(policy: Int, rule: CompiledRule)] {
        let responding = activeRules.filter { $0.response?.action == .denyConnect }
            .sorted { ($0.response?.index ?? 0) < ($1.response?.index ?? 0) }
        return responding.enumerated().map { (policy: $0.offset, rule: $0.element) }
    }

    /// Compiles the responses of the active rules, numbering them in load order; throws the first rule whose
    /// condition the kernel cannot decide, or whose response keys are wrong.
    static func compileResponses(_ rules: inout [CompiledRule], catalog: RuleCatalog) throws {
        var compiler = ResponseCompiler(catalog: catalog)
        var index = 0
        var terms = 0
        var policies = 0
        for position in rules.indices {
            let rule = rules[position]
            guard rule.active, let response = rule.definition.response else { continue }
            let definition = rule.definition
            let input = definition.location.description
            switch response.action {
            case .kill:
                guard response.allow.isEmpty, response.cgroup == nil else {
                    throw ShrikeError(.responseInvalid, "rule '\(rule.name)': response_allow and response_cgroup "
                                      + "belong to response: deny-connect, not kill", input: input)
                }
                let compiled = try compiler.killTerms(definition, rule: index)
                terms += compiled.count
                guard terms <= EnforcementPlan.maximumTerms else {
                    throw ShrikeError(.responseInvalid, "rule '\(rule.name)': the kill rules need \(terms) kernel "
                                      + "terms together; the kernel holds \(EnforcementPlan.maximumTerms): simplify "
                                      + "the conditions or merge lists", input: input)
                }
                rules[position].response = CompiledResponse(action: .kill, index: index, terms: compiled, scope: [],
                                                            allow: [], cgroup: nil)
            case .denyConnect:
                let allow = try response.allow.map { text in
                    do { return try ConnectAllowEntry(parsing: text) } catch let error as ShrikeError {
                        throw ShrikeError(.responseInvalid, "rule '\(rule.name)': response_allow: \(error.message)",
                                          input: "\(input): \(text)")
                    }
                }
                guard allow.count <= EnforcementPlan.maximumAllowEntries else {
                    throw ShrikeError(.responseInvalid, "rule '\(rule.name)': at most "
                                      + "\(EnforcementPlan.maximumAllowEntries) response_allow entries", input: input)
                }
                policies += 1
                guard policies <= EnforcementPlan.maximumPolicies else {
                    throw ShrikeError(.responseInvalid, "rule '\(rule.name)': at most "
                                      + "\(EnforcementPlan.maximumPolicies) deny-connect rules", input: input)
                }
                let scope = try compiler.connectScope(definition, explicitCgroup: response.cgroup != nil)
                rules[position].response = CompiledResponse(action: .denyConnect, index: index, terms: [],
                                                            scope: scope, allow: allow, cgroup: response.cgroup)
            }
            index += 1
        }
    }
}
