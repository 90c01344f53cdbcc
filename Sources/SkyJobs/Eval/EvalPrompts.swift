import SkyCore
import SkyEval
import SkyWorker

/// The prompt template an eval spec names.
enum EvalPrompts {
    /// The user turn of `boxed`: Sky-T1's instruction without its system prompt, as `skyctl data synth
    /// --no-system-prompt` trains it.
    static let boxedUser = "Return your final response within \\boxed{}. {problem}"

    /// The SkyEval template for `prompt`.
    static func template(_ prompt: EvalSpec.Prompt) throws -> PromptTemplate {
        let template: PromptTemplate
        switch prompt.template {
        case .skyT1: template = .skyT1
        case .plain: template = .plain
        case .boxed: template = .custom(system: nil, user: boxedUser)
        case .custom: template = .custom(system: prompt.system, user: prompt.user ?? "{problem}")
        }
        do {
            try template.validate()
        } catch {
            throw PermanentJobError("prompt: \(error)")
        }
        return template
    }
}
