import Foundation
import SkyData
import SkyModel

/// Counts a dataset record's tokens as training reads them: ChatML-rendered through the model's tokenizer,
/// assistant tokens being those `Tokenizer.encodeChat` marks for the loss (replies and their `<|im_end|>`).
struct ChatTokenCounter: TokenCounter {
    let tokenizer: Tokenizer

    /// Loads tokenizer.json from `path`, which may be the file itself or a model directory holding it.
    init(path: String) throws {
        do { tokenizer = try Tokenizer(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ModelCLIError("\(path): cannot load tokenizer: \(error)")
        }
    }

    func count(_ record: DatasetRecord) -> SampleTokens {
        var messages = record.system.map { [ChatMessage.system($0)] } ?? []
        messages += record.messages.map { ChatMessage(role: $0.role.rawValue, content: $0.content) }
        let encoding = tokenizer.encodeChat(messages, template: .chatML)
        return SampleTokens(total: encoding.ids.count, assistant: encoding.assistantMask.lazy.filter { $0 }.count)
    }
}
