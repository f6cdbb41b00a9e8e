import ShrikeRules

/// Turns an alert into one output line (with its newline) in the chosen format.
struct AlertLineEncoder: Sendable {
    var format: AlertFormat
    var text: AlertTextFormatter
    private var json = AlertJSONEncoder()

    init(format: AlertFormat, color: Bool = false) {
        self.format = format
        text = AlertTextFormatter(color: color && format == .text)
    }

    mutating func line(_ alert: Alert) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        switch format {
        case .json: json.encode(alert, into: &out)
        case .text: out.append(contentsOf: text.format(alert).utf8)
        }
        out.append(0x0A)
        return out
    }
}
