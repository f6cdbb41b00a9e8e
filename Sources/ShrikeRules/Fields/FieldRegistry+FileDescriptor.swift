import ShrikeSensor

extension FieldRegistry {
    /// The kind of descriptor an event is about, as Falco's `fd.type`/`fd.typechar`.
    static func descriptorType(_ event: borrowing Event) -> (name: String, char: String)? {
        if let family = event.net?.family {
            switch family {
            case .inet: return ("ipv4", "4")
            case .inet6: return ("ipv6", "6")
            case .unix: return ("unix", "u")
            case .netlink: return ("netlink", "n")
            case .other: return nil
            }
        }
        guard event.file != nil else { return nil }
        if let flags = event.file?.flags, flags & OpenFlags.directory != 0,
           flags & OpenFlags.tmpfile != OpenFlags.tmpfile {
            return ("directory", "d")
        }
        if event.type == "memfd_create" { return ("memfd", "m") }
        switch event.type {
        case "mkdir", "mkdirat", "rmdir", "chdir", "fchdir": return ("directory", "d")
        default: return ("file", "f")
        }
    }

    /// The path fd.* fields describe: the opened file (or the source of two-path calls).
    static func path(_ event: Event) -> String? { event.file?.path }

    static func directory(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        if slash == path.startIndex { return "/" }
        return String(path.utf8[..<slash]) ?? path
    }

    static func filename(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path.utf8[path.utf8.index(after: slash)...]) ?? path
    }

    /// Client and server ends of the socket: connect knows the server, accept the client, bind/listen the local end
    /// (the server).
    static func client(_ event: Event) -> NetworkActivity? {
        guard let net = event.net, net.role == .peer else { return nil }
        return net
    }

    static func server(_ event: Event) -> NetworkActivity? {
        guard let net = event.net, net.role == .destination || net.role == .local else { return nil }
        return net
    }

    static func address(_ net: NetworkActivity?) -> IPAddress? {
        guard let net, net.family == .inet || net.family == .inet6, let address = net.address else { return nil }
        return IPAddress(address)
    }

    static func port(_ net: NetworkActivity?) -> Int64? {
        guard let net, net.family == .inet || net.family == .inet6, let port = net.port else { return nil }
        return Int64(port)
    }

    /// The local end: the server for bind/listen; unknown for connect/accept (the sensor sees one address).
    static func local(_ event: Event) -> NetworkActivity? {
        guard let net = event.net, net.role == .local else { return nil }
        return net
    }

    /// The remote end: the server for connect, the client for accept.
    static func remote(_ event: Event) -> NetworkActivity? {
        guard let net = event.net, net.role == .destination || net.role == .peer else { return nil }
        return net
    }

    static func ip(_ get: @escaping @Sendable (Event) -> NetworkActivity?) -> Definition {
        Definition(type: .ipaddr) { _ in .ip { address(get($0.event)) } }
    }
    static func net(_ get: @escaping @Sendable (Event) -> NetworkActivity?) -> Definition {
        Definition(type: .ipnet) { _ in .ip { address(get($0.event)) } }
    }
    static func port(_ get: @escaping @Sendable (Event) -> NetworkActivity?) -> Definition {
        Definition(type: .number) { _ in .number { port(get($0.event)) } }
    }

    static var fileDescriptorFields: [String: Definition] {
        var fields: [String: Definition] = [
            "fd.num": number { context in
                if let fd = context.event.file?.fd ?? context.event.net?.fd { return Int64(fd) }
                if EventArguments.isFDResult(context.event.type) { return context.event.ret < 0 ? -1 : context.event.ret }
                return nil
            },
            "fd.type": string { $0.descriptorKind?.name },
            "fd.typechar": string { $0.descriptorKind?.char },
            "fd.name": string { context in
                if context.event.net != nil, let net = context.event.net { return SocketNames.name(net) }
                return context.event.file?.path
            },
            "fd.directory": string { $0.fileDirectory },
            "fd.filename": string { context in
                guard context.event.net == nil, let path = path(context.event) else { return nil }
                return filename(of: path)
            },
            "fd.l4proto": string { context in
                guard let net = context.event.net else { return nil }
                return net.transport
            },
            "fd.sockfamily": string { context in
                switch context.event.net?.family {
                case .inet?, .inet6?: "ip"
                case .unix?: "unix"
                default: nil
                }
            },
            "fd.is_server": bool { context in
                guard let net = context.event.net else { return nil }
                return net.role == .local || net.role == .peer
            },
            "fd.cip": ip(client), "fd.sip": ip(server), "fd.lip": ip(local), "fd.rip": ip(remote),
            "fd.cnet": net(client), "fd.snet": net(server), "fd.lnet": net(local), "fd.rnet": net(remote),
            "fd.cport": port(client), "fd.sport": port(server), "fd.lport": port(local), "fd.rport": port(remote),
            // The name a DNS answer gave for the address, when the sensor captures DNS answers; <NA> otherwise.
            "fd.cip.name": string { client($0.event)?.hostName }, "fd.sip.name": string { server($0.event)?.hostName },
            "fd.lip.name": string { local($0.event)?.hostName }, "fd.rip.name": string { remote($0.event)?.hostName },
            "fs.path.name": string { context in
                guard let file = context.event.file, !EventArguments.twoPath(context.event.type) else { return nil }
                return file.path
            },
            "fs.path.source": string { context in
                guard let file = context.event.file else { return nil }
                let type = context.event.type
                if type == "symlink" || type == "symlinkat" { return file.target }
                return EventArguments.twoPath(type) ? file.path : nil
            },
            "fs.path.target": string { context in
                guard let file = context.event.file else { return nil }
                let type = context.event.type
                if type == "symlink" || type == "symlinkat" { return file.path }
                return EventArguments.twoPath(type) ? file.target : nil
            },
        ]
        // fd.ip / fd.net / fd.port: either end (client or server), compared as "any of them".
        fields["fd.ip"] = Definition(type: .ipList) { _ in
            .ips { context in address(context.event.net).map { [$0] } }
        }
        fields["fd.net"] = Definition(type: .ipnetList) { _ in
            .ips { context in address(context.event.net).map { [$0] } }
        }
        fields["fd.port"] = Definition(type: .numberList) { _ in
            .numbers { context in port(context.event.net).map { [$0] } }
        }
        return fields
    }
}
