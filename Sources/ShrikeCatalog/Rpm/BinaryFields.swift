import ShrikeCore

/// Bounds-checked fixed-width integer reads from a byte array, for the rpm database readers.
///
/// Every read checks its range first and throws `.malformed` naming `input`, so hostile files can never over-read.
struct BinaryFields: Sendable {
    enum ByteOrder: Sendable { case little, big }

    let bytes: [UInt8]
    let order: ByteOrder
    let input: String?

    init(_ bytes: [UInt8], order: ByteOrder, input: String?) {
        self.bytes = bytes
        self.order = order
        self.input = input
    }

    var count: Int { bytes.count }

    func malformed(_ message: String) -> ShrikeError {
        ShrikeError(.malformed, message, input: input)
    }

    /// Throws unless `offset..<offset+length` lies inside the bytes (overflow-safe).
    func require(_ offset: Int, _ length: Int, _ what: @autoclosure () -> String) throws {
        guard offset >= 0, length >= 0, offset <= bytes.count, length <= bytes.count - offset else {
            throw malformed("\(what()) at offset \(offset) (length \(length)) lies outside the \(bytes.count)-byte data: the file is truncated or corrupt")
        }
    }

    func uint8(at offset: Int, _ what: @autoclosure () -> String = "field") throws -> UInt8 {
        try require(offset, 1, what())
        return bytes[offset]
    }

    func uint16(at offset: Int, _ what: @autoclosure () -> String = "field") throws -> UInt16 {
        try require(offset, 2, what())
        let a = UInt16(bytes[offset]), b = UInt16(bytes[offset + 1])
        return order == .big ? (a << 8 | b) : (b << 8 | a)
    }

    func uint32(at offset: Int, _ what: @autoclosure () -> String = "field") throws -> UInt32 {
        try require(offset, 4, what())
        var value: UInt32 = 0
        for i in 0..<4 {
            let byte = UInt32(bytes[offset + (order == .big ? i : 3 - i)])
            value = value << 8 | byte
        }
        return value
    }

    func uint64(at offset: Int, _ what: @autoclosure () -> String = "field") throws -> UInt64 {
        try require(offset, 8, what())
        var value: UInt64 = 0
        for i in 0..<8 {
            let byte = UInt64(bytes[offset + (order == .big ? i : 7 - i)])
            value = value << 8 | byte
        }
        return value
    }

    func slice(_ offset: Int, _ length: Int, _ what: @autoclosure () -> String = "field") throws -> ArraySlice<UInt8> {
        try require(offset, length, what())
        return bytes[offset..<(offset + length)]
    }
}
