/// Host names learnt from DNS answers: address → the name a client asked for, as the sensor saw it last.
///
/// Entries live for their answer's TTL, clamped to `minimumTTL...maximumTTL` (a TTL of 0 is still what the client
/// connects with a moment later; a week-long TTL would pin a stale name), and at most `capacity` are kept: past that
/// the least recently used go first. Times are monotonic nanoseconds (the sensor uses CLOCK_BOOTTIME). A plain value
/// the sensor thread owns; not meant to be shared.
public struct HostNameCache: Sendable {
    private struct Entry: Sendable {
        var name: String
        var expires: UInt64
        var lastUse: UInt64
    }

    public let capacity: Int
    /// Seconds.
    public let minimumTTL: UInt32
    /// Seconds.
    public let maximumTTL: UInt32
    private var entries: [String: Entry] = [:]
    private var clock: UInt64 = 0

    public init(capacity: Int = 8192, minimumTTL: UInt32 = 60, maximumTTL: UInt32 = 6 * 3600) {
        self.capacity = max(1, capacity)
        self.minimumTTL = minimumTTL
        self.maximumTTL = max(minimumTTL, maximumTTL)
    }

    /// Entries held, expired ones not yet swept included.
    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    /// Remembers that `address` is `name` for `ttl` seconds (clamped) from `now`; a newer answer replaces an older one.
    public mutating func insert(address: String, name: String, ttl: UInt32, now: UInt64) {
        clock += 1
        let seconds = UInt64(min(max(ttl, minimumTTL), maximumTTL))
        entries[address] = Entry(name: name, expires: now + seconds * 1_000_000_000, lastUse: clock)
        if entries.count > capacity { evict(now: now) }
    }

    /// Remembers every address of a response (see `DNSMessage.addressNames`); returns how many.
    @discardableResult
    public mutating func learn(_ message: DNSMessage, now: UInt64) -> Int {
        let names = message.addressNames
        for entry in names { insert(address: entry.address, name: entry.name, ttl: entry.ttl, now: now) }
        return names.count
    }

    /// The name of `address` (an IPv4-mapped IPv6 address also finds its IPv4 answer); nil when none was seen or
    /// it expired.
    public mutating func name(for address: String, now: UInt64) -> String? {
        if let name = lookup(address, now: now) { return name }
        if address.hasPrefix("::ffff:"), address.contains(".") {
            return lookup(String(address.dropFirst(7)), now: now)
        }
        return nil
    }

    private mutating func lookup(_ address: String, now: UInt64) -> String? {
        guard var entry = entries[address] else { return nil }
        guard entry.expires > now else {
            entries[address] = nil
            return nil
        }
        clock += 1
        entry.lastUse = clock
        entries[address] = entry
        return entry.name
    }

    /// Drops expired entries, then the least recently used down to 7/8 of the capacity, so eviction runs once per
    /// many inserts instead of on every one.
    private mutating func evict(now: UInt64) {
        entries = entries.filter { $0.value.expires > now }
        let target = capacity - capacity / 8
        guard entries.count > target else { return }
        let oldest = entries.sorted { $0.value.lastUse < $1.value.lastUse }.prefix(entries.count - target)
        for (address, _) in oldest { entries[address] = nil }
    }
}
