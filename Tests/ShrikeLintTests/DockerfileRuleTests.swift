import Testing
@testable import ShrikeLint

/// Each rule with a Dockerfile that fails it (on the given line) and one that passes.
struct DockerfileRuleTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let rule: String
        let failing: String
        let line: Int
        let passing: String
        var testDescription: String { rule }
        init(_ rule: String, _ failing: String, line: Int = 2, passing: String) {
            self.rule = rule
            self.failing = failing
            self.line = line
            self.passing = passing
        }
    }

    static let cases: [Case] = [
        Case("DL3000", "FROM a:1\nWORKDIR app\n", passing: "FROM a:1\nWORKDIR /app\nWORKDIR $HOME\nWORKDIR C:\\app\n"),
        Case("DL3001", "FROM a:1\nRUN service nginx start\n", passing: "FROM a:1\nRUN nginx -t\n"),
        Case("DL3002", "FROM a:1\nUSER root\n", passing: "FROM a:1\nUSER root\nUSER app\n"),
        Case("DL3003", "FROM a:1\nRUN cd /tmp && make\n", passing: "FROM a:1\nWORKDIR /tmp\nRUN make\n"),
        Case("DL3004", "FROM a:1\nRUN sudo make install\n", passing: "FROM a:1\nRUN make install\n"),
        Case("DL3004", "FROM a:1\nONBUILD RUN sudo x\n", passing: "FROM a:1\nONBUILD RUN x\n"),
        Case("DL3006", "FROM a:1 AS b\nFROM debian\n", passing: "FROM a:1 AS b\nFROM b\nFROM scratch\nFROM $IMAGE\nFROM d@sha256:00\n"),
        Case("DL3007", "FROM a:1\nFROM debian:latest\n", passing: "FROM debian:latest@sha256:00\n"),
        Case("DL3008", "FROM a:1\nRUN apt-get install -y curl\n",
             passing: "FROM a:1\nRUN apt-get install -y curl=7.1 ./local.deb -t bookworm-backports x/y\n"),
        Case("DL3009", "FROM a:1\nRUN apt-get update && apt-get install -y x=1\n",
             passing: "FROM a:1\nRUN apt-get update && apt-get install -y x=1 && rm -rf /var/lib/apt/lists/*\n"),
        Case("DL3009", "FROM a:1 AS base\nRUN apt-get update\nFROM base\n",
             passing: "FROM a:1 AS unused\nRUN apt-get update\nFROM b:1\n"),
        Case("DL3013", "FROM a:1\nRUN pip install flask\n",
             passing: "FROM a:1\nRUN pip install flask==3.0 -r req.txt\nRUN pip install ./pkg git+https://x/y@v1 z.whl\n"),
        Case("DL3014", "FROM a:1\nRUN apt-get install x=1\n", passing: "FROM a:1\nRUN apt-get -qq install x=1\n"),
        Case("DL3015", "FROM a:1\nRUN apt-get install -y x=1\n", passing: "FROM a:1\nRUN apt-get install -y --no-install-recommends x=1\n"),
        Case("DL3016", "FROM a:1\nRUN npm install express\n",
             passing: "FROM a:1\nRUN npm install\nRUN npm install express@4 @scope/pkg@1 ./dir x.tgz\n"),
        Case("DL3018", "FROM a:1\nRUN apk add --no-cache curl\n", passing: "FROM a:1\nRUN apk add --no-cache curl=8.0 --virtual .deps\n"),
        Case("DL3019", "FROM a:1\nRUN apk add curl=8\n",
             passing: "FROM a:1\nRUN apk add --no-cache curl=8\nRUN --mount=type=cache,target=/var/cache/apk apk add x=1\n"),
        Case("DL3020", "FROM a:1\nADD app.py /app/\n", passing: "FROM a:1\nADD rootfs.tar.gz /\nADD https://x/y /z\n"),
        Case("DL3021", "FROM a:1\nCOPY a b /dest\n", passing: "FROM a:1\nCOPY a b /dest/\nCOPY a /dest\n"),
        Case("DL3022", "FROM a:1\nCOPY --from=build /x /x\n",
             passing: "FROM a:1 AS build\nFROM b:1\nCOPY --from=build /x /x\nCOPY --from=0 /x /y\nCOPY --from=nginx:1 /x /z\n"),
        Case("DL3023", "FROM a:1 AS me\nCOPY --from=me /x /x\n", passing: "FROM a:1 AS other\nFROM a:1 AS me\nCOPY --from=other /x /x\n"),
        Case("DL3024", "FROM a:1 AS x\nFROM b:1 AS x\n", passing: "FROM a:1 AS x\nFROM b:1 AS y\n"),
        Case("DL3025", "FROM a:1\nCMD node app.js\n", passing: "FROM a:1\nCMD [\"node\", \"app.js\"]\nHEALTHCHECK CMD [\"true\"]\n"),
        Case("DL3027", "FROM a:1\nRUN apt install -y x\n", passing: "FROM a:1\nRUN apt-get install -y x=1\n"),
        Case("DL3028", "FROM a:1\nRUN gem install rails\n", passing: "FROM a:1\nRUN gem install rails:7.1 && gem install puma -v 6\n"),
        Case("DL3029", "FROM a:1\nFROM --platform=linux/amd64 b:1\n", passing: "FROM --platform=$BUILDPLATFORM b:1\n"),
        Case("DL3030", "FROM a:1\nRUN yum install httpd-2.4.1\n", passing: "FROM a:1\nRUN yum install -y httpd-2.4.1 && yum clean all\n"),
        Case("DL3032", "FROM a:1\nRUN yum install -y x-1.0\n", passing: "FROM a:1\nRUN yum install -y x-1.0 && yum clean all\n"),
        Case("DL3033", "FROM a:1\nRUN yum install -y nginx && yum clean all\n",
             passing: "FROM a:1\nARG V\nRUN yum install -y nginx-1.2.3 x-${V} y-1.rpm && yum clean all\n"),
        Case("DL3034", "FROM a:1\nRUN zypper install x=1 && zypper clean\n", passing: "FROM a:1\nRUN zypper -n install x=1 && zypper clean\n"),
        Case("DL3035", "FROM a:1\nRUN zypper dup -y\n", passing: "FROM a:1\nRUN zypper -n up\n"),
        Case("DL3036", "FROM a:1\nRUN zypper -n install x=1\n", passing: "FROM a:1\nRUN zypper -n install x=1 && zypper clean\n"),
        Case("DL3037", "FROM a:1\nRUN zypper -n install x && zypper clean\n", passing: "FROM a:1\nRUN zypper -n in 'x>=1' && zypper cc\n"),
        Case("DL3038", "FROM a:1\nRUN dnf install x-1.0 && dnf clean all\n", passing: "FROM a:1\nRUN dnf install -y x-1.0 && dnf clean all\n"),
        Case("DL3040", "FROM a:1\nRUN dnf install -y x-1.0\n", passing: "FROM a:1\nRUN microdnf install -y x-1.0 && microdnf clean all\n"),
        Case("DL3041", "FROM a:1\nRUN dnf install -y x && dnf clean all\n", passing: "FROM a:1\nRUN dnf install -y x-1.0 && dnf clean all\n"),
        Case("DL3042", "FROM a:1\nRUN pip install x==1\n",
             passing: "FROM a:1\nRUN pip install --no-cache-dir x==1\nENV PIP_NO_CACHE_DIR=1\nRUN pip install y==1\n"),
        Case("DL3043", "FROM a:1\nONBUILD FROM b\n", passing: "FROM a:1\nONBUILD RUN make\n"),
        Case("DL3044", "FROM a:1\nENV A=1 B=$A\n", passing: "FROM a:1\nENV A=1\nENV B=$A C=$AB\n"),
        Case("DL3045", "FROM a:1\nCOPY x rel/\n", passing: "FROM a:1 AS b\nWORKDIR /w\nFROM b\nCOPY x rel/\nFROM c:1\nCOPY x /abs/\n"),
        Case("DL3046", "FROM a:1\nRUN useradd -u 1000000 x\n", passing: "FROM a:1\nRUN useradd -l -u 1000000 x && useradd -u 1000 y\n"),
        Case("DL3047", "FROM a:1\nRUN wget https://x\n", passing: "FROM a:1\nRUN wget -q https://x && wget -nv y && wget --progress=dot:giga z\n"),
        Case("DL3048", "FROM a:1\nLABEL Foo=bar\n", passing: "FROM a:1\nLABEL org.opencontainers.image.title=x maintainer=y\n"),
        Case("DL3059", "FROM a:1\nRUN a\nRUN b\n", line: 3, passing: "FROM a:1\nRUN a\nUSER x\nRUN b\nRUN c && d\nRUN e\n"),
        Case("DL3060", "FROM a:1\nRUN yarn install\n", passing: "FROM a:1\nRUN yarn install && yarn cache clean\n"),
        Case("DL3061", "USER x\nFROM a:1\n", line: 1, passing: "ARG V=1\nFROM a:${V}\n"),
        Case("DL4000", "FROM a:1\nMAINTAINER me\n", passing: "FROM a:1\nLABEL maintainer=me\n"),
        Case("DL4001", "FROM a:1\nRUN curl x\nRUN wget -q y\n", line: 3, passing: "FROM a:1\nRUN curl x\nFROM b:1\nRUN wget -q y\n"),
        Case("DL4003", "FROM a:1\nCMD [\"a\"]\nCMD [\"b\"]\n", line: 3, passing: "FROM a:1\nCMD [\"a\"]\nFROM b:1\nCMD [\"b\"]\n"),
        Case("DL4004", "FROM a:1\nENTRYPOINT [\"a\"]\nENTRYPOINT [\"b\"]\n", line: 3, passing: "FROM a:1\nENTRYPOINT [\"a\"]\n"),
        Case("DL4005", "FROM a:1\nRUN ln -sf /bin/bash /bin/sh\n", passing: "FROM a:1\nSHELL [\"/bin/bash\", \"-c\"]\n"),
        Case("DL4006", "FROM a:1\nRUN curl x | sh\n",
             passing: "FROM a:1\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl x | sh\nRUN a || b\n"),
        Case("SHL1001", "FROM a:1\nENV DB_PASSWORD=hunter2\n", passing: "FROM a:1\nENV DB_HOST=db\nARG VERSION=1\n"),
        Case("SHL1001", "FROM a:1\nENV X=AKIAABCDEFGHIJKLMNOP\n", passing: "FROM a:1\nENV X=AKIA\n"),
        Case("SHL1002", "FROM a:1\nADD https://x/y.tgz /z\n", passing: "FROM a:1\nADD --checksum=sha256:00 https://x/y.tgz /z\n"),
        Case("SHL1003", "FROM a:1\nUSER 1000\nFROM b:1\nUSER 0:0\n", line: 4, passing: "FROM a:1\nFROM b:1\nUSER 1000\n"),
        Case("SHL1003", "FROM a:1\nUSER 1000\nFROM b:1\n", line: 3, passing: "FROM b:1\nUSER app\n"),
        Case("SHL1004", "FROM a:1 AS x\nFROM debian\n", passing: "FROM a:1 AS x\nFROM x\nFROM scratch\nFROM d@sha256:00\n"),
    ]

    @Test("fails on the bad Dockerfile", arguments: cases)
    func fails(_ testCase: Case) throws {
        #expect(try LintFixtures.lines(of: testCase.rule, in: testCase.failing).contains(testCase.line))
    }

    @Test("passes on the good Dockerfile", arguments: cases)
    func passes(_ testCase: Case) throws {
        #expect(try LintFixtures.lines(of: testCase.rule, in: testCase.passing) == [])
    }

    @Test("DL3026 only with trusted registries")
    func trustedRegistries() throws {
        let text = "FROM a:1 AS base\nFROM quay.io/x/y:1\nFROM base\nFROM ghcr.io/o/t:1\nCOPY --from=gcr.io/z:1 /a /b\n"
        #expect(try LintFixtures.lines(of: "DL3026", in: text) == [])
        let configuration = LintConfiguration(trustedRegistries: ["docker.io", "*.ghcr.io", "ghcr.*"])
        #expect(try LintFixtures.lines(of: "DL3026", in: text, configuration: configuration) == [2, 5])
    }

    @Test("every rule id is unique and has a message")
    func catalogue() {
        let ids = DockerfileRule.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(DockerfileRule.all.allSatisfy { !$0.message.isEmpty })
        #expect(ids.count == 55)
    }
}
