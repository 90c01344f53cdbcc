import SkyCore
import SkyModel

extension ChatTemplate {
    /// The template a spec names.
    static func named(_ name: ChatTemplateName) -> ChatTemplate {
        switch name {
        case .chatml: .chatML
        case .qwen25: .qwen25
        case .skyT1: .skyT1
        }
    }
}
