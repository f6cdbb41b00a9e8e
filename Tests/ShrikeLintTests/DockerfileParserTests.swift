import ShrikeCore
import Testing
@testable import ShrikeLint

/// Edge cases from the Dockerfile reference: continuations, the escape directive, heredocs, ONBUILD, exec form.
struct DockerfileParserTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        /// Per instruction: keyword, start line, script (or arguments).
        let expected: [(String, Int, String)]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "continuation joins lines as the builder does", text: "FROM a\nRUN echo a \\\n    b\n",
             expected: [("FROM", 1, "a"), ("RUN", 2, "echo a     b")]),
        Case(name: "comment and empty lines inside a continuation are dropped",
             text: "FROM a\nRUN one \\\n# note\n\n  two\nUSER x\n",
             expected: [("FROM", 1, "a"), ("RUN", 2, "one   two"), ("USER", 6, "x")]),
        Case(name: "trailing blanks after the escape still continue", text: "RUN a \\  \n b\n",
             expected: [("RUN", 1, "a  b")]),
        Case(name: "escape=` makes backslash literal", text: "# escape=`\nFROM w\nRUN dir c:\\ `\n  /b\n",
             expected: [("FROM", 2, "w"), ("RUN", 3, "dir c:\\   /b")]),
        Case(name: "directive after a comment is only a comment", text: "# hello\n# escape=`\nRUN a `\n",
             expected: [("RUN", 3, "a `")]),
        Case(name: "keywords are case-insensitive", text: "from a\nrun echo\n",
             expected: [("FROM", 1, "a"), ("RUN", 2, "echo")]),
        Case(name: "heredoc body is the script of RUN <<EOF",
             text: "FROM a\nRUN <<EOF\napt-get update\nsudo x\nEOF\nUSER u\n",
             expected: [("FROM", 1, "a"), ("RUN", 2, "apt-get update\nsudo x"), ("USER", 6, "u")]),
        Case(name: "<<- strips tabs from body and delimiter", text: "RUN <<-EOT\n\techo hi\n\tEOT\n",
             expected: [("RUN", 1, "echo hi")]),
        Case(name: "quoted delimiter", text: "RUN <<\"END\"\necho $HOME\nEND\n", expected: [("RUN", 1, "echo $HOME")]),
        Case(name: "two heredocs on one line", text: "RUN cat <<A <<B\n1\nA\n2\nB\nUSER x\n",
             expected: [("RUN", 1, "cat <<A <<B"), ("USER", 6, "x")]),
        Case(name: "<< inside quotes is no heredoc", text: "RUN echo '<<EOF'\nUSER x\n",
             expected: [("RUN", 1, "echo '<<EOF'"), ("USER", 2, "x")]),
        Case(name: "exec form with JSON escapes", text: "CMD [\"echo\", \"a \\\"b\\\"\", \"c\\\\d\"]\n",
             expected: [("CMD", 1, "echo a \"b\" c\\d")]),
        Case(name: "CRLF line ends", text: "FROM a\r\nRUN b \\\r\n c\r\n", expected: [("FROM", 1, "a"), ("RUN", 2, "b  c")]),
    ]

    @Test("parses", arguments: cases)
    func parses(_ testCase: Case) throws {
        let file = try Dockerfile(parsing: testCase.text)
        let got = file.instructions.map { ($0.keyword, $0.line, $0.keyword == "RUN" || $0.keyword == "CMD" ? $0.script : $0.arguments) }
        #expect(got.count == testCase.expected.count, "\(got)")
        for (a, b) in zip(got, testCase.expected) {
            #expect(a.0 == b.0 && a.1 == b.1 && a.2 == b.2, "\(a) != \(b)")
        }
    }

    @Test("the escape directive sets the escape character")
    func escapeDirective() throws {
        let file = try Dockerfile(parsing: "#  escape = `\n# syntax=docker/dockerfile:1\nFROM a\n")
        #expect(file.escape == "`")
        #expect(file.directives == ["escape": "`", "syntax": "docker/dockerfile:1"])
    }

    @Test("exec form and shell form")
    func forms() throws {
        let file = try Dockerfile(parsing: "CMD [\"a\", \"b\"]\nCMD a b\nCMD [\"a\", 'b']\nENTRYPOINT []\n")
        #expect(file.instructions.map(\.execForm) == [["a", "b"], nil, nil, []])
    }

    @Test("ONBUILD keeps its trigger with the ONBUILD line")
    func onbuild() throws {
        let file = try Dockerfile(parsing: "FROM a\nONBUILD RUN --mount=type=cache,target=/x echo hi\n")
        let trigger = try #require(file.instructions.last?.trigger)
        #expect(trigger.keyword == "RUN" && trigger.line == 2 && trigger.arguments == "echo hi")
        #expect(trigger.flags == [InstructionFlag(name: "mount", value: "type=cache,target=/x")])
    }

    @Test("FROM: registry, name, tag, digest, alias, platform", arguments: [
        ("FROM --platform=linux/arm64 ghcr.io/o/app:1.2@sha256:ab AS build", "ghcr.io", "o/app", "1.2", "sha256:ab", "build", "linux/arm64"),
        ("FROM localhost:5000/app", "localhost:5000", "app", nil, nil, nil, nil),
        ("FROM debian", nil, "debian", nil, nil, nil, nil),
        ("FROM library/debian:12 as base", nil, "library/debian", "12", nil, "base", nil),
    ] as [(String, String?, String, String?, String?, String?, String?)])
    func baseImage(_ row: (String, String?, String, String?, String?, String?, String?)) throws {
        let instruction = try #require(try Dockerfile(parsing: row.0).instructions.first)
        let image = BaseImage(instruction)
        #expect(image.registry == row.1 && image.name == row.2 && image.tag == row.3 && image.digest == row.4)
        #expect(image.alias == row.5 && image.platform == row.6)
    }

    @Test("ARG before FROM and comments keep their lines")
    func argBeforeFrom() throws {
        let file = try Dockerfile(parsing: "ARG V=1\n# c\nFROM a:${V}\n")
        #expect(file.instructions.map(\.keyword) == ["ARG", "FROM"])
        #expect(file.comments == [DockerfileComment(line: 2, text: "c")])
    }

    @Test("pragmas", arguments: [
        ("hadolint ignore=DL3006,DL3008", ["DL3006", "DL3008"], nil as [String]?),
        ("hadolint ignore = DL3006 , SHL1001 # why", ["DL3006", "SHL1001"], nil),
        ("hadolint global ignore=DL3059", nil, ["DL3059"]),
        ("hadolint ignore", nil, nil),
        ("not hadolint ignore=DL3006", nil, nil),
    ] as [(String, [String]?, [String]?)])
    func pragmas(_ row: (String, [String]?, [String]?)) {
        let comment = DockerfileComment(line: 1, text: row.0)
        #expect(comment.ignoredRules == row.1)
        #expect(comment.globallyIgnoredRules == row.2)
    }
}
