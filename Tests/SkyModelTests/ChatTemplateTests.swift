import Foundation
import SkyModel
import Testing

/// Compares ChatML rendering and the assistant mask with transformers' apply_chat_template (Fixtures/chat.json).
@Suite struct ChatTemplateTests {
    let reference: [String: Any]
    let tokenizer: Tokenizer
    let messages: [ChatMessage]

    init() throws {
        reference = try FixtureFiles.json("chat.json") as? [String: Any] ?? [:]
        tokenizer = try Tokenizer(contentsOf: FixtureFiles.url("tokenizer-qwen"))
        messages = (reference["messages"] as? [[String: String]] ?? []).map { ChatMessage(role: $0["role"] ?? "", content: $0["content"] ?? "") }
    }

    @Test func renderMatchesTransformersTemplate() {
        #expect(!messages.isEmpty)
        #expect(ChatTemplate.chatML.render(messages).text == reference["text"] as? String)
        #expect(ChatTemplate.chatML.render(Array(messages.prefix(2)), addGenerationPrompt: true).text == reference["promptWithGeneration"] as? String)
    }

    @Test func chatIdsAndAssistantMaskMatchTransformers() {
        let encoding = tokenizer.encodeChat(messages)
        #expect(encoding.ids == (reference["ids"] as? [Int] ?? []).map(Int32.init))
        #expect(encoding.assistantMask == (reference["assistantMask"] as? [Int] ?? []).map { $0 == 1 })
    }

    @Test func generationPromptEndsWithAssistantHeaderAndMasksNothing() {
        let encoding = tokenizer.encodeChat(Array(messages.prefix(2)), addGenerationPrompt: true)
        #expect(encoding.ids == (reference["promptIds"] as? [Int] ?? []).map(Int32.init))
        #expect(!encoding.assistantMask.contains(true))
    }

    @Test func maskKeepsClosingImEndAndDropsHeaderAndTrailingNewline() throws {
        let encoding = tokenizer.encodeChat([.user("hi"), .assistant("ok")])
        let imEnd = try #require(tokenizer.id(of: "<|im_end|>"))
        let kept = zip(encoding.ids, encoding.assistantMask).filter(\.1).map(\.0)
        #expect(tokenizer.decode(kept) == "ok<|im_end|>")
        #expect(kept.last == imEnd)
        #expect(encoding.assistantMask.last == false)
    }

    @Test func skyT1TemplateAddsItsSystemPromptOnlyWhenNoneIsGiven() {
        let withDefault = ChatTemplate.skyT1.render([.user("1+1?")]).text
        #expect(withDefault.hasPrefix("<|im_start|>system\nYour role as an assistant"))
        #expect(withDefault.contains("<|begin_of_thought|> {thought with steps separated with '\\n\\n'} <|end_of_thought|>"))
        #expect(ChatTemplate.skyT1.render([.system("S"), .user("1+1?")]).text.hasPrefix("<|im_start|>system\nS<|im_end|>"))
    }
}
