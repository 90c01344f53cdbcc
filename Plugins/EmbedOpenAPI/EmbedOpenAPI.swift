import Foundation
import PackagePlugin

/// Compiles `api/openapi.yaml` into SkyServer, so `/openapi.yaml` serves the very contract the tests check.
@main
struct EmbedOpenAPI: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let contract = context.package.directoryURL.appending(path: "api/openapi.yaml")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedOpenAPI.swift")
        return [
            .buildCommand(
                displayName: "Embedding api/openapi.yaml",
                executable: try context.tool(named: "sky-embed-migrations").url,
                arguments: ["--text", "EmbeddedOpenAPI", output.path, contract.path],
                inputFiles: [contract],
                outputFiles: [output]
            )
        ]
    }
}
