extension FieldRegistry {
    /// Fields of Falco's syscall source (falcosecurity/libs filterchecks) that Shrike's sensor does not provide,
    /// with their types; they evaluate to `<NA>` (comparisons false, `exists` false).
    static let unfilledFields: [String: FieldType] = [
        "evt.cpu": .number, "evt.latency": .number, "evt.latency.s": .number, "evt.latency.ns": .number,
        "evt.deltatime": .number, "evt.info": .string,
        "evt.is_io": .bool, "evt.is_io_read": .bool, "evt.is_io_write": .bool, "evt.io_dir": .string,
        "evt.is_wait": .bool, "evt.is_syslog": .bool, "evt.count": .number, "evt.around": .string,
        "evt.abspath": .string, "evt.abspath.src": .string, "evt.abspath.dst": .string, "evt.is_async": .bool,
        "evt.asynctype": .string, "evt.pluginname": .string, "evt.plugininfo": .string,
        "proc.ppid.duration": .number, "proc.fdopencount": .number,
        "proc.fdlimit": .number, "proc.fdusage": .number, "proc.vmsize": .number, "proc.vmrss": .number,
        "proc.vmswap": .number, "proc.nthreads": .number, "proc.nchilds": .number,
        "proc.is_exe_writable": .bool, "proc.is_exe_upper_layer": .bool, "proc.is_exe_from_memfd": .bool,
        "proc.exe_ino.ctime_duration_pidns_start": .number, "proc.pidns_init_start_ts": .number,
        "proc.is_container_healthcheck": .bool, "proc.is_container_liveness_probe": .bool,
        "proc.is_container_readiness_probe": .bool, "proc.stdin.type": .string, "proc.stdout.type": .string,
        "proc.stderr.type": .string, "proc.stdin.name": .string, "proc.stdout.name": .string,
        "proc.stderr.name": .string, "proc.fd.type": .string, "proc.pvpid": .number, "proc.ppid.ts": .number,
        "thread.exectime": .number, "thread.totexectime": .number, "thread.cgroups": .string, "thread.cgroup": .string,
        "thread.nametid": .string, "thread.vtid": .number, "thread.ismain": .bool,
        "fd.nameraw": .string, "fd.uid": .string,
        "fd.containername": .string, "fd.containerdirectory": .string, "fd.proto": .string, "fd.cproto": .string,
        "fd.sproto": .string, "fd.lproto": .string, "fd.rproto": .string, "fd.dev": .number,
        "fd.dev.major": .number, "fd.dev.minor": .number, "fd.ino": .number, "fd.is_upper_layer": .bool,
        "fd.is_lower_layer": .bool, "fd.types": .stringList,
        "container.image.id": .string,
        "container.healthcheck": .string, "container.liveness_probe": .string, "container.readiness_probe": .string,
        "container.ip": .ipaddr,
        "container.cni.json": .string, "container.host_pid": .bool, "container.host_network": .bool,
        "container.host_ipc": .bool, "container.label": .string, "container.labels": .string,
        "fs.path.nameraw": .string, "fs.path.sourceraw": .string, "fs.path.targetraw": .string,
        "user.uid.name": .string, "group.name.gid": .string,
    ]

    /// Field families Falco knows from other sources or plugins (Kubernetes metadata, …): always `<NA>` here.
    static let unfilledPrefixes = ["k8s.", "k8smeta.", "ka.", "jevt.", "mesos.", "marathon.", "span.", "evtin.",
                                   "fdlist.", "syslog.", "mesos.", "gvisor.",
                                   // Falco 0.42 (engine 0.53.0): `static.NAME` holds a constant from falco.yaml's
                                   // `static_fields`; Shrike has no such configuration.
                                   "static."]

    static func unfilledType(_ name: String) -> FieldType? {
        if let type = unfilledFields[name] { return type }
        if unfilledPrefixes.contains(where: { name.hasPrefix($0) }) { return .string }
        return nil
    }
}
