import ShrikeSensor

extension FieldRegistry {
    /// Falco's `container.mount*` fields, from the mounts the runtime's own files list (`ContainerMount`).
    ///
    /// As in Falco, the argument is a mount's number or a glob over its source (over its destination for
    /// `container.mount.source`); no such mount gives `none` for `container.mount[…]` and `N/A` for the others — real
    /// strings, so conditions such as `not container.mount.dest[/proc*] in ("<NA>","N/A")` work as upstream means.
    /// Host processes (no container) and containers whose files are unreadable give `<NA>`.
    static var containerMountFields: [String: Definition] {
        func lookup(by key: @escaping @Sendable (ContainerMount) -> String, missing: String,
                    value: @escaping @Sendable (ContainerMount) -> String) -> Definition {
            Definition(type: .string, argument: .key, argumentRequired: true) { argument in
                guard let argument, !argument.isEmpty else { return nil }
                let index = Int(argument)
                let pattern = Array(argument.utf8CString)
                return .string { context in
                    guard let mounts = context.event.process.container.mounts else { return nil }
                    if let index {
                        return mounts.indices.contains(index) ? value(mounts[index]) : missing
                    }
                    let found = mounts.first { StringMatching.glob(key($0), pattern, ignoreCase: false) }
                    return found.map(value) ?? missing
                }
            }
        }
        return [
            "container.mounts": string { context in
                context.event.process.container.mounts.map { $0.map(\.falcoDescription).joined(separator: " ") }
            },
            "container.mount": lookup(by: \.source, missing: "none") { $0.falcoDescription },
            "container.mount.source": lookup(by: \.destination, missing: "N/A") { $0.source },
            "container.mount.dest": lookup(by: \.source, missing: "N/A") { $0.destination },
            "container.mount.mode": lookup(by: \.source, missing: "N/A") { $0.mode },
            "container.mount.rdwr": lookup(by: \.source, missing: "N/A") { $0.readWrite ? "true" : "false" },
            "container.mount.propagation": lookup(by: \.source, missing: "N/A") { $0.propagation },
        ]
    }
}
