import SkyModel

extension ChatTemplate {
    /// The template a spec names (`chatml`, `qwen2.5`, `sky-t1`; validation has already refused others).
    static func named(_ name: String) -> ChatTemplate {
        switch name {
        case "qwen2.5": .qwen25
        case "sky-t1": .skyT1
        default: .chatML
        }
    }
}
