import ShrikeSensor

extension WatchSession {
    /// `shrike watch --events`: every event the sensor sees, as text or JSON lines.
    func watchEvents() async throws {
        let filter = options.eventFilter
        let syscalls = filter.types.isEmpty ? nil : filter.types.subtracting(["fork", "exit"])
        // Host names only matter when events with addresses are printed.
        let named: Set<String> = ["connect", "accept", "accept4", "bind"]
        let captureDNS = !options.noDNS && (filter.types.isEmpty || !filter.types.isDisjoint(with: named))
        let ringBytes = options.ringBufferMiB.map { $0 << 20 } ?? SensorConfiguration.defaultRingBufferBytes
        let configuration = SensorConfiguration(syscalls: syscalls, ringBufferBytes: ringBytes,
                                                wakeupBytes: options.wakeupBytes, filter: filter,
                                                captureDNS: captureDNS)
        let sensor = try Sensor(configuration: configuration)
        announceSensorLimits(sensor)
        let sink = StandardOutputEventSink(json: options.json)
        try sensor.start(sink: sink)
        StandardStream.note("watching (eBPF sensor loaded); Ctrl-C stops, SIGUSR1 prints statistics")
        await runUntilStopped(sensor: sensor, closed: { sink.outputClosed }) { [] }
    }
}
