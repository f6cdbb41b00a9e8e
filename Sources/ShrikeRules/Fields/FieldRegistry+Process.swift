import ShrikeSensor

extension FieldRegistry {
    /// Shells, for `proc.loginshellid` (Falco's list).
    static let shellNames: Set<String> = ["ash", "bash", "csh", "ksh", "sh", "tcsh", "zsh", "dash"]

    /// One process's view for the ancestry fields: the event's own process or a table entry.
    struct ProcessView {
        var pid: Int32
        var name: String
        var exe: String
        var args: [String]

        init(_ entry: ProcessEntry) {
            pid = entry.pid
            name = entry.name
            exe = entry.exe
            args = entry.args
        }

        init(_ snapshot: ProcessSnapshot) {
            pid = snapshot.pid
            name = snapshot.name
            exe = snapshot.exe
            args = snapshot.args
        }

        /// Falco's `proc.cmdline`: the name, then the arguments after argv[0].
        var cmdline: String { args.count > 1 ? name + " " + args.dropFirst().joined(separator: " ") : name }
        var argv0: String { args.first ?? name }
    }

    /// The `n`th generation: 0 the process itself, 1 its parent, ….
    static func generation(_ context: EvaluationContext, _ n: Int) -> ProcessView? {
        if n == 0 { return ProcessView(context.event.process) }
        return context.ancestor(n).map(ProcessView.init)
    }

    /// `proc.aname`-style fields: with `[N]` the Nth generation, without it every ancestor (a list).
    static func ancestry(_ type: FieldType, list: FieldType,
                         _ value: @escaping @Sendable (ProcessView) -> String) -> Definition {
        Definition(type: type, argument: .index, noArgumentType: list) { argument in
            guard let argument else {
                return .strings { context in context.ancestors.map { value(ProcessView($0)) } }
            }
            guard let n = Int(argument), n >= 0 else { return nil }
            return .string { context in generation(context, n).map(value) }
        }
    }

    static var processFields: [String: Definition] {
        var fields: [String: Definition] = [:]
        do {
            let prefix = "proc"
            fields["\(prefix).name"] = string { $0.event.process.name }
            fields["\(prefix).exe"] = string { ProcessView($0.event.process).argv0 }
            fields["\(prefix).exepath"] = string { $0.event.process.exe }
            fields["\(prefix).args"] = string { $0.event.process.args.dropFirst().joined(separator: " ") }
            fields["\(prefix).cmdline"] = string { ProcessView($0.event.process).cmdline }
            fields["\(prefix).cmdnargs"] = number { Int64(max(0, $0.event.process.args.count - 1)) }
            fields["\(prefix).cmdlenargs"] = number { Int64($0.event.process.args.dropFirst().reduce(0) { $0 + $1.utf8.count }) }
            fields["\(prefix).exeline"] = string { context in
                let process = context.event.process
                return ([ProcessView(process).argv0] + process.args.dropFirst()).joined(separator: " ")
            }
            fields["\(prefix).cwd"] = string { $0.event.process.cwd }
            fields["\(prefix).pid"] = number { Int64($0.event.process.pid) }
            fields["\(prefix).ppid"] = number { Int64($0.event.process.ppid) }
            // The process's own pid-namespace view, from the kernel; on the host it is the pid itself.
            fields["\(prefix).vpid"] = number { context in
                let process = context.event.process
                if process.vpid > 0 { return Int64(process.vpid) }
                return process.container.isHost ? Int64(process.pid) : nil
            }
            fields["\(prefix).tty"] = number { Int64($0.event.process.tty) }
            fields["\(prefix).sid"] = number { context in
                context.event.process.sid > 0 ? Int64(context.event.process.sid) : nil
            }
            fields["\(prefix).pgid"] = number { context in
                context.event.process.pgid > 0 ? Int64(context.event.process.pgid) : nil
            }
            // pgid is numbered in the root pid namespace, vpgid in the process's own (the kernel reads both).
            fields["\(prefix).vpgid"] = number { context in
                let process = context.event.process
                if process.vpgid > 0 { return Int64(process.vpgid) }
                return process.container.isHost && process.pgid > 0 ? Int64(process.pgid) : nil
            }
            fields["\(prefix).is_sid_leader"] = bool { context in
                context.event.process.sid > 0 ? context.event.process.sid == context.event.process.pid : nil
            }
            // Leading its group is the same fact in every namespace: compare the root-namespace numbers.
            fields["\(prefix).is_vpgid_leader"] = bool { context in
                let process = context.event.process
                return process.pgid > 0 && (process.container.isHost || process.vpgid > 0) ? process.pgid == process.pid : nil
            }
            fields["\(prefix).sname"] = string { sessionLeaderName($0) }
            fields["\(prefix).vpgid.name"] = string { context in
                let process = context.event.process
                guard process.pgid > 0, process.container.isHost || process.vpgid > 0 else { return nil }
                if process.pgid == process.pid { return process.name }
                return context.processes[process.pgid]?.name
            }
            fields["\(prefix).pname"] = string { $0.parent?.name }
            fields["\(prefix).pcmdline"] = string { $0.parent.map { ProcessView($0).cmdline } }
            fields["\(prefix).pexepath"] = string { $0.parent?.exe }
            fields["\(prefix).pexe"] = string { $0.parent.map { ProcessView($0).argv0 } }
            fields["\(prefix).aname"] = ancestry(.string, list: .stringList) { $0.name }
            fields["\(prefix).acmdline"] = ancestry(.string, list: .stringList) { $0.cmdline }
            fields["\(prefix).aexepath"] = ancestry(.string, list: .stringList) { $0.exe }
            fields["\(prefix).aexe"] = ancestry(.string, list: .stringList) { $0.argv0 }
            fields["\(prefix).apid"] = Definition(type: .number, argument: .index, noArgumentType: .numberList) { argument in
                guard let argument else { return .numbers { context in context.ancestors.map { Int64($0.pid) } } }
                guard let n = Int(argument), n >= 0 else { return nil }
                return .number { context in generation(context, n).map { Int64($0.pid) } }
            }
            fields["\(prefix).loginshellid"] = number { context in
                var oldest: Int32?
                if shellNames.contains(context.event.process.name) { oldest = context.event.process.pid }
                for entry in context.ancestors where shellNames.contains(entry.name) { oldest = entry.pid }
                return oldest.map(Int64.init)
            }
            fields["\(prefix).env"] = Definition(type: .string, argument: .key) { argument in
                guard let argument else {
                    return .string { context in
                        context.environments.environment(pid: context.event.process.pid)?
                            .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                    }
                }
                return .string { context in context.environments.environment(pid: context.event.process.pid)?[argument] }
            }
        }
        fields["thread.tid"] = number { Int64($0.event.process.tid) }
        fields["thread.env"] = fields["proc.env"]
        return fields
    }

    /// Falco's `proc.sname`: the session leader's name, that is the process whose pid is the session id, or else the
    /// eldest ancestor still in the same session (the leader may have exited); nil when neither is known.
    static func sessionLeaderName(_ context: EvaluationContext) -> String? {
        let process = context.event.process
        guard process.sid > 0 else { return nil }
        if process.sid == process.pid { return process.name }
        if let leader = context.processes[process.sid], leader.sid == process.sid || leader.sid == 0 {
            return leader.name
        }
        return context.ancestors.last { $0.sid == process.sid }?.name
    }

    static var userFields: [String: Definition] {
        [
            "user.uid": number { Int64($0.event.process.uid) },
            "user.name": string { $0.users.user($0.event.process.uid, of: $0.event.process)?.name },
            "user.homedir": string { $0.users.user($0.event.process.uid, of: $0.event.process)?.home },
            "user.shell": string { $0.users.user($0.event.process.uid, of: $0.event.process)?.shell },
            "user.loginuid": number { context in
                let uid = context.event.process.loginuid
                return uid == .max ? -1 : Int64(uid)
            },
            "user.loginname": string { context in
                let uid = context.event.process.loginuid
                return uid == .max ? nil : context.users.user(uid, of: context.event.process)?.name
            },
            "group.gid": number { Int64($0.event.process.gid) },
            "group.name": string { $0.users.group($0.event.process.gid, of: $0.event.process) },
        ]
    }

    static var containerFields: [String: Definition] {
        [
            "container.id": string { $0.event.process.container.id },
            "container.full_id": string { $0.event.process.container.fullID },
            "container.name": string { context in
                let container = context.event.process.container
                if container.isHost { return "host" }
                return container.name.isEmpty ? nil : container.name
            },
            "container.type": string { context in
                let container = context.event.process.container
                if container.isHost { return "host" }
                return container.runtime.isEmpty ? nil : container.runtime
            },
            "container.image": string { nonEmpty($0.event.process.container.image) },
            "container.image.repository": string { ImageReference.parse($0.event.process.container.image)?.repository },
            "container.image.tag": string { ImageReference.parse($0.event.process.container.image)?.tag },
            "container.image.digest": string { ImageReference.parse($0.event.process.container.image)?.digest },
            // Only where the runtime's files said (docker's hostconfig, an OCI bundle's config.json): else <NA>.
            "container.privileged": bool { $0.event.process.container.privileged },
        ]
    }

    static func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }
}

/// Splits `registry/repo:tag@sha256:…` as Falco's container.image.* fields do.
enum ImageReference {
    struct Parts {
        var repository: String
        var tag: String?
        var digest: String?
    }

    static func parse(_ image: String) -> Parts? {
        guard !image.isEmpty else { return nil }
        var rest = Substring(image)
        var digest: String?
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
        }
        var tag: String?
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            tag = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
        }
        return Parts(repository: String(rest), tag: tag, digest: digest)
    }
}
