import ShrikeRules
import ShrikeSensor

/// Writes an alert as Falco's JSON alert object (DESIGN.md: `shrike watch --json`), straight into a byte buffer.
///
/// The shape is Falco's `json_output` one, so Falcosidekick, Elastic's Falco integration and other consumers read it
/// unchanged: `time` (RFC 3339, nanoseconds, UTC), `rule`, `priority` (Falco's name, `Warning`), `source`,
/// `hostname`, `tags`, `output` and `output_fields`. As in Falco, `output` is the whole text line (`10:20:05.408091526:
/// Warning …`) and `output_fields` also holds `evt.time` in nanoseconds; values are typed as Falco types them (see
/// `FalcoFieldTypes`). Shrike adds `response` (what a `response:` rule did), `incident` (when the recorder filed the
/// alert) and `count` (when de-duplication folded several alerts into this one); consumers that don't know them
/// ignore them. Keys of `output_fields` are
/// sorted, so equal alerts encode to equal bytes.
public struct AlertJSONEncoder: Sendable {
    private var timestamps = JSONTimestampWriter()

    public init() {}

    /// One JSON object, without a trailing newline.
    public mutating func encode(_ alert: Alert) -> String {
        var out: [UInt8] = []
        encode(alert, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends one JSON object (no newline) to `out`.
    public mutating func encode(_ alert: Alert, into out: inout [UInt8]) {
        out.append(contentsOf: #"{"time":""#.utf8)
        timestamps.append(alert.time, to: &out)
        out.append(contentsOf: #"","rule":"#.utf8)
        JSONLiteral.append(string: alert.rule, to: &out)
        out.append(contentsOf: #","priority":""#.utf8)
        out.append(contentsOf: alert.priority.name.utf8)
        out.append(contentsOf: #"","source":"#.utf8)
        JSONLiteral.append(string: alert.source, to: &out)
        out.append(contentsOf: #","hostname":"#.utf8)
        JSONLiteral.append(string: alert.hostname, to: &out)
        out.append(contentsOf: #","tags":["#.utf8)
        for (index, tag) in alert.tags.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONLiteral.append(string: tag, to: &out)
        }
        out.append(contentsOf: #"],"output":"#.utf8)
        JSONLiteral.append(string: AlertTextFormatter.falcoOutput(alert), to: &out)
        out.append(contentsOf: #","output_fields":{"#.utf8)
        var first = true
        if alert.outputFields["evt.time"] == nil {
            out.append(contentsOf: #""evt.time":"#.utf8)
            JSONLiteral.append(unsigned: alert.time, to: &out)
            first = false
        }
        for key in alert.outputFields.keys.sorted() {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            JSONLiteral.append(string: key, to: &out)
            out.append(UInt8(ascii: ":"))
            FalcoFieldTypes.appendValue(alert.outputFields[key] ?? FalcoFieldTypes.notAvailable, of: key, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        if let response = alert.response {
            out.append(contentsOf: #","response":"#.utf8)
            JSONLiteral.append(string: response, to: &out)
        }
        if let incident = alert.incident {
            out.append(contentsOf: #","incident":"#.utf8)
            JSONLiteral.append(string: incident, to: &out)
        }
        if alert.count > 1 {
            out.append(contentsOf: #","count":"#.utf8)
            JSONLiteral.append(integer: Int64(alert.count), to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }
}
