import ShrikeSensor

extension FieldRegistry {
    /// Fields that come from what Shrike's sensor adds to Falco's event model: raw paths as the program passed them,
    /// fileless execution seen by the kernel at exec, and the container layer an executable lives in.
    static var sensorFields: [String: Definition] {
        [
            "fd.nameraw": string { $0.event.file.map { $0.rawPath ?? $0.path } },
            "fs.path.nameraw": string { $0.event.file.map { $0.rawPath ?? $0.path } },
            "proc.is_exe_from_memfd": bool { $0.event.process.exeFromMemfd },
            "proc.is_exe_upper_layer": bool { context in
                let process = context.event.process
                guard !process.container.isHost else { return false }
                return ContainerUpperLayers.shared.isInUpperLayer(exe: process.exe, pid: process.pid, ppid: process.ppid,
                                                                  container: process.container.fullID)
            },
        ]
    }
}
