import CShrikeBPF

/// One record as the BPF program wrote it: the fixed header and up to three strings, not yet interpreted.
public struct KernelRecord: Sendable {
    public enum Kind: UInt32, Sendable {
        case exec = 1
        case fork = 2
        case exit = 3
        case syscall = 4
        /// A DNS answer's UDP payload in string slot 0; no process (see `EventAssembler.learnHostNames`).
        case dns = 5
        /// The response program killed a process or refused a connect (or, dry-run, would have): args[0] the action,
        /// args[1] the rule's index in the plan, args[2] the syscall (-1 for exec); str0 the path or sockaddr.
        case response = 6
    }

    public var kind: Kind
    /// CLOCK_BOOTTIME nanoseconds.
    public var bootTime: UInt64
    public var cgroupID: UInt64
    public var ret: Int64
    public var args: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
    public var syscall: Int
    public var pid: Int32
    public var tid: Int32
    public var ppid: Int32
    public var uid: UInt32
    public var gid: UInt32
    public var loginuid: UInt32
    public var tty: UInt32
    /// Session and process group ids in the root pid namespace: exec, setsid and setpgid records only (0 otherwise).
    public var sid: Int32
    public var pgid: Int32
    public var comm: String
    /// Every string's bytes back to back (one allocation per record); `stringRanges` cuts them apart.
    public var payload: [UInt8]
    public var stringRanges: (Range<Int>, Range<Int>, Range<Int>)
    /// What an exec record carries besides its strings: capabilities, the executable's inode, pid-namespace ids.
    public var execInfo: shrike_exec_info?

    public func arg(_ index: Int) -> UInt64 {
        switch index {
        case 0: args.0
        case 1: args.1
        case 2: args.2
        case 3: args.3
        case 4: args.4
        default: args.5
        }
    }

    /// The raw bytes of string `slot` (C strings still carry their NUL; sockaddrs are raw); empty when absent.
    public func bytes(_ slot: Int) -> ArraySlice<UInt8> {
        switch slot {
        case 0: payload[stringRanges.0]
        case 1: payload[stringRanges.1]
        case 2: payload[stringRanges.2]
        default: []
        }
    }

    /// The string in `slot` decoded as UTF-8 without its terminating NUL; nil when the kernel did not read one.
    public func string(_ slot: Int) -> String? {
        let raw = bytes(slot)
        guard !raw.isEmpty else { return nil }
        let end = raw.firstIndex(of: 0) ?? raw.endIndex
        return String(decoding: raw[raw.startIndex..<end], as: UTF8.self)
    }

    /// Decodes a record from the ring buffer; nil when it is shorter than its header says (never trusted blindly).
    public init?(bytes: UnsafeRawBufferPointer) {
        let headerSize = MemoryLayout<shrike_event_header>.size
        guard bytes.count >= headerSize, let base = bytes.baseAddress else { return nil }
        let header = base.loadUnaligned(as: shrike_event_header.self)
        guard let kind = Kind(rawValue: header.kind) else { return nil }
        self.kind = kind
        bootTime = header.time_ns
        cgroupID = header.cgroup_id
        ret = header.ret
        args = header.args
        syscall = Int(header.syscall)
        pid = Int32(bitPattern: header.pid)
        tid = Int32(bitPattern: header.tid)
        ppid = Int32(bitPattern: header.ppid)
        uid = header.uid
        gid = header.gid
        loginuid = header.loginuid
        tty = header.tty
        sid = Int32(bitPattern: header.sid)
        pgid = Int32(bitPattern: header.pgid)
        comm = withUnsafeBytes(of: header.comm) { raw in
            let chars = raw.prefix { $0 != 0 }
            return String(decoding: chars, as: UTF8.self)
        }
        // Exec records put their fixed-size info between the header and the strings.
        var stringsStart = headerSize
        execInfo = nil
        if kind == .exec {
            let infoSize = MemoryLayout<shrike_exec_info>.size
            guard bytes.count >= headerSize + infoSize else { return nil }
            execInfo = (base + headerSize).loadUnaligned(as: shrike_exec_info.self)
            stringsStart += infoSize
        }
        var ranges: [Range<Int>] = [0..<0, 0..<0, 0..<0]
        var offset = 0
        let available = bytes.count - stringsStart
        let lengths = [Int(header.string_len.0), Int(header.string_len.1), Int(header.string_len.2)]
        for (slot, length) in lengths.enumerated() where length > 0 && offset + length <= available {
            ranges[slot] = offset..<(offset + length)
            offset += length
        }
        payload = offset > 0 ? Array(bytes[stringsStart..<(stringsStart + offset)]) : []
        stringRanges = (ranges[0], ranges[1], ranges[2])
    }
}
