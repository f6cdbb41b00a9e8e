import Testing
import ShrikeCatalog
import ShrikeTestSupport

/// .NET deps.json: libraries of type package are NuGet packages; the project itself is not.
@Suite struct DotnetDepsCatalogerTests {
    static let deps = """
    {
      "runtimeTarget": {"name": ".NETCoreApp,Version=v6.0", "signature": ""},
      "compilationOptions": {},
      "targets": {
        ".NETCoreApp,Version=v6.0": {
          "MyApp/1.0.0": {"dependencies": {"Newtonsoft.Json": "13.0.1"}, "runtime": {"MyApp.dll": {}}},
          "Newtonsoft.Json/13.0.1": {"runtime": {"lib/netstandard2.0/Newtonsoft.Json.dll": {}}}
        }
      },
      "libraries": {
        "MyApp/1.0.0": {"type": "project", "serviceable": false, "sha512": ""},
        "Newtonsoft.Json/13.0.1": {"type": "package", "serviceable": true, "sha512": "sha512-ppPFpBcvxdsfUonNcvITKqLl3bqxWbDCZIzDWHzjpdAHRFfZe0Dw9HmA0+za13IdyrgJwpkDTDA9fHaxOrt20A==",
                                   "path": "newtonsoft.json/13.0.1", "hashPath": "newtonsoft.json.13.0.1.nupkg.sha512"},
        "System.Text.Encodings.Web/4.7.1": {"type": "package", "serviceable": true, "sha512": "sha512-x"},
        "Microsoft.NETCore.App.Ref/6.0.0": {"type": "referenceassembly"}
      }
    }
    """

    @Test("package libraries only")
    func deps() throws {
        let packages = try LanguageTestSupport.catalogBothWays(DotnetDepsCataloger(), files: ["/app/MyApp.deps.json": Self.deps])
        #expect(LanguageTestSupport.summary(packages) == [
            "Newtonsoft.Json 13.0.1 pkg:nuget/Newtonsoft.Json@13.0.1",
            "System.Text.Encodings.Web 4.7.1 pkg:nuget/System.Text.Encodings.Web@4.7.1",
        ])
        #expect(packages.allSatisfy { $0.type == .dotnet })
    }
}
