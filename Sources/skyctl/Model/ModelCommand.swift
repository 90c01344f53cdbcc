import ArgumentParser

/// `skyctl model …`: make, inspect and run models locally, with no server and no downloads.
struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Create, inspect and run local Hugging Face-format models.",
        subcommands: [ModelInitCommand.self, ModelTrainTokenizerCommand.self, ModelInfoCommand.self, ModelGenerateCommand.self,
                      ModelMergeCommand.self]
    )
}
