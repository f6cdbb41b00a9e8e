import Testing
@testable import ShrikeSensor

/// The DNS answer parser: well-formed responses with compression and CNAME chains, and hostile or cut packets (any
/// packet from port 53 reaches it), which must be refused or cut cleanly, never trap or loop.
@Suite("DNS message parsing")
struct DNSMessageParserTests {
    typealias B = DNSPacketBuilder

    @Test func aSimpleAnswerNamesItsAddress() throws {
        let bytes = B.simpleResponse("Example.COM", addresses: [[93, 184, 216, 34]], ttl: 120)
        let message = try #require(DNSMessageParser.parse(bytes))
        #expect(message.id == 0x1234)
        #expect(message.isResponse)
        #expect(message.responseCode == 0)
        #expect(message.questions == [DNSQuestion(name: "example.com", type: 1)])
        #expect(message.answers == [DNSRecord(name: "example.com", type: 1, ttl: 120, data: .ipv4("93.184.216.34"))])
        #expect(!message.answersIncomplete)
        #expect(message.addressNames == [DNSAddressName(address: "93.184.216.34", name: "example.com", ttl: 120)])
    }

    /// www.shop.example → shop.cdn.example → edge.cdn.net, with two A records and an AAAA for the last name: every
    /// address maps to the name the client asked for, valid for the shortest TTL on the way.
    @Test func aCNAMEChainMapsAddressesToTheQuestionName() throws {
        var message = B.header(questions: 1, answers: 5)
        let question = message.count
        message += B.question(B.name("www.shop.example"))
        // "shop.cdn.example": "shop" + "cdn" then a pointer to "example" inside the question name.
        let exampleInQuestion = question + 1 + 3 + 1 + 4
        let first = message.count
        let firstTarget = B.name("shop.cdn", pointer: exampleInQuestion)
        message += B.record(B.pointer(question), type: 5, ttl: 3600, data: firstTarget)
        let firstTargetOffset = first + 2 + 10
        let second = message.count
        let secondTarget = B.name("edge.cdn.net")
        message += B.record(B.pointer(firstTargetOffset), type: 5, ttl: 90, data: secondTarget)
        let edge = second + 2 + 10
        message += B.a(B.pointer(edge), [192, 0, 2, 10], ttl: 600)
        message += B.a(B.pointer(edge), [192, 0, 2, 11], ttl: 30)
        message += B.record(B.pointer(edge), type: 28, ttl: 600,
                            data: [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1])
        let parsed = try #require(DNSMessageParser.parse(message))
        #expect(parsed.answers.map(\.name) == ["www.shop.example", "shop.cdn.example", "edge.cdn.net", "edge.cdn.net",
                                               "edge.cdn.net"])
        #expect(parsed.answers[0].data == .alias("shop.cdn.example"))
        #expect(parsed.answers[1].data == .alias("edge.cdn.net"))
        #expect(parsed.addressNames == [
            DNSAddressName(address: "192.0.2.10", name: "www.shop.example", ttl: 90),
            DNSAddressName(address: "192.0.2.11", name: "www.shop.example", ttl: 30),
            DNSAddressName(address: "2001:db8::1", name: "www.shop.example", ttl: 90),
        ])
    }

    @Test(arguments: [
        ([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1] as [UInt8], "2001:db8::1"),
        ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1], "::ffff:192.0.2.1"),
        ([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55], "fe80::211:22ff:fe33:4455"),
    ])
    func aaaaRecordsUseTheSensorsAddressText(data: [UInt8], text: String) throws {
        let message = B.header(questions: 1, answers: 1) + B.question(B.name("v6.example"), type: 28)
            + B.record(B.pointer(12), type: 28, data: data)
        let parsed = try #require(DNSMessageParser.parse(message))
        #expect(parsed.addressNames == [DNSAddressName(address: text, name: "v6.example", ttl: 300)])
    }

    @Test func anAnswerCutShortKeepsTheRecordsBeforeTheCut() throws {
        let full = B.simpleResponse("cut.example", addresses: [[192, 0, 2, 1], [192, 0, 2, 2]])
        let parsed = try #require(DNSMessageParser.parse(full.dropLast(3)))
        #expect(parsed.answersIncomplete)
        #expect(parsed.addressNames.map(\.address) == ["192.0.2.1"])
    }

    /// Every prefix of a real message parses to nil or to a prefix of its answers, never anything else.
    @Test func everyPrefixOfAMessageIsHandled() throws {
        let full = B.simpleResponse("prefix.example", addresses: [[192, 0, 2, 1], [192, 0, 2, 2], [192, 0, 2, 3]])
        let complete = try #require(DNSMessageParser.parse(full)).answers
        let questionEnd = 12 + B.question(B.name("prefix.example")).count
        for length in 0..<full.count {
            guard let parsed = DNSMessageParser.parse(full.prefix(length)) else {
                #expect(length < questionEnd, "a cut after the question (\(length) bytes) must still parse")
                continue
            }
            #expect(parsed.answersIncomplete)
            #expect(Array(complete.prefix(parsed.answers.count)) == parsed.answers)
        }
    }

    /// Messages broken in the header or question section, each with what is wrong with it.
    static let brokenMessages: [(String, [UInt8])] = {
        let noQuestionYet = B.header(questions: 1, answers: 0)
        let typeAndClass = B.u16(1) + B.u16(1)
        var cases: [(String, [UInt8])] = []
        cases.append(("shorter than a header", [UInt8](repeating: 0, count: 11)))
        cases.append(("question cut in its name", noQuestionYet + [7] + Array("exam".utf8)))
        cases.append(("question without type and class", noQuestionYet + B.name("example.com")))
        cases.append(("name pointing at itself", noQuestionYet + B.pointer(12) + typeAndClass))
        cases.append(("pointer forward", noQuestionYet + B.pointer(20) + typeAndClass + B.name("later")))
        cases.append(("pointer past the end", noQuestionYet + B.pointer(0x3fff) + typeAndClass))
        cases.append(("pointer cut in half", noQuestionYet + [0xc0]))
        let longLabel: [UInt8] = [64] + [UInt8](repeating: 0x61, count: 64) + [0]
        cases.append(("label of 64 bytes", noQuestionYet + longLabel + typeAndClass))
        var longName: [UInt8] = []
        for _ in 0..<26 { longName += [9] + Array("abcdefghi".utf8) }
        cases.append(("name longer than 255 bytes", noQuestionYet + longName + [0] + typeAndClass))
        cases.append(("extended label type 0x40", noQuestionYet + [0x41, 0x61, 0] + typeAndClass))
        cases.append(("reserved label type 0x80", noQuestionYet + [0x81, 0x61, 0] + typeAndClass))
        cases.append(("65535 questions", B.header(questions: 65535, answers: 0) + B.question(B.name("a.example"))))
        return cases
    }()

    @Test(arguments: brokenMessages)
    func brokenHeadersAndQuestionsAreRefused(_ problem: String, bytes: [UInt8]) {
        #expect(DNSMessageParser.parse(bytes) == nil, "\(problem) was accepted")
    }

    /// Two names pointing at each other: one of the pointers must point forward, which is refused, so parsing ends.
    @Test func aPointerLoopBetweenTwoNamesEnds() {
        var message = B.header(questions: 1, answers: 1) + B.question(B.name("loop.example"))
        let owner = message.count
        // The record's owner: one label, then a pointer to the record's own data, whose name points back here.
        message += B.name("x", pointer: owner + 4 + 10) + B.u16(1) + B.u16(1) + B.u32(60) + B.u16(2)
        message += B.pointer(owner)
        let parsed = DNSMessageParser.parse(message)
        #expect(parsed?.answers.isEmpty == true)
        #expect(parsed?.answersIncomplete == true)
    }

    @Test func countsLargerThanTheDataStopAtTheEnd() throws {
        var message = B.simpleResponse("many.example", addresses: [[192, 0, 2, 9]])
        message[6] = 0xff
        message[7] = 0xff
        let parsed = try #require(DNSMessageParser.parse(message))
        #expect(parsed.answers.count == 1)
        #expect(parsed.answersIncomplete)
        #expect(parsed.addressNames.map(\.address) == ["192.0.2.9"])
    }

    @Test func recordDataLongerThanTheMessageIsACut() throws {
        let message = B.header(questions: 1, answers: 1) + B.question(B.name("long.example"))
            + B.pointer(12) + B.u16(1) + B.u16(1) + B.u32(60) + B.u16(400) + [192, 0, 2, 1]
        let parsed = try #require(DNSMessageParser.parse(message))
        #expect(parsed.answers.isEmpty)
        #expect(parsed.answersIncomplete)
    }

    @Test func addressRecordsOfTheWrongLengthNameNothing() throws {
        let message = B.header(questions: 1, answers: 2) + B.question(B.name("odd.example"))
            + B.record(B.pointer(12), type: 1, data: [192, 0, 2, 1, 7])
            + B.record(B.pointer(12), type: 28, data: [1, 2, 3, 4])
        let parsed = try #require(DNSMessageParser.parse(message))
        #expect(parsed.answers.map(\.data) == [.other, .other])
        #expect(parsed.addressNames.isEmpty)
    }

    /// A CNAME whose name runs past its own record data is not trusted as an alias.
    @Test func aCNAMETargetMustFitItsRecord() throws {
        let target = B.name("far.example")
        let message = B.header(questions: 1, answers: 1) + B.question(B.name("c.example"))
            + B.pointer(12) + B.u16(5) + B.u16(1) + B.u32(60) + B.u16(3) + target
        let parsed = DNSMessageParser.parse(message)
        #expect(parsed?.answers.first?.data == .other)
    }

    @Test func controlCharactersAndDotsInsideLabelsAreEscaped() throws {
        let label: [UInt8] = [0x1b] + Array("[31mEvil.".utf8) + [0x7f, 0x5c]
        let name = [UInt8(label.count)] + label + B.name("example")
        let message = B.header(questions: 1, answers: 1) + B.question(name) + B.a(B.pointer(12), [192, 0, 2, 5])
        let parsed = try #require(DNSMessageParser.parse(message))
        #expect(parsed.questions.first?.name == "\\027[31mevil\\.\\127\\\\.example")
        #expect(parsed.addressNames.first?.name == "\\027[31mevil\\.\\127\\\\.example")
    }

    @Test(arguments: [
        ("a query", 0x0100),
        ("a name error", 0x8183),
        ("a server failure", 0x8182),
        ("a non-standard opcode", 0x8980),
    ])
    func onlySuccessfulStandardResponsesNameAddresses(_ what: String, flags: Int) throws {
        let message = B.header(flags: flags, questions: 1, answers: 1) + B.question(B.name("no.example"))
            + B.a(B.pointer(12), [192, 0, 2, 1])
        let parsed = try #require(DNSMessageParser.parse(message), "\(what) did not parse")
        #expect(parsed.addressNames.isEmpty, "\(what) named an address")
    }

    @Test func otherClassesAndUnrelatedOwnersAreHandled() throws {
        let message = B.header(questions: 1, answers: 3) + B.question(B.name("asked.example"))
            + B.record(B.pointer(12), type: 1, recordClass: 3, data: [192, 0, 2, 1])  // CHAOS class
            + B.a(B.name("other.example"), [192, 0, 2, 2])
            + B.a(B.pointer(12), [192, 0, 2, 3])
        let parsed = try #require(DNSMessageParser.parse(message))
        #expect(parsed.addressNames == [
            DNSAddressName(address: "192.0.2.2", name: "other.example", ttl: 300),
            DNSAddressName(address: "192.0.2.3", name: "asked.example", ttl: 300),
        ])
    }

    @Test func aCNAMELoopStillEnds() throws {
        var message = B.header(questions: 1, answers: 3) + B.question(B.name("a.example"))
        message += B.record(B.pointer(12), type: 5, data: B.name("b.example"))
        let b = 12 + 15 + 2 + 10
        message += B.record(B.pointer(b), type: 5, data: B.pointer(12))
        message += B.a(B.pointer(b), [192, 0, 2, 8])
        let parsed = try #require(DNSMessageParser.parse(message))
        #expect(parsed.answers[1].data == .alias("a.example"))
        #expect(parsed.addressNames == [DNSAddressName(address: "192.0.2.8", name: "a.example", ttl: 300)])
    }

    @Test func theTopBitOfATTLMeansZero() throws {
        let parsed = try #require(DNSMessageParser.parse(B.simpleResponse("t.example", addresses: [[192, 0, 2, 1]],
                                                                          ttl: 0x8000_0001)))
        #expect(parsed.answers.first?.ttl == 0)
    }

    /// Random bytes and random corruptions of a real message: parsing must always return.
    @Test func randomAndCorruptedPacketsNeverTrap() {
        var generator = SplitMix64(seed: 0x5eed)
        let valid = B.simpleResponse("fuzz.example", addresses: [[192, 0, 2, 1], [192, 0, 2, 2]])
        var parsedSome = 0
        for round in 0..<3000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int(generator.next() % 200)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            } else {
                bytes = valid
                for _ in 0..<(1 + generator.next() % 4) {
                    bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
                }
            }
            if let message = DNSMessageParser.parse(bytes) {
                parsedSome += 1
                _ = message.addressNames
            }
        }
        #expect(parsedSome > 0)
    }
}

/// A small deterministic generator, so a failing fuzz round can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
