import Testing
@testable import ShrikeSensor

/// The address → host name cache and how the event assembler uses it: TTLs with a floor and a ceiling, a size
/// bound that drops the least recently used, and connect/accept events named from DNS answer records.
@Suite("Host names from DNS answers")
struct HostNameCacheTests {
    static let second: UInt64 = 1_000_000_000

    @Test func aNameLivesForItsTTL() {
        var cache = HostNameCache(minimumTTL: 10, maximumTTL: 1000)
        cache.insert(address: "192.0.2.1", name: "a.example", ttl: 300, now: 0)
        #expect(cache.name(for: "192.0.2.1", now: 299 * Self.second) == "a.example")
        #expect(cache.name(for: "192.0.2.1", now: 300 * Self.second) == nil)
        #expect(cache.count == 0, "an expired entry found by a lookup is dropped")
        #expect(cache.name(for: "192.0.2.2", now: 0) == nil)
    }

    @Test(arguments: [
        (UInt32(0), UInt64(60)),      // a TTL of 0 is still used by the connect right after it
        (UInt32(5), UInt64(60)),
        (UInt32(600), UInt64(600)),
        (UInt32(604_800), UInt64(3600)),  // a week is cut to the ceiling
    ])
    func ttlsAreClamped(ttl: UInt32, lifetime: UInt64) {
        var cache = HostNameCache(minimumTTL: 60, maximumTTL: 3600)
        cache.insert(address: "192.0.2.1", name: "clamp.example", ttl: ttl, now: 1000)
        #expect(cache.name(for: "192.0.2.1", now: 1000 + lifetime * Self.second - 1) == "clamp.example")
        #expect(cache.name(for: "192.0.2.1", now: 1000 + lifetime * Self.second) == nil)
    }

    @Test func theCacheNeverHoldsMoreThanItsCapacityAndKeepsWhatIsUsed() {
        var cache = HostNameCache(capacity: 8)
        for index in 0..<8 { cache.insert(address: "192.0.2.\(index)", name: "n\(index).example", ttl: 300, now: 0) }
        // Looking up the oldest after every insert keeps it recently used; 1, 2, … are pushed out instead.
        for index in 8..<20 {
            #expect(cache.name(for: "192.0.2.0", now: 0) == "n0.example")
            cache.insert(address: "192.0.2.\(index)", name: "n\(index).example", ttl: 300, now: 0)
            #expect(cache.count <= 8)
        }
        #expect(cache.name(for: "192.0.2.19", now: 0) == "n19.example")
        #expect(cache.name(for: "192.0.2.1", now: 0) == nil)
        #expect(cache.name(for: "192.0.2.0", now: 0) == "n0.example")
    }

    @Test func expiredEntriesGoBeforeLiveOnes() {
        var cache = HostNameCache(capacity: 4, minimumTTL: 1, maximumTTL: 1000)
        for index in 2...4 { cache.insert(address: "192.0.2.\(index)", name: "long\(index).example", ttl: 900, now: 0) }
        // The most recently used entry, but expired by the next insert: it goes, not the least recently used.
        cache.insert(address: "192.0.2.1", name: "short.example", ttl: 1, now: 0)
        cache.insert(address: "192.0.2.5", name: "long5.example", ttl: 900, now: 10 * Self.second)
        #expect(cache.count == 4)
        for index in 2...5 { #expect(cache.name(for: "192.0.2.\(index)", now: 10 * Self.second) != nil) }
    }

    @Test func aNewerAnswerReplacesAnOlderOne() {
        var cache = HostNameCache()
        cache.insert(address: "192.0.2.1", name: "old.example", ttl: 300, now: 0)
        cache.insert(address: "192.0.2.1", name: "new.example", ttl: 300, now: Self.second)
        #expect(cache.name(for: "192.0.2.1", now: 2 * Self.second) == "new.example")
        #expect(cache.count == 1)
    }

    @Test func anIPv4MappedAddressFindsItsIPv4Answer() {
        var cache = HostNameCache()
        cache.insert(address: "192.0.2.77", name: "mapped.example", ttl: 300, now: 0)
        #expect(cache.name(for: "::ffff:192.0.2.77", now: 0) == "mapped.example")
        #expect(cache.name(for: "::ffff:192.0.2.78", now: 0) == nil)
    }

    @Test func learningAResponseStoresEveryAddress() throws {
        var cache = HostNameCache()
        let bytes = DNSPacketBuilder.simpleResponse("two.example", addresses: [[192, 0, 2, 1], [192, 0, 2, 2]])
        let message = try #require(DNSMessageParser.parse(bytes))
        #expect(cache.learn(message, now: 0) == 2)
        #expect(cache.name(for: "192.0.2.2", now: 0) == "two.example")
    }

    // MARK: The assembler

    static func dnsRecord(_ payload: [UInt8], time: UInt64) -> KernelRecord? {
        KernelRecordFixture(kind: .dns, pid: 0, ppid: 0, comm: "", args: [4, UInt64(payload.count)], time: time)
            .with(bytes: payload).record
    }

    static func connect(to address: [UInt8], port: UInt16 = 443, time: UInt64) -> KernelRecord? {
        let sockaddr: [UInt8] = [2, 0, UInt8(port >> 8), UInt8(port & 0xff)] + address + [UInt8](repeating: 0, count: 8)
        return KernelRecordFixture(kind: .syscall, pid: 100, syscall: "connect", ret: 0, args: [4, 0, 16], time: time)
            .with(bytes: sockaddr).record
    }

    @Test func aConnectAfterADNSAnswerCarriesTheName() throws {
        var assembler = try EventAssemblerTests.assembler()
        let answer = try #require(Self.dnsRecord(
            DNSPacketBuilder.simpleResponse("api.shrike.example", addresses: [[192, 0, 2, 77]], ttl: 120), time: 1000))
        let notAnEvent = assembler.event(from: answer)
        #expect(notAnEvent == nil, "a DNS answer is not an event")
        let learnt = assembler.learnHostNames(from: answer)
        #expect(learnt == 1)

        let named = try #require(Self.connect(to: [192, 0, 2, 77], time: 2000))
        let namedEvent = assembler.event(from: named)
        let event = try #require(namedEvent)
        #expect(event.net?.hostName == "api.shrike.example")
        #expect(event.net?.endpoint == "192.0.2.77:443")

        let other = try #require(Self.connect(to: [192, 0, 2, 78], time: 2000))
        let otherEvent = assembler.event(from: other)
        #expect(otherEvent != nil && otherEvent?.net?.hostName == nil)

        let late = try #require(Self.connect(to: [192, 0, 2, 77], time: 1000 + 121 * Self.second))
        let lateEvent = assembler.event(from: late)
        #expect(lateEvent != nil && lateEvent?.net?.hostName == nil, "the answer's TTL has passed")
    }

    @Test func brokenDNSRecordsTeachNothing() throws {
        var assembler = try EventAssemblerTests.assembler()
        let garbage = try #require(Self.dnsRecord([0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 0xc0, 0x0c], time: 1))
        let fromGarbage = assembler.learnHostNames(from: garbage)
        #expect(fromGarbage == 0)
        #expect(assembler.hostNames.isEmpty)
        // A syscall record is no DNS answer, whatever its bytes.
        let syscall = try #require(Self.connect(to: [192, 0, 2, 1], time: 1))
        let fromSyscall = assembler.learnHostNames(from: syscall)
        #expect(fromSyscall == 0)
    }
}
