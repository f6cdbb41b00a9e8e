/// Variable-length integers as the recorder packs them: LEB128, with zig-zag for signed values (so small negative
/// numbers stay short).
enum Varint {
    @inline(__always)
    static func write(_ value: UInt64, to out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    @inline(__always)
    static func writeSigned(_ value: Int64, to out: inout [UInt8]) {
        write(UInt64(bitPattern: (value << 1) ^ (value >> 63)), to: &out)
    }

    /// Reads a varint the buffer's writer produced (so it is complete; a truncated one ends at the buffer's end).
    @inline(__always)
    static func read(_ buffer: UnsafeBufferPointer<UInt8>, _ offset: inout Int) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < buffer.count {
            let byte = buffer[offset]
            offset += 1
            if shift < 64 { value |= UInt64(byte & 0x7F) << shift }
            if byte < 0x80 { break }
            shift += 7
        }
        return value
    }

    @inline(__always)
    static func readSigned(_ buffer: UnsafeBufferPointer<UInt8>, _ offset: inout Int) -> Int64 {
        let raw = read(buffer, &offset)
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }
}
