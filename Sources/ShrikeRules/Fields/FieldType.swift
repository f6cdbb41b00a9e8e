/// The type of a filter field, which decides the operators and values a comparison may use.
public enum FieldType: String, Sendable {
    case string
    case number
    case bool
    /// An IP address, compared for equality (`fd.sip = 10.0.0.1`).
    case ipaddr
    /// An IP address compared against networks (`fd.net = 10.0.0.0/8`).
    case ipnet
    /// Several strings (`proc.aname` without an index): a comparison holds when it holds for any of them.
    case stringList = "list"
    /// Several numbers (`proc.apid` without an index, `fd.port`).
    case numberList = "list(number)"
    /// Several addresses (`fd.ip`: client or server).
    case ipList = "list(ipaddr)"
    /// Several addresses compared against networks (`fd.net`).
    case ipnetList = "list(ipnet)"
}

/// Reads one field's value from the event being evaluated; nil means Falco's `<NA>`.
public enum FieldExtractor: Sendable {
    case string(@Sendable (EvaluationContext) -> String?)
    case number(@Sendable (EvaluationContext) -> Int64?)
    case bool(@Sendable (EvaluationContext) -> Bool?)
    case ip(@Sendable (EvaluationContext) -> IPAddress?)
    case strings(@Sendable (EvaluationContext) -> [String]?)
    case numbers(@Sendable (EvaluationContext) -> [Int64]?)
    case ips(@Sendable (EvaluationContext) -> [IPAddress]?)
    /// A field Falco knows that Shrike cannot fill: always `<NA>`.
    case unavailable

    /// The value as output shows it (`<NA>` when missing).
    func render(_ context: EvaluationContext) -> String {
        switch self {
        case .string(let get): return get(context) ?? "<NA>"
        case .number(let get): return get(context).map(String.init) ?? "<NA>"
        case .bool(let get): return get(context).map { $0 ? "true" : "false" } ?? "<NA>"
        case .ip(let get): return get(context).map(IPAddressFormatter.string) ?? "<NA>"
        case .strings(let get): return get(context).map { "(" + $0.joined(separator: ",") + ")" } ?? "<NA>"
        case .numbers(let get): return get(context).map { "(" + $0.map(String.init).joined(separator: ",") + ")" } ?? "<NA>"
        case .ips(let get): return get(context).map { "(" + $0.map(IPAddressFormatter.string).joined(separator: ",") + ")" } ?? "<NA>"
        case .unavailable: return "<NA>"
        }
    }

    /// True when the field has a value for this event (`exists`).
    func exists(_ context: EvaluationContext) -> Bool {
        switch self {
        case .string(let get): return get(context) != nil
        case .number(let get): return get(context) != nil
        case .bool(let get): return get(context) != nil
        case .ip(let get): return get(context) != nil
        case .strings(let get): return get(context) != nil
        case .numbers(let get): return get(context) != nil
        case .ips(let get): return get(context) != nil
        case .unavailable: return false
        }
    }
}

enum IPAddressFormatter {
    static func string(_ address: IPAddress) -> String {
        if address.isV4 {
            let value = UInt32(truncatingIfNeeded: address.low)
            return "\(value >> 24).\((value >> 16) & 0xff).\((value >> 8) & 0xff).\(value & 0xff)"
        }
        var groups: [String] = []
        for shift in stride(from: 48, through: 0, by: -16) { groups.append(String((address.high >> UInt64(shift)) & 0xffff, radix: 16)) }
        for shift in stride(from: 48, through: 0, by: -16) { groups.append(String((address.low >> UInt64(shift)) & 0xffff, radix: 16)) }
        return groups.joined(separator: ":")
    }
}
