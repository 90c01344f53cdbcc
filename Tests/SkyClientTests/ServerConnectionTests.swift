import Foundation
import SkyClient
import Testing

@Suite struct ServerConnectionTests {
    /// A config file with `server:` and `token:` in a fresh directory.
    func configFile(server: String = "http://file:1", token: String = "sky_file") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sky-client-\(UUID().uuidString)/config.yaml")
        try ClientConfigFile(server: server, token: token).save(to: url)
        return url
    }

    @Test func flagsBeatTheEnvironmentWhichBeatsTheConfigFile() throws {
        let file = try configFile()
        let environment = ["SKY_SERVER": "http://env:2", "SKY_TOKEN": "sky_env"]
        let flags = try ServerConnection.resolve(server: "http://flag:3", token: "sky_flag", environment: environment, configFile: file)
        #expect(flags.server == "http://flag:3" && flags.token == "sky_flag" && flags.tokenSource == .explicit)
        let env = try ServerConnection.resolve(environment: environment, configFile: file)
        #expect(env.server == "http://env:2" && env.token == "sky_env" && env.tokenSource == .environment("SKY_TOKEN"))
        let fromFile = try ServerConnection.resolve(environment: [:], configFile: file)
        #expect(fromFile.server == "http://file:1" && fromFile.token == "sky_file" && fromFile.tokenSource == .configFile(file.path))
    }

    @Test func theConfigFileComesFromSkyConfigAndFillsOnlyWhatIsMissing() throws {
        let file = try configFile()
        let mixed = try ServerConnection.resolve(environment: ["SKY_CONFIG": file.path, "SKY_TOKEN": "sky_env"])
        #expect(mixed.server == "http://file:1" && mixed.serverSource == .configFile(file.path))
        #expect(mixed.token == "sky_env")
    }

    @Test func withNothingSetTheDefaultServerIsUsedAndTheTokenIsMissing() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("sky-client-\(UUID().uuidString)/none.yaml")
        let connection = try ServerConnection.resolve(environment: [:], configFile: missing)
        #expect(connection.server == ServerConnection.defaultServer && connection.token == nil)
        #expect(connection.tokenSource == .unset(configFile: missing.path))
    }

    @Test func serversWithoutSchemeOrWithTrailingSlashesAreNormalised() {
        #expect(ServerConnection(server: "localhost:9000/", token: nil).server == "http://localhost:9000")
        #expect(ServerConnection(server: "https://sky.example//", token: nil).server == "https://sky.example")
    }
}
