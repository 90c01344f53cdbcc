import Foundation
import SkyModel
import Testing

/// Compares ChatML rendering and the assistant mask with transformers' apply_chat_template (Fixtures/chat.json).
@Suite struct ChatTemplateTests {
    struct Conversation: Sendable, CustomStringConvertible {
        let messages: [ChatMessage]
        let text: String
        let ids: [Int32]
        let assistantMask: [Bool]
        let promptWithGeneration: String
        let promptIds: [Int32]
        var description: String { text.debugDescription }
    }

    static let conversations: [Conversation] = {
        let root = (try? FixtureFiles.json("chat.json")) as? [String: Any]
        return (root?["conversations"] as? [[String: Any]] ?? []).map { c in
            Conversation(
                messages: (c["messages"] as? [[String: String]] ?? []).map { ChatMessage(role: $0["role"] ?? "", content: $0["content"] ?? "") },
                text: c["text"] as? String ?? "", ids: (c["ids"] as? [Int] ?? []).map(Int32.init),
                assistantMask: (c["assistantMask"] as? [Int] ?? []).map { $0 == 1 },
                promptWithGeneration: c["promptWithGeneration"] as? String ?? "", promptIds: (c["promptIds"] as? [Int] ?? []).map(Int32.init))
        }
    }()

    let tokenizer: Tokenizer

    init() throws {
        tokenizer = try Tokenizer(contentsOf: FixtureFiles.url("tokenizer-qwen"))
    }

    @Test func fixtureHoldsConversations() {
        #expect(Self.conversations.count == 2)
    }

    @Test(arguments: conversations)
    func renderMatchesTransformersTemplate(_ c: Conversation) {
        #expect(ChatTemplate.chatML.render(c.messages).text == c.text)
        #expect(ChatTemplate.chatML.render(Array(c.messages.dropLast()), addGenerationPrompt: true).text == c.promptWithGeneration)
    }

    @Test(arguments: conversations)
    func chatIdsAndAssistantMaskMatchTransformers(_ c: Conversation) {
        let encoding = tokenizer.encodeChat(c.messages)
        #expect(encoding.ids == c.ids)
        #expect(encoding.assistantMask == c.assistantMask)
    }

    @Test(arguments: conversations)
    func generationPromptEndsWithAnUnmaskedAssistantHeader(_ c: Conversation) throws {
        let encoding = tokenizer.encodeChat(Array(c.messages.dropLast()), addGenerationPrompt: true)
        #expect(encoding.ids == c.promptIds)
        let imStart = try #require(tokenizer.id(of: "<|im_start|>"))
        let header = try #require(encoding.ids.lastIndex(of: imStart))
        #expect(!encoding.assistantMask[header...].contains(true))
        // Earlier replies keep the mask they have in the full conversation.
        #expect(Array(encoding.assistantMask[..<header]) == Array(c.assistantMask[..<header]))
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
