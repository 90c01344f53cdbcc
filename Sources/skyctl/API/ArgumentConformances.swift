public import ArgumentParser
public import SkyCore

// SkyCore stays free of ArgumentParser, so the CLI adds the conformances itself.
extension JobKind: ExpressibleByArgument {}
extension ArtifactKind: ExpressibleByArgument {}
