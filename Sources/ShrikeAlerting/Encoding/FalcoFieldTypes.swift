import ShrikeSensor

/// Which output fields Falco writes as JSON numbers or booleans rather than strings.
///
/// `Alert.outputFields` holds every value as text (as the output line shows it); Falco's `output_fields` keeps the
/// field's type: `"proc.pid": 4242`, `"evt.time": 1685022245478445995`, `"user.loginuid": -1`, booleans as
/// `true`/`false`, and `null` for a field it could not extract (`<NA>` in the text). A value is written as a number
/// only when its field is numeric in Falco's field list *and* the text parses as an integer, so a surprising value
/// never produces invalid JSON — it stays a string.
enum FalcoFieldTypes {
    enum Kind { case number, boolean, string }

    /// The value Falco's formatter prints for a field it could not fill.
    static let notAvailable = "<NA>"

    private static let numeric: Set<String> = [
        "evt.time", "evt.num", "evt.rawtime", "evt.rawtime.s", "evt.rawtime.ns", "evt.reltime", "evt.reltime.s",
        "evt.reltime.ns", "evt.rawres", "evt.cpu", "evt.count", "evt.buflen", "evt.latency",
        "proc.pid", "proc.ppid", "proc.vpid", "proc.pvid", "proc.sid", "proc.vpgid", "proc.pgid", "proc.tty",
        "proc.apid", "proc.loginshellid", "proc.nthreads", "proc.nchilds", "proc.exe_ino", "proc.fdopencount",
        "thread.tid", "thread.vtid", "thread.ptid",
        "user.uid", "user.loginuid", "group.gid",
        "fd.num", "fd.port", "fd.cport", "fd.sport", "fd.lport", "fd.rport", "fd.ino", "fd.dev", "fd.dev.major",
        "fd.dev.minor",
    ]

    private static let boolean: Set<String> = [
        "evt.failed", "evt.is_async", "evt.is_io", "evt.is_io_read", "evt.is_io_write", "evt.is_open_read",
        "evt.is_open_write", "evt.is_open_exec", "evt.is_open_create", "evt.is_syslog", "evt.is_wait",
        "proc.is_exe_upper_layer", "proc.is_exe_writable", "proc.is_exe_from_memfd", "proc.is_sid_leader",
        "proc.is_vpgid_leader", "proc.is_container_healthcheck", "proc.is_container_liveness_probe",
        "proc.is_container_readiness_probe", "fd.is_server", "container.privileged",
    ]

    /// The JSON kind of `field`; an argument (`proc.apid[2]`, `proc.env[HOME]`) does not change it.
    static func kind(of field: String) -> Kind {
        var name = Substring(field)
        if let bracket = name.firstIndex(of: "[") { name = name[..<bracket] }
        let key = String(name)
        if numeric.contains(key) { return .number }
        if boolean.contains(key) { return .boolean }
        return .string
    }

    /// Appends `value` of `field` as Falco's JSON would type it.
    static func appendValue(_ value: String, of field: String, to out: inout [UInt8]) {
        if value == notAvailable {
            out.append(contentsOf: "null".utf8)
            return
        }
        switch kind(of: field) {
        case .number:
            if let integer = Int64(value) {
                JSONLiteral.append(integer: integer, to: &out)
                return
            }
            if let unsigned = UInt64(value) {
                JSONLiteral.append(unsigned: unsigned, to: &out)
                return
            }
        case .boolean:
            if value == "true" || value == "false" {
                out.append(contentsOf: value.utf8)
                return
            }
        case .string:
            break
        }
        JSONLiteral.append(string: value, to: &out)
    }
}
