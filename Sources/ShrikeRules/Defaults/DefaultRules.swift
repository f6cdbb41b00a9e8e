/// The rules `shrike watch` and `shrike rules list` use when no `--rules` file is given.
///
/// A placeholder of two rules in Falco's syntax (macros adapted from falcosecurity/rules, rules/falco_rules.yaml);
/// the full default ruleset replaces it.
public enum DefaultRules {
    /// The name messages use for the embedded file.
    public static let sourceName = "<default rules>"

    public static let yaml: String = """
        - required_engine_version: 0.31.0

        - macro: open_write
          condition: (evt.type in (open,openat,openat2) and evt.is_open_write=true and fd.typechar='f' and fd.num>=0)

        - macro: bin_dir
          condition: (fd.directory in (/bin, /sbin, /usr/bin, /usr/sbin))

        - list: package_mgmt_binaries
          items: [dpkg, apt, apt-get, rpm, dnf, yum, apk, pip, pip3]

        - macro: package_mgmt_procs
          condition: proc.name in (package_mgmt_binaries)

        - macro: container
          condition: (container.id != host)

        - rule: Write below binary dir
          desc: An attempt to write to any file below a set of binary directories.
          condition: >
            bin_dir and evt.dir = < and open_write
            and not package_mgmt_procs
          output: >
            File below a known binary directory opened for writing (file=%fd.name pcmdline=%proc.pcmdline
            gparent=%proc.aname[2] evt_type=%evt.type user=%user.name user_uid=%user.uid process=%proc.name
            proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty %container.info)
          priority: ERROR
          tags: [host, container, filesystem, mitre_persistence, T1543]

        - rule: Outbound connection from a container
          desc: A process in a container connected to an address outside loopback.
          condition: >
            evt.type = connect and evt.dir = < and container
            and (fd.typechar = 4 or fd.typechar = 6)
            and not fd.snet in ("127.0.0.0/8", "::1/128")
            and (evt.rawres >= 0 or evt.res = EINPROGRESS)
          output: >
            Outbound connection from a container (connection=%fd.name sip=%fd.sip sport=%fd.sport
            process=%proc.name command=%proc.cmdline user=%user.name %container.info
            image=%container.image.repository)
          priority: NOTICE
          tags: [container, network, mitre_command_and_control]
        """
}

extension CompiledRuleSet {
    /// What `shrike watch` runs: the given rule files in order, or the default rules when there are none.
    public static func forWatch(paths: [String]) throws -> CompiledRuleSet {
        if paths.isEmpty {
            return try load(sources: [RuleSource(name: DefaultRules.sourceName, text: DefaultRules.yaml)])
        }
        return try load(paths: paths)
    }
}
