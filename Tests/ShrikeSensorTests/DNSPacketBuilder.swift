/// Builds DNS messages byte by byte for parser tests, so every compression pointer and count is visible in the test.
enum DNSPacketBuilder {
    static func u16(_ value: Int) -> [UInt8] { [UInt8((value >> 8) & 0xff), UInt8(value & 0xff)] }
    static func u32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)]
    }

    /// The 12-byte header; `flags` 0x8180 is a standard response with recursion, no error.
    static func header(id: Int = 0x1234, flags: Int = 0x8180, questions: Int, answers: Int, authority: Int = 0,
                       additional: Int = 0) -> [UInt8] {
        u16(id) + u16(flags) + u16(questions) + u16(answers) + u16(authority) + u16(additional)
    }

    /// `www.example.com` as length-prefixed labels; ending in a pointer to `pointer` instead of the root label when
    /// given.
    static func name(_ dotted: String, pointer: Int? = nil) -> [UInt8] {
        var out: [UInt8] = []
        for label in dotted.split(separator: ".") where !label.isEmpty {
            out.append(UInt8(label.utf8.count))
            out += Array(label.utf8)
        }
        if let pointer { return out + self.pointer(pointer) }
        return out + [0]
    }

    static func pointer(_ offset: Int) -> [UInt8] { [UInt8(0xc0 | (offset >> 8)), UInt8(offset & 0xff)] }

    static func question(_ name: [UInt8], type: Int = 1) -> [UInt8] { name + u16(type) + u16(1) }

    static func record(_ owner: [UInt8], type: Int, ttl: UInt32 = 300, recordClass: Int = 1, data: [UInt8]) -> [UInt8] {
        owner + u16(type) + u16(recordClass) + u32(ttl) + u16(data.count) + data
    }

    static func a(_ owner: [UInt8], _ address: [UInt8], ttl: UInt32 = 300) -> [UInt8] {
        record(owner, type: 1, ttl: ttl, data: address)
    }

    /// The question name sits at offset 12 in every message built here.
    static let questionOffset = 12

    /// A response to an A query for `name` with one A record per address (owners compressed to the question).
    static func simpleResponse(_ name: String, addresses: [[UInt8]], ttl: UInt32 = 300) -> [UInt8] {
        var message = header(questions: 1, answers: addresses.count) + question(self.name(name))
        for address in addresses { message += a(pointer(questionOffset), address, ttl: ttl) }
        return message
    }
}
