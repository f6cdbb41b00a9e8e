import ShrikeSensor

extension FieldRegistry {
    /// Fields whose strings are raw bytes, one Latin-1 character each (see `StringMatching.latin1`).
    static let binaryFields: Set<String> = ["evt.buffer"]

    /// Fields that come from what Shrike's sensor adds to Falco's event model: raw paths as the program passed them,
    /// fileless execution seen by the kernel at exec, and the container layer an executable lives in.
    static var sensorFields: [String: Definition] {
        [
            "fd.nameraw": string { $0.event.file.map { $0.rawPath ?? $0.path } },
            "fs.path.nameraw": string { $0.event.file.map { $0.rawPath ?? $0.path } },
            "proc.is_exe_from_memfd": bool { $0.event.process.exeFromMemfd },
            // Capability sets, read from the kernel's credentials at exec and after capset/set*uid.
            "thread.cap_effective": string { $0.event.process.capabilities.map { Capabilities.describe($0.effective) } },
            "thread.cap_permitted": string { $0.event.process.capabilities.map { Capabilities.describe($0.permitted) } },
            "thread.cap_inheritable": string { context in
                context.event.process.capabilities.map { Capabilities.describe($0.inheritable) }
            },
            "proc.cap_effective": string { $0.event.process.capabilities.map { Capabilities.describe($0.effective) } },
            "proc.cap_permitted": string { $0.event.process.capabilities.map { Capabilities.describe($0.permitted) } },
            "proc.cap_inheritable": string { context in
                context.event.process.capabilities.map { Capabilities.describe($0.inheritable) }
            },
            // The executable's inode as it was at exec (times in epoch nanoseconds, as Falco's ABSTIME fields).
            "proc.exe_ino": number { $0.event.process.executable.map { Int64(bitPattern: $0.inode) } },
            "proc.exe_ino.ctime": number { $0.event.process.executable.map { Int64(bitPattern: $0.changeTime) } },
            "proc.exe_ino.mtime": number { context in
                context.event.process.executable.map { Int64(bitPattern: $0.modificationTime) }
            },
            // How long after the executable's last inode change the process was forked (small: dropped and run).
            "proc.exe_ino.ctime_duration_proc_start": number { context in
                let process = context.event.process
                guard let exe = process.executable, exe.changeTime > 0, process.startTime > 0 else { return nil }
                return Int64(bitPattern: process.startTime) &- Int64(bitPattern: exe.changeTime)
            },
            "proc.duration": number { context in
                let start = context.event.process.startTime
                return start > 0 && context.event.time >= start ? Int64(context.event.time - start) : nil
            },
            "proc.pid.ts": number { context in
                context.event.process.startTime > 0 ? Int64(bitPattern: context.event.process.startTime) : nil
            },
            "container.start_ts": number { context in
                context.event.process.container.startTime.map { Int64(bitPattern: $0) }
            },
            "container.duration": number { context in
                guard let start = context.event.process.container.startTime else { return nil }
                return Int64(bitPattern: context.event.time) &- Int64(bitPattern: start)
            },
            // Socket state the sensor follows per descriptor: connected by connect/accept; the peer a datagram named.
            "fd.connected": bool { $0.event.net?.connected },
            "fd.name_changed": bool { $0.event.net?.nameChanged },
            // The first bytes a send or receive moved, one character per byte (Latin-1), so `bcontains` compares the
            // real bytes; captured only when a rule reads it.
            "evt.buffer": string { $0.event.buffer.map(StringMatching.latin1) },
            "evt.buflen": number { context in
                context.event.buffer != nil && context.event.ret >= 0 ? context.event.ret : nil
            },
            "proc.is_exe_upper_layer": bool { context in
                let process = context.event.process
                guard !process.container.isHost else { return false }
                return ContainerUpperLayers.shared.isInUpperLayer(exe: process.exe, pid: process.pid, ppid: process.ppid,
                                                                  container: process.container.fullID)
            },
        ]
    }
}
