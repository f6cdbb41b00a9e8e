import ShrikeAlerting
import ShrikeCore
import ShrikeRecorder
import ShrikeRules
import ShrikeSensor

extension WatchSession {
    /// `shrike watch` with rules: alerts to the outputs, incidents to the recorder, and with `agent` set, both (and
    /// heartbeats) to the spool and the server.
    func watchRules() async throws {
        let flags = WatchConfiguration(
            rulesFiles: options.rules, outputs: try options.outputs.map { try AlertOutputSpec(parsing: $0) },
            json: options.json ? true : nil, minimumPriority: options.minimumPriority.flatMap { RulePriority(name: $0) },
            dedupWindow: options.dedupWindow, firstMatch: options.firstMatch ? true : nil,
            recordDirectory: options.recordDirectory, before: options.before, after: options.after,
            ringBufferMiB: options.ringBufferMiB)
        let settings = try WatchConfiguration.loadDefault(explicitPath: options.configPath).overriding(with: flags)

        let (ruleSet, catalog) = try WatchRules.load(settings.rulesFiles ?? [])
        let table = SyscallTable.current
        let visible = Set(table?.syscalls.map(\.name) ?? []).union(["execve", "fork", "exit"])
        var syscalls: Set<String>?
        if !ruleSet.needsAllEventTypes {
            let unseen = ruleSet.neededEventTypes.subtracting(visible)
            if !unseen.isEmpty {
                StandardStream.note("warning: the sensor does not produce \(unseen.sorted().joined(separator: ", ")); "
                                    + "rules on them never fire")
            }
            syscalls = ruleSet.neededEventTypes.intersection(visible).subtracting(["execve", "fork", "exit"])
        }
        let readFilter = options.noKernelFilter ? nil : KernelReadFilter(ruleSet: ruleSet, catalog: catalog).prefixes
        let engine = RuleEngine(rules: ruleSet, options: RuleEngine.Options(
            firstMatch: settings.firstMatch ?? false, deduplicationWindow: settings.dedupWindow ?? 1,
            minimumPriority: .debug, dryRunResponses: options.dryRunResponses))
        // SIGHUP reopens alert files (log rotation); installed before the first alert can be written.
        LogReopenSignal.shared.installSignalHandler()
        let agent = try options.agent.map { try AgentSession(configuration: $0, log: { StandardStream.note($0) }) }
        let dispatcher: AlertDispatcher
        do {
            let local = try AlertDispatcher(specs: settings.outputs ?? [], json: settings.json ?? false,
                                            color: AlertColorPolicy.useColor(),
                                            minimumPriority: settings.minimumPriority)
            // With an agent the spool holds each alert before it is printed or sent anywhere else.
            dispatcher = agent.map {
                AlertDispatcher(routes: local.routes, durable: $0.alertOutput, minimumPriority: settings.minimumPriority)
            } ?? local
        } catch {
            await agent?.stop()
            throw error
        }
        let ringBytes = settings.ringBufferMiB.map { $0 << 20 } ?? SensorConfiguration.defaultRingBufferBytes
        // Rules with `response:` load the response program; without them nothing of it is loaded or attached.
        let plan = ruleSet.enforcementPlan(dryRun: options.dryRunResponses)
        if let plan, !plan.terms.isEmpty, var wanted = syscalls {
            // The sensor must report what a kill answers, so the alert (and the timeline) show the event.
            wanted.formUnion(plan.terms.flatMap(\.classes).map(\.rawValue).filter { $0 != "execve" })
            syscalls = wanted
        }
        let sensor = try Sensor(configuration: SensorConfiguration(
            syscalls: syscalls, ringBufferBytes: ringBytes, wakeupBytes: options.wakeupBytes,
            filter: options.eventFilter, readPathPrefixes: readFilter,
            captureDNS: !options.noDNS && (!options.noRecord || ruleSet.usesHostNames),
            captureBuffers: ruleSet.usesBuffers, enforcement: plan))
        announceSensorLimits(sensor)
        let responses = plan.map { plan in
            announceResponses(plan)
            return ResponseMonitor(ruleSet: ruleSet, attach: { policy, path in
                try sensor.attachConnectPolicy(policy, cgroupPath: path)
            }, log: { line in StandardStream.note(line) })
        }
        try responses?.attachExisting()
        let recorder = options.noRecord ? nil : try Recorder(configuration: recorderConfiguration(settings, agent: agent))
        let sink = RuleEvaluationSink(engine: engine, dispatcher: dispatcher, recorder: recorder.map(RecorderAlerting.init),
                                      responses: responses)
        try sensor.start(sink: sink)
        agent?.start(drops: { sensor.statistics().totalDropped })
        let active = ruleSet.activeRules.count
        let filterNote = readFilter.map { "reads filtered in the kernel to \($0.count) prefixes" } ?? "every read shipped"
        let shipping = options.agent.map { "; shipping to \($0.server.url)" } ?? ""
        StandardStream.note("watching with \(active) rules (\(ruleSet.warnings.count) warnings; \(filterNote))"
                            + "\(shipping); Ctrl-C stops, SIGUSR1 prints statistics")
        if options.verbose {
            for warning in ruleSet.warnings { StandardStream.note("warning: \(warning)") }
        }
        // The engine belongs to the sensor thread; SIGUSR1 reports the outputs' counters, which are thread-safe.
        await runUntilStopped(sensor: sensor, closed: { dispatcher.standardOutputClosed }) {
            dispatcher.summaryLines() + (agent?.summaryLines() ?? [])
        }
        sink.finish()
        dispatcher.close()
        let stats = engine.statistics
        StandardStream.note("rules: events=\(stats.events) matches=\(stats.matches) alerts=\(stats.alerts) "
                            + "folded=\(stats.folded)")
        for line in dispatcher.summaryLines() { StandardStream.note(line) }
        if let agent {
            await agent.stop()
            for line in agent.summaryLines() { StandardStream.note(line) }
        }
    }

    /// Says on stderr which responses are armed, so a log shows when enforcement started.
    private func announceResponses(_ plan: EnforcementPlan) {
        let mode = plan.dryRun ? "dry run: nothing is stopped, would-kill/would-deny are reported" : "enforcing"
        StandardStream.note("responses armed (\(mode)): " + plan.ruleNames.map { "'\($0)'" }.joined(separator: ", "))
    }

    /// The flight recorder's settings: the window covers `before` (and at least the 60 s default), incidents are
    /// announced on stderr with the command that shows them, and spooled for the server when an agent runs.
    private func recorderConfiguration(_ settings: WatchConfiguration, agent: AgentSession?) -> RecorderConfiguration {
        let before = settings.before ?? 30
        let directory = settings.recordDirectory ?? IncidentStore.defaultDirectory()
        var configuration = RecorderConfiguration(recordDirectory: directory, before: before,
                                                  after: settings.after ?? 30, window: max(60, before + 1),
                                                  maxRecordBytes: options.recordMaxBytes ?? 64 << 20)
        let custom = settings.recordDirectory.map { " --record-dir \($0)" } ?? ""
        configuration.onSaved = { summary in
            StandardStream.note("incident \(summary.id) saved (\(summary.alertCount) alerts, \(summary.eventCount) "
                                + "events); see it with: shrike incidents show \(summary.id)\(custom)")
            agent?.incidentSaved(id: summary.id, recordDirectory: directory)
        }
        configuration.onError = { error in
            StandardStream.note("recorder: \(error.input ?? "incidents"): \(error.message)")
        }
        return configuration
    }
}
