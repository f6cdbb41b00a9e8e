/// A rule's `output` compiled once: literal text and field references (`%proc.name`, `%proc.aname[2]`,
/// `%(fd.name)`, `%container.info`), filled per alert.
struct OutputFormat: Sendable {
    enum Segment: Sendable {
        case text(String)
        case field(name: String, extractor: FieldExtractor)
    }

    let segments: [Segment]

    /// Fields written as `%name` with these names are taken whole even when followed by more name characters.
    static let containerInfo = "container.info"

    /// Parses `text`; an unknown field is a `CompileFailure` naming it.
    init(_ text: String, at location: SourceLocation) throws(CompileFailure) {
        var segments: [Segment] = []
        var literal: [UInt8] = []
        // A folded YAML scalar (`output: >`) ends in a newline; alerts are single lines.
        var bytes = Array(text.utf8)
        while let last = bytes.last, last == 0x0A || last == 0x20 || last == 0x09 || last == 0x0D { bytes.removeLast() }
        var index = 0
        func flush() {
            if !literal.isEmpty { segments.append(.text(String(decoding: literal, as: UTF8.self))) }
            literal = []
        }
        func isNameByte(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2E
        }
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "%"), index + 1 < bytes.count else {
                literal.append(byte)
                index += 1
                continue
            }
            var cursor = index + 1
            let parenthesised = bytes[cursor] == UInt8(ascii: "(")
            if parenthesised { cursor += 1 }
            let start = cursor
            while cursor < bytes.count, isNameByte(bytes[cursor]) { cursor += 1 }
            var nameEnd = cursor
            while nameEnd > start, bytes[nameEnd - 1] == UInt8(ascii: ".") { nameEnd -= 1 }
            cursor = nameEnd
            var name = String(decoding: bytes[start..<nameEnd], as: UTF8.self)
            guard name.contains(".") else {
                literal.append(byte)
                index += 1
                continue
            }
            var argument: String?
            if cursor < bytes.count, bytes[cursor] == UInt8(ascii: "["), FieldRegistry.acceptsArgument(name),
               let close = bytes[cursor...].firstIndex(of: UInt8(ascii: "]")) {
                argument = String(decoding: bytes[(cursor + 1)..<close], as: UTF8.self)
                cursor = close + 1
            }
            if parenthesised {
                guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: ")") else {
                    throw CompileFailure(kind: .other, message: "output: expected ')' after '%(\(name)'",
                                         location: location, token: name)
                }
                cursor += 1
            }
            flush()
            if name == Self.containerInfo {
                segments += try Self.segments("container_id=%container.id container_name=%container.name",
                                              at: location)
            } else {
                let resolved: FieldRegistry.Resolved
                do {
                    resolved = try FieldRegistry.resolve(name, argument: argument)
                } catch {
                    switch error {
                    case .unknownField:
                        throw CompileFailure(kind: .unknownField, message: "output: unknown field '\(name)'",
                                             location: location, token: name)
                    case .badArgument(let message):
                        throw CompileFailure(kind: .other, message: "output: \(message)", location: location,
                                             token: name)
                    }
                }
                if let argument { name += "[\(argument)]" }
                segments.append(.field(name: name, extractor: resolved.extractor))
            }
            index = cursor
        }
        flush()
        self.segments = segments
    }

    private static func segments(_ text: String, at location: SourceLocation) throws(CompileFailure) -> [Segment] {
        try OutputFormat(text, at: location).segments
    }

    /// Field names the output uses (for `output_fields`).
    var fieldNames: [String] {
        segments.compactMap { if case .field(let name, _) = $0 { name } else { nil } }
    }

    /// The filled-in text and each field's value.
    func render(_ context: EvaluationContext) -> (String, [String: String]) {
        var text = ""
        var fields: [String: String] = [:]
        for segment in segments {
            switch segment {
            case .text(let literal): text += literal
            case .field(let name, let extractor):
                let value = extractor.render(context)
                text += value
                fields[name] = value
            }
        }
        return (text, fields)
    }
}
