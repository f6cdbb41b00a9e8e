/// Parses DNS messages (RFC 1035) from untrusted bytes: any packet that reaches a socket from port 53 ends up here.
///
/// Never traps and never loops: every read is bounds-checked, names are limited to 255 bytes and 63-byte labels,
/// and a compression pointer must point before the previous one (so a chain of pointers always ends). A message
/// whose header or question section is broken gives nil; an answer section cut short keeps the records read before
/// the cut (captures are cut at `SHRIKE_DNS_MAX` bytes).
public enum DNSMessageParser {
    /// The most questions read; real messages have one.
    static let maximumQuestions = 4
    /// The most compression pointers followed in one name (each must also point further back than the last).
    static let maximumPointers = 64

    public static func parse(_ bytes: some Collection<UInt8>) -> DNSMessage? {
        let message = Array(bytes)
        guard message.count >= 12 else { return nil }
        let flags = UInt16(message[2]) << 8 | UInt16(message[3])
        var result = DNSMessage(
            id: UInt16(message[0]) << 8 | UInt16(message[1]), isResponse: flags & 0x8000 != 0,
            opcode: UInt8((flags >> 11) & 0x0f), truncated: flags & 0x0200 != 0, responseCode: UInt8(flags & 0x000f))
        let questionCount = Int(UInt16(message[4]) << 8 | UInt16(message[5]))
        let answerCount = Int(UInt16(message[6]) << 8 | UInt16(message[7]))
        guard questionCount <= maximumQuestions else { return nil }
        var offset = 12
        for _ in 0..<questionCount {
            guard let (name, end) = name(in: message, at: offset), end + 4 <= message.count else { return nil }
            result.questions.append(DNSQuestion(name: name, type: uint16(message, end),
                                                recordClass: uint16(message, end + 2)))
            offset = end + 4
        }
        // Each record takes at least 11 bytes, so a count the data cannot hold stops at the end of the data.
        for _ in 0..<answerCount {
            guard let (record, end) = record(in: message, at: offset) else {
                result.answersIncomplete = true
                break
            }
            result.answers.append(record)
            offset = end
        }
        return result
    }

    /// One resource record starting at `offset` and the offset after it; nil when it does not fit.
    static func record(in message: [UInt8], at offset: Int) -> (DNSRecord, Int)? {
        guard let (owner, end) = name(in: message, at: offset), end + 10 <= message.count else { return nil }
        let type = uint16(message, end)
        let recordClass = uint16(message, end + 2)
        let rawTTL = UInt32(uint16(message, end + 4)) << 16 | UInt32(uint16(message, end + 6))
        let length = Int(uint16(message, end + 8))
        let dataStart = end + 10
        guard dataStart + length <= message.count else { return nil }
        let data: DNSRecord.Data
        switch type {
        case DNSRecord.typeA where length == 4:
            data = .ipv4(message[dataStart..<(dataStart + 4)].map(String.init).joined(separator: "."))
        case DNSRecord.typeAAAA where length == 16:
            data = .ipv6(SocketAddressDecoder.ipv6String(Array(message[dataStart..<(dataStart + 16)])))
        case DNSRecord.typeCNAME:
            // The target may point back into the message, but its own bytes must stay inside the record.
            if let (target, targetEnd) = name(in: message, at: dataStart), targetEnd <= dataStart + length {
                data = .alias(target)
            } else {
                data = .other
            }
        default:
            data = .other
        }
        let record = DNSRecord(name: owner, type: type, recordClass: recordClass,
                               ttl: rawTTL & 0x8000_0000 != 0 ? 0 : rawTTL, data: data)
        return (record, dataStart + length)
    }

    /// The name starting at `offset` in presentation form (lowercase, escaped, no trailing dot) and the offset just
    /// after its bytes in place (after the first pointer when it is compressed); nil when it is malformed.
    static func name(in message: [UInt8], at offset: Int) -> (String, Int)? {
        var text: [UInt8] = []
        var position = offset
        var end: Int?
        // A pointer must point before this; it only ever decreases, so following pointers always terminates.
        var limit = offset
        var pointers = 0
        var wireLength = 1  // the final zero-length label
        while true {
            guard position < message.count else { return nil }
            let length = Int(message[position])
            switch length & 0xc0 {
            case 0xc0:
                guard position + 1 < message.count, pointers < maximumPointers else { return nil }
                let target = (length & 0x3f) << 8 | Int(message[position + 1])
                guard target < limit else { return nil }
                if end == nil { end = position + 2 }
                pointers += 1
                limit = target
                position = target
            case 0x00:
                if length == 0 {
                    let name = text.isEmpty ? "." : String(decoding: text, as: UTF8.self)
                    return (name, end ?? position + 1)
                }
                wireLength += length + 1
                guard wireLength <= 255, position + 1 + length <= message.count else { return nil }
                if !text.isEmpty { text.append(UInt8(ascii: ".")) }
                for byte in message[(position + 1)..<(position + 1 + length)] { appendEscaped(byte, to: &text) }
                position += 1 + length
            default:
                // 0x40 (extended label types, obsolete) and 0x80 (reserved).
                return nil
            }
        }
    }

    /// RFC 1035 master-file escaping, lowercased: what the name shows in a terminal or a page can't be a control
    /// sequence or a fake dot.
    static func appendEscaped(_ byte: UInt8, to text: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"):
            text.append(byte + 32)
        case UInt8(ascii: "."), UInt8(ascii: "\\"):
            text.append(UInt8(ascii: "\\"))
            text.append(byte)
        case 0x21...0x7e:
            text.append(byte)
        default:
            text.append(UInt8(ascii: "\\"))
            text.append(UInt8(ascii: "0") + byte / 100)
            text.append(UInt8(ascii: "0") + (byte / 10) % 10)
            text.append(UInt8(ascii: "0") + byte % 10)
        }
    }

    static func uint16(_ message: [UInt8], _ offset: Int) -> UInt16 {
        UInt16(message[offset]) << 8 | UInt16(message[offset + 1])
    }
}
