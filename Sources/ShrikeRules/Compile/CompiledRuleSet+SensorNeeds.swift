extension CompiledRuleSet {
    /// The host-name fields (`fd.rip.name`, `fd.sip.name`, `fd.cip.name`, `fd.lip.name`): filled only when the
    /// sensor captures DNS answers.
    public static let hostNameFields = ["fd.rip.name", "fd.sip.name", "fd.cip.name", "fd.lip.name"]

    /// True when an active rule's condition, output or exception, or a macro, names a host-name field, so the
    /// sensor should capture DNS answers. Read from the text, which can only err towards capturing.
    public var usesHostNames: Bool { mentions(Self.hostNameFields) }

    /// The fields that need the sensor to copy data bytes of sends and receives.
    public static let bufferFields = ["evt.buffer", "evt.buflen"]

    /// True when an active rule or a macro names `evt.buffer` (or `evt.buflen`), so the sensor should capture the
    /// first bytes of sends and receives.
    public var usesBuffers: Bool { mentions(Self.bufferFields) }

    /// True when an active rule's condition, output or exception, or a macro, has one of `fields` in its text.
    func mentions(_ fields: [String]) -> Bool {
        func names(_ text: String) -> Bool { fields.contains { text.contains($0) } }
        return activeRules.contains { rule in
            names(rule.definition.condition) || names(rule.definition.output)
                || rule.definition.exceptions.contains { $0.fields.contains(where: names) }
        } || catalog.macros.contains { names($0.condition) }
    }
}
