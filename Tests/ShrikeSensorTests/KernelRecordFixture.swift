import CShrikeBPF
@testable import ShrikeSensor

/// Builds the bytes the BPF program would write, for decoding tests that run without a kernel.
struct KernelRecordFixture {
    var header = shrike_event_header()
    var strings: [[UInt8]] = []
    /// Exec records only: what goes between the header and the strings.
    var execInfo = shrike_exec_info()

    init(kind: KernelRecord.Kind, pid: Int32, ppid: Int32 = 1, comm: String = "test", syscall: String? = nil,
         ret: Int64 = 0, args: [UInt64] = [], time: UInt64 = 1_000) {
        header.kind = kind.rawValue
        header.pid = UInt32(bitPattern: pid)
        header.tid = UInt32(bitPattern: pid)
        header.ppid = UInt32(bitPattern: ppid)
        header.ret = ret
        header.time_ns = time
        header.cgroup_id = 1
        header.loginuid = .max
        if let syscall { header.syscall = UInt32(SyscallTable.x86_64[syscall]?.number ?? 0) }
        var padded = args + [UInt64](repeating: 0, count: max(0, 6 - args.count))
        padded = Array(padded.prefix(6))
        header.args = (padded[0], padded[1], padded[2], padded[3], padded[4], padded[5])
        withUnsafeMutableBytes(of: &header.comm) { raw in
            for (index, byte) in comm.utf8.prefix(15).enumerated() { raw[index] = byte }
        }
    }

    /// Adds a C string (with its NUL, as bpf_probe_read_user_str returns it).
    func with(string: String) -> KernelRecordFixture {
        with(bytes: Array(string.utf8) + [0])
    }

    func with(bytes: [UInt8]) -> KernelRecordFixture {
        var copy = self
        copy.strings.append(bytes)
        return copy
    }

    var bytes: [UInt8] {
        var header = self.header
        let lengths = (strings + [[], [], []]).prefix(3).map { UInt16($0.count) }
        header.string_len = (lengths[0], lengths[1], lengths[2])
        let info = header.kind == KernelRecord.Kind.exec.rawValue ? withUnsafeBytes(of: execInfo) { Array($0) } : []
        return withUnsafeBytes(of: header) { Array($0) } + info + strings.flatMap { $0 }
    }

    var record: KernelRecord? {
        bytes.withUnsafeBytes { KernelRecord(bytes: $0) }
    }
}
