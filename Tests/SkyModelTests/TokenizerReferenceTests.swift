import Foundation
import SkyModel
import Testing

/// Compares the tokenizer with Hugging Face `tokenizers` on the texts in Fixtures/tokens.json.
@Suite struct TokenizerReferenceTests {
    struct Case: Sendable, CustomStringConvertible {
        let tokenizer: String
        let text: String
        let ids: [Int32]
        let idsWithSpecial: [Int32]
        let decoded: String
        let decodedSkippingSpecial: String
        var description: String { "\(tokenizer): \(text.debugDescription)" }
    }

    static let cases: [Case] = {
        guard let root = try? FixtureFiles.json("tokens.json") as? [String: [[String: Any]]] else { return [] }
        return root.keys.sorted().flatMap { name in
            root[name, default: []].map { c in
                Case(tokenizer: name, text: c["text"] as? String ?? "", ids: (c["ids"] as? [Int] ?? []).map(Int32.init),
                     idsWithSpecial: (c["idsWithSpecial"] as? [Int] ?? []).map(Int32.init),
                     decoded: c["decoded"] as? String ?? "", decodedSkippingSpecial: c["decodedSkippingSpecial"] as? String ?? "")
            }
        }
    }()

    static func tokenizer(_ name: String) throws -> Tokenizer {
        try Tokenizer(contentsOf: FixtureFiles.url("tokenizer-\(name)/tokenizer.json"))
    }

    @Test func fixtureHasCasesForEveryTokenizer() {
        #expect(Set(Self.cases.map(\.tokenizer)) == ["qwen", "llama", "gpt2"])
        #expect(Self.cases.count >= 20)
    }

    @Test(arguments: cases)
    func encodeGivesHuggingFaceIds(_ c: Case) throws {
        let tokenizer = try Self.tokenizer(c.tokenizer)
        #expect(tokenizer.encode(c.text) == c.ids)
        #expect(tokenizer.encode(c.text, addSpecialTokens: true) == c.idsWithSpecial)
    }

    @Test(arguments: cases)
    func decodeGivesHuggingFaceText(_ c: Case) throws {
        let tokenizer = try Self.tokenizer(c.tokenizer)
        // Compare scalars: Swift's == treats canonically equivalent strings as equal, which would hide NFC bugs.
        #expect(Array(tokenizer.decode(c.ids).unicodeScalars) == Array(c.decoded.unicodeScalars))
        #expect(Array(tokenizer.decode(c.ids, skipSpecialTokens: true).unicodeScalars) == Array(c.decodedSkippingSpecial.unicodeScalars))
        // GPT-2's add_prefix_space adds a space to each segment by design; the others must round-trip exactly.
        if c.tokenizer != "gpt2" {
            #expect(Array(tokenizer.decode(tokenizer.encode(c.text)).unicodeScalars) == Array(c.text.precomposedStringWithCanonicalMapping.unicodeScalars))
        }
    }

    @Test func streamingDecodeHoldsBackPartialCharacters() throws {
        let tokenizer = try Self.tokenizer("qwen")
        let text = "emoji 🎉🚀 日本語 done"
        let ids = tokenizer.encode(text)
        var stream = StreamingDecoder(tokenizer: tokenizer)
        var pieces: [String] = []
        for id in ids { pieces.append(stream.push(id)) }
        pieces.append(stream.finish())
        #expect(pieces.joined() == text)
        #expect(!pieces.joined().contains("\u{FFFD}"))
        #expect(pieces.contains(""), "a multi-byte character split across byte tokens must be held back")
    }

    @Test func decodeOfAnIncompleteCharacterGivesReplacementLikeHuggingFace() throws {
        let tokenizer = try Self.tokenizer("qwen")
        let ids = tokenizer.encode("🎉")
        #expect(ids.count > 1)
        #expect(tokenizer.decode(Array(ids.dropLast())).unicodeScalars.allSatisfy { $0 == "\u{FFFD}" })
    }

    @Test func randomTextRoundTripsThroughEncodeAndDecode() throws {
        let tokenizer = try Self.tokenizer("qwen")
        var rng = SplitMix64(state: 7)
        let alphabet: [ClosedRange<UInt32>] = [0x20...0x7E, 0x09...0x0D, 0xA0...0x17F, 0x300...0x36F, 0x4E00...0x4E80, 0x1F600...0x1F64F, 0x2000...0x206F]
        for _ in 0..<200 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...40, using: &rng) {
                let range = alphabet.randomElement(using: &rng)!
                if let s = Unicode.Scalar(UInt32.random(in: range, using: &rng)) { scalars.append(s) }
            }
            let text = String(scalars)
            let back = tokenizer.decode(tokenizer.encode(text))
            #expect(Array(back.unicodeScalars) == Array(text.precomposedStringWithCanonicalMapping.unicodeScalars), "\(text.debugDescription)")
        }
    }
}
