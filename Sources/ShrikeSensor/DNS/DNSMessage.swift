/// A DNS message (RFC 1035) as far as host names need it: the header bits, the questions and the answer section.
/// Authority and additional sections are not read.
public struct DNSMessage: Sendable, Equatable {
    public var id: UInt16
    /// QR: a response, not a query.
    public var isResponse: Bool
    /// 0 for a standard query.
    public var opcode: UInt8
    /// TC: the server cut the answer to fit a UDP datagram (the client retries over TCP, which is not seen).
    public var truncated: Bool
    /// RCODE: 0 for no error, 3 for a name that does not exist.
    public var responseCode: UInt8
    public var questions: [DNSQuestion]
    /// The answer records read completely, in order.
    public var answers: [DNSRecord]
    /// The answer section ended before its count said (the capture was cut, or the count lied); `answers` holds the
    /// records before that point.
    public var answersIncomplete: Bool

    public init(id: UInt16 = 0, isResponse: Bool = true, opcode: UInt8 = 0, truncated: Bool = false,
                responseCode: UInt8 = 0, questions: [DNSQuestion] = [], answers: [DNSRecord] = [],
                answersIncomplete: Bool = false) {
        self.id = id
        self.isResponse = isResponse
        self.opcode = opcode
        self.truncated = truncated
        self.responseCode = responseCode
        self.questions = questions
        self.answers = answers
        self.answersIncomplete = answersIncomplete
    }
}

/// One entry of the question section.
public struct DNSQuestion: Sendable, Equatable {
    /// Lowercase, without the trailing dot (`.` for the root); bytes outside printable ASCII, dots inside a label and
    /// backslashes are escaped as RFC 1035's master files write them (`\046`, `\.`).
    public var name: String
    public var type: UInt16
    public var recordClass: UInt16

    public init(name: String, type: UInt16, recordClass: UInt16 = DNSRecord.classInternet) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
    }
}

/// One resource record of the answer section.
public struct DNSRecord: Sendable, Equatable {
    /// What the record says; only the kinds host names need are decoded.
    public enum Data: Sendable, Equatable {
        /// An A record's address (`192.0.2.1`).
        case ipv4(String)
        /// An AAAA record's address, in the text form the sensor uses for socket addresses (RFC 5952).
        case ipv6(String)
        /// A CNAME record's target name (same form as `name`).
        case alias(String)
        /// Any other type, or an A/AAAA record whose data has the wrong length.
        case other
    }

    public static let typeA: UInt16 = 1
    public static let typeCNAME: UInt16 = 5
    public static let typeAAAA: UInt16 = 28
    public static let classInternet: UInt16 = 1

    /// The owner name, in `DNSQuestion.name`'s form.
    public var name: String
    public var type: UInt16
    public var recordClass: UInt16
    /// Seconds; values with the top bit set count as 0 (RFC 2181).
    public var ttl: UInt32
    public var data: Data

    public init(name: String, type: UInt16, recordClass: UInt16 = DNSRecord.classInternet, ttl: UInt32, data: Data) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
        self.ttl = ttl
        self.data = data
    }
}

/// An address a DNS answer gave, with the name it answers for.
public struct DNSAddressName: Sendable, Equatable {
    public var address: String
    public var name: String
    /// Seconds the answer may be used: the smallest TTL along the CNAME chain.
    public var ttl: UInt32

    public init(address: String, name: String, ttl: UInt32) {
        self.address = address
        self.name = name
        self.ttl = ttl
    }
}

extension DNSMessage {
    /// The addresses of a successful response with the name the client asked for: an A or AAAA record whose owner
    /// the question's name reaches through CNAME records maps to the question's name (what the user typed, not the
    /// CDN's alias); other address records in the answer section map to their own owner name. Queries, failed
    /// responses and non-Internet classes give nothing.
    public var addressNames: [DNSAddressName] {
        guard isResponse, opcode == 0, responseCode == 0 else { return [] }
        var aliases: [String: (target: String, ttl: UInt32)] = [:]
        for answer in answers where answer.recordClass == DNSRecord.classInternet {
            if case .alias(let target) = answer.data, aliases[answer.name] == nil {
                aliases[answer.name] = (target, answer.ttl)
            }
        }
        // Every name the question reaches, with the smallest TTL on the way; each name once, so a CNAME loop ends.
        var reached: [String: UInt32] = [:]
        let asked = questions.first?.name
        if let asked {
            var current = asked
            var ttl = UInt32.max
            reached[asked] = ttl
            while let (next, aliasTTL) = aliases[current], reached[next] == nil {
                ttl = min(ttl, aliasTTL)
                reached[next] = ttl
                current = next
            }
        }
        var result: [DNSAddressName] = []
        for answer in answers where answer.recordClass == DNSRecord.classInternet {
            let address: String
            switch answer.data {
            case .ipv4(let text), .ipv6(let text): address = text
            case .alias, .other: continue
            }
            if let asked, let chainTTL = reached[answer.name] {
                result.append(DNSAddressName(address: address, name: asked, ttl: min(answer.ttl, chainTTL)))
            } else {
                result.append(DNSAddressName(address: address, name: answer.name, ttl: answer.ttl))
            }
        }
        return result
    }
}
