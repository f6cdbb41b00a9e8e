import ShrikeSensor
import Testing
@testable import ShrikeRules

/// Every operator evaluated on a constructed openat of /usr/bin/x by touch (pid 300) under bash and sshd.
@Suite("Operators")
struct OperatorEvaluationTests {
    let event = TestEvents.open("/usr/bin/x")

    @Test(arguments: [
        ("fd.name = /usr/bin/x", true), ("fd.name == /usr/bin/x", true), ("fd.name = /usr/bin/y", false),
        ("fd.name != /usr/bin/y", true), ("fd.name != /usr/bin/x", false),
        ("proc.pid < 301", true), ("proc.pid < 300", false), ("proc.pid <= 300", true), ("proc.pid > 299", true),
        ("proc.pid > 300", false), ("proc.pid >= 300", true), ("proc.pid = 300", true), ("proc.pid = 0x12c", true),
        ("fd.name contains bin/", true), ("fd.name contains sbin", false),
        ("fd.name icontains BIN/X", true), ("fd.name icontains SBIN", false),
        ("fd.name bcontains 62696e", true), ("fd.name bcontains 7a7a", false),
        ("fd.name startswith /usr/", true), ("fd.name startswith /bin", false),
        ("fd.name bstartswith 2f757372", true), ("fd.name bstartswith 2f62", false),
        ("fd.name endswith /x", true), ("fd.name endswith /y", false),
        ("fd.name glob '/usr/*'", true), ("fd.name glob '/bin/*'", false), ("fd.name glob '/usr/bin/?'", true),
        ("fd.name iglob '/USR/*'", true), ("fd.name glob '/USR/*'", false),
        ("fd.name regex '/usr/bin/[a-z]'", true), ("fd.name regex 'bin'", false),
        (#"fd.name regex '/usr/\w+/x'"#, true), ("fd.name regex '(?:/usr|/opt)/bin/x'", true),
        ("proc.name in (bash, touch)", true), ("proc.name in (bash, sh)", false), ("proc.pid in (1, 300)", true),
        ("proc.aname intersects (sshd, nginx)", true), ("proc.aname intersects (nginx)", false),
        ("fd.name pmatch (/usr/bin, /etc)", true), ("fd.name pmatch (/usr/bi, /etc)", false),
        ("fd.name pmatch (/usr/bin/x)", true),
        ("proc.env[SHRIKE_TEST_NOT_SET] exists", false), ("fd.name exists", true), ("fd.sip exists", false),
        ("evt.is_open_write = true", true), ("evt.is_open_read = true", false), ("evt.is_open_create = true", true),
    ])
    func evaluate(condition: String, expected: Bool) throws {
        #expect(try TestEvents.matches(condition, event) == expected, "\(condition)")
    }

    @Test(arguments: [
        ("a or b and not c", ["a": true, "b": false, "c": true], true),
        ("a or b and not c", ["a": false, "b": true, "c": true], false),
        ("a or b and not c", ["a": false, "b": true, "c": false], true),
        ("(a or b) and not c", ["a": true, "b": false, "c": true], false),
        ("not a and b", ["a": false, "b": true], true),
        ("not (a and b)", ["a": true, "b": false], true),
    ])
    func precedence(condition: String, values: [String: Bool], expected: Bool) throws {
        let macros = values.map { "- macro: \($0.key)\n  condition: evt.num \($0.value ? ">=" : "=") 0\n" }.joined()
        // evt.num starts at 1, so `evt.num >= 0` is true and `evt.num = 0` false.
        #expect(try TestEvents.matches(condition, event, yaml: macros) == expected)
    }

    @Test(arguments: [
        ("tolower(proc.name) = touch", true), ("toupper(proc.name) = TOUCH", true),
        ("basename(fd.name) = x", true), ("len(fd.name) = 10", true), ("len(proc.name) > 5", false),
        ("b64(proc.cwd) = x", false), ("tolower(basename(proc.exepath)) = touch", true),
        ("len(proc.aname) = 3", true),
    ])
    func transformers(condition: String, expected: Bool) throws {
        #expect(try TestEvents.matches(condition, event) == expected, "\(condition)")
    }

    @Test func base64Transformer() throws {
        let event = TestEvents.open("/tmp/x", process: TestEvents.process(args: ["sh", "aGVsbG8="]))
        #expect(try TestEvents.matches("b64(proc.args) = hello", event))
    }

    @Test(arguments: [
        ("fd.name startswith oneof (/etc, /usr)", true), ("fd.name startswith anyof (/etc, /opt)", false),
        ("fd.name contains allof (usr, bin)", true), ("fd.name contains allof (usr, etc)", false),
    ])
    func listModifiers(condition: String, expected: Bool) throws {
        #expect(try TestEvents.matches(condition, event) == expected, "\(condition)")
    }

    @Test(arguments: [
        ("proc.pid != val(proc.ppid)", true), ("proc.pid = val(proc.ppid)", false),
        ("proc.pid > val(proc.ppid)", true), ("proc.name = val(proc.pname)", false),
        ("proc.pname = val(proc.aname[1])", true), ("fd.name startswith val(proc.cwd)", false),
    ])
    func valCompares(condition: String, expected: Bool) throws {
        #expect(try TestEvents.matches(condition, event) == expected, "\(condition)")
    }

    @Test func listsInsideListsAndInsideIn() throws {
        let yaml = """
            - list: shells
              items: [bash, sh]
            - list: editors
              items: [vi, '"touch"']
            - list: everything
              items: [shells, editors]
            """
        #expect(try TestEvents.matches("proc.name in (everything)", event, yaml: yaml))
        #expect(try TestEvents.matches("proc.name in everything", event, yaml: yaml))
        #expect(try TestEvents.matches("proc.name in (shells, zsh)", event, yaml: yaml) == false)
        #expect(try TestEvents.matches("proc.pname in (shells)", event, yaml: yaml))
    }

    @Test func unavailableFieldsMakeComparisonsFalse() throws {
        #expect(try TestEvents.matches("k8s.pod.uid = 1", event) == false)
        #expect(try TestEvents.matches("k8s.pod.uid != 1", event) == false)
        #expect(try TestEvents.matches("not k8s.pod.uid = 1", event))
        #expect(try TestEvents.matches("k8s.ns.name exists", event) == false)
        #expect(try TestEvents.compile("k8s.pod.uid = 1 or k8s.pod.name = x").unavailableFields
                == ["k8s.pod.name", "k8s.pod.uid"])
    }

    @Test func networkFieldsCompareAsAddressesAndNetworks() throws {
        let event = TestEvents.connect("10.1.2.3", port: 443)
        #expect(try TestEvents.matches("fd.sip = 10.1.2.3", event))
        #expect(try TestEvents.matches("fd.sip = '10.1.2.4'", event) == false)
        #expect(try TestEvents.matches("fd.snet = 10.0.0.0/8", event))
        #expect(try TestEvents.matches("fd.snet in (\"192.168.0.0/16\", \"10.0.0.0/8\")", event))
        #expect(try TestEvents.matches("fd.net != \"127.0.0.0/8\"", event))
        #expect(try TestEvents.matches("fd.ip != \"0.0.0.0\"", event))
        #expect(try TestEvents.matches("fd.sport = 443 and fd.port in (80, 443)", event))
        #expect(try TestEvents.matches("fd.cip exists", event) == false)
        let v6 = TestEvents.connect("2001:db8::1", port: 80, family: .inet6)
        #expect(try TestEvents.matches("fd.snet = '2001:db8::/32' and fd.typechar = 6", v6))
    }
}
