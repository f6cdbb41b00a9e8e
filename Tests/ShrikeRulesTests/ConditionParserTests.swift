import Testing
@testable import ShrikeRules

@Suite("Condition parser")
struct ConditionParserTests {
    @Test(arguments: [
        ("proc.name = bash", ComparisonOperator.equal), ("proc.name == bash", .equal), ("proc.name != bash", .notEqual),
        ("proc.pid < 5", .less), ("proc.pid <= 5", .lessOrEqual), ("proc.pid > 5", .greater),
        ("proc.pid >= 5", .greaterOrEqual), ("fd.name contains /etc", .contains),
        ("fd.name icontains /ETC", .icontains), ("fd.name bcontains 2f6574", .bcontains),
        ("fd.name startswith /etc", .startswith), ("fd.name bstartswith 2f", .bstartswith),
        ("fd.name endswith .conf", .endswith), ("fd.name glob '/etc/*'", .glob), ("fd.name iglob '/ETC/*'", .iglob),
        ("fd.name regex '/etc/.*'", .regex), ("proc.name in (a, b)", .in), ("proc.aname intersects (a, b)", .intersects),
        ("fd.name pmatch (/etc, /usr)", .pmatch),
    ])
    func operators(text: String, op: ComparisonOperator) throws {
        guard case .comparison(let comparison) = try ConditionParser.parse(text) else {
            Issue.record("not a comparison: \(text)")
            return
        }
        #expect(comparison.op == op)
    }

    @Test func existsIsUnary() throws {
        #expect(try ConditionParser.parse("proc.env[HOME] exists")
                == .exists(FieldExpression(name: "proc.env", argument: "HOME", position: 0)))
    }

    @Test func notBindsTighterThanAndWhichBindsTighterThanOr() throws {
        // a or b and not c  ==  a or (b and (not c))
        let node = try ConditionParser.parse("a or b and not c")
        #expect(node == .or([.identifier("a", position: 0),
                             .and([.identifier("b", position: 5), .not(.identifier("c", position: 15))])]))
    }

    @Test func parenthesesOverridePrecedence() throws {
        let node = try ConditionParser.parse("(a or b) and not(c)")
        #expect(node == .and([.or([.identifier("a", position: 1), .identifier("b", position: 6)]),
                              .not(.identifier("c", position: 17))]))
    }

    @Test func doubleNegationCancels() throws {
        #expect(try ConditionParser.parse("not not a") == .identifier("a", position: 8))
    }

    @Test(arguments: [("tolower(proc.name) = bash", [FieldTransformer.tolower]),
                      ("toupper(proc.name) = BASH", [.toupper]), ("b64(proc.name) = x", [.b64]),
                      ("basename(proc.exepath) = bash", [.basename]), ("len(proc.name) > 3", [.len]),
                      ("tolower(basename(fd.name)) = x", [.tolower, .basename])])
    func transformers(text: String, expected: [FieldTransformer]) throws {
        guard case .comparison(let comparison) = try ConditionParser.parse(text) else {
            Issue.record("not a comparison")
            return
        }
        #expect(comparison.field.transformers == expected)
    }

    @Test func fieldArguments() throws {
        guard case .comparison(let a) = try ConditionParser.parse("proc.aname[2] = sshd"),
              case .comparison(let b) = try ConditionParser.parse("proc.env['MY VAR'] = 1"),
              case .comparison(let c) = try ConditionParser.parse("evt.arg.flags contains O_TRUNC") else {
            Issue.record("not comparisons")
            return
        }
        #expect(a.field.name == "proc.aname" && a.field.argument == "2")
        #expect(b.field.argument == "MY VAR")
        #expect(c.field.name == "evt.arg.flags" && c.field.argument == nil)
    }

    @Test func valOnTheRightHandSide() throws {
        guard case .comparison(let comparison) = try ConditionParser.parse("proc.pid != val(proc.ppid)") else {
            Issue.record("not a comparison")
            return
        }
        guard case .field(let other) = comparison.value else {
            Issue.record("not a field value")
            return
        }
        #expect(other.name == "proc.ppid")
    }

    @Test(arguments: [("fd.name startswith oneof (/etc, /usr)", ListModifier.oneof),
                      ("fd.name startswith anyof (/etc, /usr)", .anyof),
                      ("fd.name endswith allof (x, y)", .allof)])
    func listModifiers(text: String, modifier: ListModifier) throws {
        guard case .comparison(let comparison) = try ConditionParser.parse(text) else {
            Issue.record("not a comparison")
            return
        }
        #expect(comparison.modifier == modifier)
        guard case .list(let items) = comparison.value else {
            Issue.record("not a list")
            return
        }
        #expect(items.count == 2)
    }

    @Test func quotedStringsAndEscapes() throws {
        guard case .comparison(let a) = try ConditionParser.parse(#"proc.cmdline = "say \"hi\" now""#),
              case .comparison(let b) = try ConditionParser.parse("proc.cmdline = 'a b'") else {
            Issue.record("not comparisons")
            return
        }
        #expect(a.value == .literal(#"say "hi" now"#))
        #expect(b.value == .literal("a b"))
    }

    @Test func listNameAfterListOperator() throws {
        guard case .comparison(let comparison) = try ConditionParser.parse("proc.name in shell_binaries") else {
            Issue.record("not a comparison")
            return
        }
        #expect(comparison.value == .listName("shell_binaries"))
    }

    @Test(arguments: ["proc.name =", "proc.name bogus x", "(a or b", "a and", "proc.pid > abc", "a andb", ""])
    func syntaxErrors(text: String) {
        #expect(throws: ConditionSyntaxError.self) { try ConditionParser.parse(text) }
    }
}
