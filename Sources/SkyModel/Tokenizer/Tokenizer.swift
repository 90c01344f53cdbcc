public import Foundation

/// A byte-level BPE tokenizer loaded from a Hugging Face `tokenizer.json` (Qwen2, Llama 3 and GPT-2 style).
public struct Tokenizer: Sendable {
    let model: BPEModel
    let added: AddedTokens
    let normalizer: Normalizer?
    let preTokenizer: PreTokenizer
    let template: (prefix: [Int32], suffix: [Int32])
    /// id → token text (vocabulary and added tokens); nil holes for unused ids.
    let tokenForId: [String?]
    let specialIds: Set<Int32>

    /// Loads `tokenizer.json` from a model directory or the file's own path.
    public init(contentsOf url: URL) throws {
        let file = url.pathExtension == "json" ? url : url.appendingPathComponent("tokenizer.json")
        let data: Data
        do { data = try Data(contentsOf: file) } catch { throw TokenizerError.unreadable(path: file.path, reason: "\(error)") }
        try self.init(data: data)
    }

    /// Parses a tokenizer.json document.
    public init(data: Data) throws {
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw TokenizerError.invalidSpec(at: "$", problem: "not a JSON object")
        }
        model = try TokenizerSpec.model(json)
        added = try TokenizerSpec.addedTokens(json)
        normalizer = try Normalizer.parse(json["normalizer"])
        let steps = try TokenizerSpec.preTokenizer(json["pre_tokenizer"])
        let byteLevel = steps.contains { if case .byteLevel = $0 { true } else { false } }
            || ((json["decoder"] as? [String: Any])?["type"] as? String) == "ByteLevel"
        guard byteLevel else { throw TokenizerError.unsupported(at: "pre_tokenizer", type: "non-byte-level BPE") }
        preTokenizer = PreTokenizer(steps: steps)
        template = try TokenizerSpec.postProcessor(json["post_processor"])
        let maxId = Int(max(model.vocab.values.max() ?? -1, added.tokens.map(\.id).max() ?? -1))
        var table = [String?](repeating: nil, count: maxId + 1)
        for (token, id) in model.vocab { table[Int(id)] = token }
        for token in added.tokens { table[Int(token.id)] = String(decoding: token.content, as: UTF8.self) }
        tokenForId = table
        specialIds = Set(added.tokens.filter(\.special).map(\.id))
    }

    /// One past the largest token id.
    public var vocabularySize: Int { tokenForId.count }

    /// The id of a token given its text (vocabulary entries in byte-level form, or added tokens).
    public func id(of token: String) -> Int32? {
        if let hit = added.tokens.first(where: { $0.content.elementsEqual(token.utf8) }) { return hit.id }
        return model.vocab[token]
    }

    /// Whether `id` is a special added token (skipped by `decode(_:skipSpecialTokens: true)`).
    public func isSpecial(_ id: Int32) -> Bool { specialIds.contains(id) }

    /// Token ids of `text`; with `addSpecialTokens` the post-processor's template (e.g. Llama's BOS) is applied.
    public func encode(_ text: String, addSpecialTokens: Bool = false) -> [Int32] {
        let ids = encodeWithOffsets(text).map(\.id)
        return addSpecialTokens ? template.prefix + ids + template.suffix : ids
    }

    /// Token ids with the UTF-8 offset in `text` where each token starts (offsets are into the normalised
    /// text between added tokens, which equals `text` when it is already normalised).
    public func encodeWithOffsets(_ text: String) -> [(id: Int32, start: Int)] {
        let bytes = Array(text.utf8)
        var out: [(id: Int32, start: Int)] = []
        out.reserveCapacity(bytes.count / 3)
        var ids: [Int32] = [], lengths: [Int] = []
        for segment in added.split(bytes) {
            switch segment {
            case let .token(id, range):
                out.append((id, range.lowerBound))
            case let .text(range):
                var piece = String(decoding: bytes[range], as: UTF8.self)
                if let normalizer { piece = normalizer.apply(piece) }
                for part in preTokenizer.split(piece) {
                    ids.removeAll(keepingCapacity: true)
                    lengths.removeAll(keepingCapacity: true)
                    let source = part.prefixSpace ? " " + part.text : part.text
                    model.encode(Array(source.utf8), into: &ids, lengths: &lengths)
                    var offset = range.lowerBound + part.start - (part.prefixSpace ? 1 : 0)
                    for (id, length) in zip(ids, lengths) {
                        out.append((id, max(range.lowerBound, offset)))
                        offset += length
                    }
                }
            }
        }
        return out
    }

    /// The bytes a token stands for (its UTF-8 for added tokens); empty for unknown ids.
    public func bytes(of id: Int32) -> [UInt8] {
        var out: [UInt8] = []
        appendBytes(of: id, skipSpecialTokens: false, into: &out)
        return out
    }

    func appendBytes(of id: Int32, skipSpecialTokens: Bool, into out: inout [UInt8]) {
        guard id >= 0, Int(id) < tokenForId.count, let token = tokenForId[Int(id)] else { return }  // HF skips unknown ids
        if skipSpecialTokens, specialIds.contains(id) { return }
        ByteLevelMap.decode(token, into: &out)
    }

    /// Text of `ids`; invalid UTF-8 (a partial character) becomes U+FFFD as in Hugging Face.
    public func decode(_ ids: [Int32], skipSpecialTokens: Bool = false) -> String {
        var bytes: [UInt8] = []
        for id in ids { appendBytes(of: id, skipSpecialTokens: skipSpecialTokens, into: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
