import ShrikeCore

/// OSV ecosystems that are distribution releases, filed under the distribution's own namespace so OS packages of
/// that release find them: `AlmaLinux:8` → `almalinux:8`, `Rocky Linux:9` → `rocky:9`, `Ubuntu:22.04:LTS` →
/// `ubuntu:22.04`, `Alpine:v3.20` → `alpine:3.20`.
///
/// Other distribution ecosystems stay under `osv:` (Debian's OSV repeats the Debian tracker, which Shrike imports as
/// such). Ubuntu Pro (`Ubuntu:Pro:…`) is left out: its fixes are not in the public archive, so a system without Pro
/// cannot install them.
struct OSVDistroEcosystem: Equatable {
    var namespace: String
    var ecosystem: Ecosystem
    /// Whether the vendor names binary packages (AlmaLinux, Rocky) or source packages (Ubuntu, Alpine).
    var binaryNames: Bool

    enum Outcome: Equatable {
        case distro(OSVDistroEcosystem)
        case skipped(String)
        case notDistro
    }

    static func classify(_ spelled: String) -> Outcome {
        let parts = spelled.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { return .notDistro }
        let release = parts[1]
        func major(_ text: String) -> String? {
            let digits = String(text.prefix { $0.isNumber })
            return digits.isEmpty ? nil : digits
        }
        switch parts[0] {
        case "AlmaLinux":
            guard let major = major(release) else { return .skipped("no release number in '\(spelled)'") }
            return .distro(OSVDistroEcosystem(namespace: "almalinux:\(major)", ecosystem: .redHat, binaryNames: true))
        case "Rocky Linux":
            guard let major = major(release) else { return .skipped("no release number in '\(spelled)'") }
            return .distro(OSVDistroEcosystem(namespace: "rocky:\(major)", ecosystem: .redHat, binaryNames: true))
        case "Ubuntu":
            if release == "Pro" {
                return .skipped("Ubuntu Pro fixes are not in the public archive (ecosystem '\(spelled)')")
            }
            let numbers = release.split(separator: ".")
            guard numbers.count == 2, numbers.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else {
                return .skipped("no Ubuntu release in '\(spelled)'")
            }
            return .distro(OSVDistroEcosystem(namespace: "ubuntu:\(release)", ecosystem: .debian, binaryNames: false))
        case "Alpine":
            let version = release.hasPrefix("v") ? String(release.dropFirst()) : release
            let numbers = version.split(separator: ".")
            guard numbers.count >= 2 else { return .skipped("no Alpine release in '\(spelled)'") }
            return .distro(OSVDistroEcosystem(namespace: "alpine:\(numbers[0]).\(numbers[1])", ecosystem: .alpine,
                                              binaryNames: false))
        default:
            return .notDistro
        }
    }
}
