import Foundation
import SkyModel
import Testing

/// Broken or hostile tokenizer.json files give a TokenizerError, never a crash.
@Suite struct TokenizerMalformedInputTests {
    static func spec(_ edit: (inout [String: Any]) -> Void) throws -> Data {
        var json = try FixtureFiles.json("tokenizer-qwen/tokenizer.json") as? [String: Any] ?? [:]
        edit(&json)
        return try JSONSerialization.data(withJSONObject: json)
    }

    static func model(_ json: inout [String: Any], _ edit: (inout [String: Any]) -> Void) {
        var model = json["model"] as? [String: Any] ?? [:]
        edit(&model)
        json["model"] = model
    }

    @Test func notJSONIsRejected() {
        #expect(throws: TokenizerError.self) { try Tokenizer(data: Data("{\"model\": ".utf8)) }
        #expect(throws: TokenizerError.self) { try Tokenizer(data: Data("[1, 2]".utf8)) }
    }

    @Test func missingOrForeignModelIsRejected() throws {
        #expect(throws: TokenizerError.invalidSpec(at: "model", problem: "missing")) { try Tokenizer(data: Self.spec { $0["model"] = nil }) }
        #expect(throws: TokenizerError.unsupported(at: "model", type: "WordPiece")) {
            try Tokenizer(data: Self.spec { Self.model(&$0) { $0["type"] = "WordPiece" } })
        }
    }

    @Test func mergeWithUnknownTokenNamesTheMerge() throws {
        let data = try Self.spec { Self.model(&$0) { $0["merges"] = [["a", "b"], ["zz-not-a-token", "q"]] } }
        #expect {
            try Tokenizer(data: data)
        } throws: { error in
            guard case let .invalidSpec(at, _) = error as? TokenizerError else { return false }
            return at == "model.merges[1]"
        }
    }

    @Test func mergeWithThreePartsOrWrongTypeIsRejected() throws {
        #expect(throws: TokenizerError.self) { try Tokenizer(data: Self.spec { Self.model(&$0) { $0["merges"] = ["a b c"] } }) }
        #expect(throws: TokenizerError.self) { try Tokenizer(data: Self.spec { Self.model(&$0) { $0["merges"] = [42] } }) }
    }

    @Test func negativeOrFractionalVocabIdsAreRejected() throws {
        #expect(throws: TokenizerError.self) { try Tokenizer(data: Self.spec { Self.model(&$0) { $0["vocab"] = ["a": -1] } }) }
        #expect(throws: TokenizerError.self) { try Tokenizer(data: Self.spec { Self.model(&$0) { $0["vocab"] = ["a": 1.5] } }) }
    }

    @Test func badRegexAndUnknownPreTokenizerAreRejected() throws {
        let badRegex: [String: Any] = ["type": "Split", "pattern": ["Regex": "(unclosed"], "behavior": "Isolated", "invert": false]
        #expect(throws: TokenizerError.self) { try Tokenizer(data: Self.spec { $0["pre_tokenizer"] = badRegex }) }
        #expect(throws: TokenizerError.unsupported(at: "pre_tokenizer", type: "Metaspace")) {
            try Tokenizer(data: Self.spec { $0["pre_tokenizer"] = ["type": "Metaspace"] })
        }
    }

    @Test func emptyAddedTokenOrAbsurdIdIsRejected() throws {
        #expect(throws: TokenizerError.self) {
            try Tokenizer(data: Self.spec { $0["added_tokens"] = [["id": 1, "content": ""]] })
        }
        #expect(throws: TokenizerError.self) {
            try Tokenizer(data: Self.spec { $0["added_tokens"] = [["id": 2_000_000_000, "content": "<x>"]] })
        }
    }

    @Test func randomCorruptionsThrowOrLoadButNeverCrash() throws {
        let original = try Data(contentsOf: FixtureFiles.url("tokenizer-qwen/tokenizer.json"))
        var rng = SplitMix64(state: 11)
        for _ in 0..<60 {
            var bytes = [UInt8](original)
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if Bool.random(using: &rng) { bytes.removeLast(Int.random(in: 0..<bytes.count, using: &rng)) }
            if let tokenizer = try? Tokenizer(data: Data(bytes)) {
                _ = tokenizer.decode(tokenizer.encode("Hello 世界 🎉 123"))
                _ = tokenizer.decode([-5, 1_000_000, 3])
            }
        }
    }

    @Test func decodeSkipsIdsOutsideTheVocabulary() throws {
        let tokenizer = try Tokenizer(contentsOf: FixtureFiles.url("tokenizer-qwen"))
        let ids = tokenizer.encode("ok")
        #expect(tokenizer.decode([-1] + ids + [Int32.max]) == "ok")
    }
}
