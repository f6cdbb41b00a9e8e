import Foundation
import ShrikeCore

/// Reading a definition's criteria tree: what each test means, and which release, architecture and module stream
/// apply to each package test.
extension OVALResolver {
    /// Collects the package tests below `criteria` with the release, architecture and module their AND-siblings set.
    func walk(_ criteria: OVALCriteria, context: Context, into findings: inout [Finding]) throws {
        if criteria.negate { throw DefinitionFailure("has negated criteria, which Shrike does not evaluate") }
        var local = context
        var packageTests: [(name: String, bound: Bound, arches: [String])] = []
        var notInstalled: Set<String> = []
        var releases: [OVALVendor.Release] = []
        var arches: [String] = []
        var nested: [OVALCriteria] = []
        for child in criteria.children {
            switch child {
            case .criterion(let ref, let comment, let negate):
                let leaf = try classify(ref, comment: comment)
                if negate, case .ignored = leaf {} else if negate {
                    throw DefinitionFailure("negates test \(ref), which Shrike does not evaluate")
                }
                switch leaf {
                case .package(let name, let bound, let stateArches): packageTests.append((name, bound, stateArches))
                case .release(let release): if criteria.isAnd { releases.append(release) }
                case .arch(let values): if criteria.isAnd { arches += values }
                case .module(let stream): if criteria.isAnd { local.module = stream }
                case .notInstalled(let name): if criteria.isAnd { notInstalled.insert(name) }
                case .condition(let name, let reason): if criteria.isAnd { local.conditions[name] = reason }
                case .ignored: break
                }
            case .criteria(let inner):
                // `AND(OR(platform A, platform B), OR(packages))`: the platforms apply to the packages beside them.
                if criteria.isAnd, let context = try contextOnly(inner) {
                    releases += context.releases
                    arches += context.arches
                } else {
                    nested.append(inner)
                }
            case .extendDefinition(let ref, _):
                throw DefinitionFailure("extends definition \(ref), which Shrike does not evaluate")
            }
        }
        if !releases.isEmpty { local.releases = releases }
        if !arches.isEmpty { local.arches = arches }
        for test in packageTests {
            // Red Hat's "unaffected" definitions pair "X is installed" with "X is not installed": never true.
            let bound: Bound = test.bound == .any && notInstalled.contains(test.name) ? .notAffected : test.bound
            findings.append(Finding(releases: local.releases, package: test.name, bound: bound,
                                    arches: test.arches.isEmpty ? local.arches : test.arches,
                                    module: local.module, condition: local.conditions[test.name]))
        }
        for inner in nested { try walk(inner, context: local, into: &findings) }
    }

    /// The releases and architectures a criteria names when it holds nothing else; nil when it tests packages.
    private func contextOnly(_ criteria: OVALCriteria) throws -> Context? {
        var context = Context()
        for child in criteria.children {
            switch child {
            case .criterion(let ref, let comment, let negate):
                switch try classify(ref, comment: comment) {
                case .release(let release) where !negate: context.releases.append(release)
                case .arch(let values) where !negate: context.arches += values
                case .ignored: break
                default: return nil
                }
            case .criteria(let inner):
                guard !inner.negate, let found = try contextOnly(inner) else { return nil }
                context.releases += found.releases
                context.arches += found.arches
            case .extendDefinition:
                return nil
            }
        }
        return context
    }

    private func classify(_ ref: String, comment: String?) throws -> Leaf {
        if let known = leaves[ref] { return known }
        guard let test = document.tests[ref] else {
            throw DefinitionFailure("references test \(ref), which the file does not define")
        }
        let leaf: Leaf
        let comment = test.comment ?? comment
        switch test.kind {
        case "rpminfo_test":
            leaf = try classifyPackageTest(test, comment: comment)
        case "rpmverifyfile_test":
            leaf = try classifyReleaseFileTest(test, comment: comment)
        case "textfilecontent54_test":
            // "Module nodejs:16 is enabled"; other file tests check the running system (the kernel set to boot).
            if let comment, comment.hasPrefix("Module "), comment.hasSuffix(" is enabled") {
                leaf = .module(String(comment.dropFirst("Module ".count).dropLast(" is enabled".count)))
            } else {
                leaf = .ignored
            }
        case "uname_test", "variable_test":
            // The running kernel: not something an image scan can see.
            leaf = .ignored
        default:
            throw DefinitionFailure("uses a \(test.kind) (\(ref)), which Shrike does not evaluate")
        }
        leaves[ref] = leaf
        return leaf
    }

    private func states(of test: OVALTest) throws -> [String: OVALEntity] {
        var entities: [String: OVALEntity] = [:]
        for ref in test.stateRefs {
            guard let state = document.states[ref] else {
                throw DefinitionFailure("uses test \(test.id), whose state \(ref) the file does not define")
            }
            entities.merge(state.entities) { first, _ in first }
        }
        if let variable = entities.first(where: { $0.value.variableRef != nil }) {
            throw DefinitionFailure("uses test \(test.id), whose \(variable.key) comes from a variable, which Shrike does not evaluate")
        }
        return entities
    }

    private func classifyPackageTest(_ test: OVALTest, comment: String?) throws -> Leaf {
        guard let objectRef = test.objectRef, let object = document.objects[objectRef] else {
            throw DefinitionFailure("uses test \(test.id), whose object \(test.objectRef ?? "(none)") the file does not define")
        }
        guard let nameEntity = object.entities["name"], nameEntity.variableRef == nil, !nameEntity.value.isEmpty else {
            throw DefinitionFailure("uses object \(object.id), which names no rpm (names from variables are not supported)")
        }
        let name = nameEntity.value
        // SUSE's "no kernel-livepatch-… is greater or equal than …": a condition that only narrows the definition.
        if test.check == "none satisfy" { return .ignored }
        if test.checkExistence == "none_exist" { return .notInstalled(name: name) }
        let entities = try states(of: test)
        if entities.isEmpty { return .package(name: name, bound: .any, arches: []) }
        let keys = Set(entities.keys)
        let arches = entities["arch"].map(Self.architectures) ?? []
        if let evr = entities["evr"] {
            guard keys.isSubset(of: ["evr", "arch", "signature_keyid"]) else {
                throw DefinitionFailure("uses test \(test.id), which checks \(keys.sorted().joined(separator: ", ")) of \(name) together; Shrike evaluates evr alone")
            }
            if let datatype = evr.datatype, datatype != "evr_string" {
                throw DefinitionFailure("uses test \(test.id), whose evr has datatype '\(datatype)', not evr_string")
            }
            guard !evr.value.isEmpty else { throw DefinitionFailure("uses test \(test.id), whose evr is empty") }
            let version = Self.spelled(evr.value)
            switch evr.operation {
            case "less than": return .package(name: name, bound: .below(version), arches: arches)
            case "less than or equal": return .package(name: name, bound: .atMost(version), arches: arches)
            default:
                throw DefinitionFailure("uses test \(test.id) with operation '\(evr.operation)' on the evr of \(name); Shrike evaluates 'less than' and 'less than or equal'")
            }
        }
        if keys == ["signature_keyid"] { return .ignored }
        if OVALVendor.isReleasePackage(name) {
            if keys == ["arch"] { return .arch(arches) }
            if let version = entities["version"], keys.isSubset(of: ["version", "arch"]),
               let release = vendor.release(package: name, version: version, comment: comment) {
                return .release(release)
            }
            if let comment, let release = vendor.release(comment: comment) { return .release(release) }
        }
        // SUSE: "python3-cryptography is not affected" is a test for version 0.
        if keys == ["version"], let version = entities["version"], version.operation == "equals", version.value == "0" {
            return .package(name: name, bound: .notAffected, arches: [])
        }
        if keys == ["release"], let release = entities["release"], release.operation == "pattern match" {
            let builds = release.value.lowercased().contains("ksplice") ? "Ksplice builds only" : "only builds"
            return .condition(name: name, reason: "\(builds) (release matching '\(release.value)')")
        }
        throw DefinitionFailure("uses test \(test.id), which checks \(keys.sorted().joined(separator: ", ")) of \(name); Shrike does not evaluate that")
    }

    /// Red Hat's release tests check the package owning `/etc/redhat-release`; `check="none satisfy"` is the
    /// "Red Hat Enterprise Linux must be installed" branch every definition ORs in, which says nothing about packages.
    private func classifyReleaseFileTest(_ test: OVALTest, comment: String?) throws -> Leaf {
        if test.check == "none satisfy" { return .ignored }
        let entities = try states(of: test)
        if let version = entities["version"], let owner = entities["name"] {
            let package = owner.value.trimmingCharacters(in: CharacterSet(charactersIn: "^$"))
            if let release = vendor.release(package: package, version: version, comment: comment) { return .release(release) }
        }
        if let comment, let release = vendor.release(comment: comment) { return .release(release) }
        return .ignored
    }

    /// `aarch64|i686|x86_64`, `(aarch64|ppc64le)`, `x86_64`.
    private static func architectures(_ entity: OVALEntity) -> [String] {
        entity.value.trimmingCharacters(in: CharacterSet(charactersIn: "^$()"))
            .split(separator: "|").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "^$() ")) }
            .filter { !$0.isEmpty }
    }

    /// rpm prints no epoch when it is 0; OVAL always writes one (`0:1.2-3`). Azure Linux also writes `0: 1.20.10-1.azl3`:
    /// rpm's comparison skips the space, Shrike's refuses whitespace in a version, so it goes.
    static func spelled(_ evr: String) -> String {
        let value = evr.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let colon = value.firstIndex(of: ":"), !value[..<colon].isEmpty, value[..<colon].allSatisfy(\.isNumber) else {
            return value
        }
        let epoch = value[..<colon]
        let rest = value[value.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        return epoch == "0" ? rest : "\(epoch):\(rest)"
    }
}
