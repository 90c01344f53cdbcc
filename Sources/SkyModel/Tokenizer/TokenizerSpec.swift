import Foundation

/// Builds the tokenizer's parts from a parsed tokenizer.json, rejecting what Sky does not implement.
enum TokenizerSpec {
    /// Real vocabularies stay below 300k; a larger id would only make decode tables explode.
    static let maximumId = 1 << 24

    static func model(_ json: [String: Any]) throws -> BPEModel {
        guard let model = json["model"] as? [String: Any] else { throw TokenizerError.invalidSpec(at: "model", problem: "missing") }
        let type = model["type"] as? String ?? "BPE"
        guard type == "BPE" else { throw TokenizerError.unsupported(at: "model", type: type) }
        guard let rawVocab = model["vocab"] as? [String: Any] else {
            throw TokenizerError.invalidSpec(at: "model.vocab", problem: "not an object")
        }
        var vocab: [String: Int32] = [:]
        vocab.reserveCapacity(rawVocab.count)
        for (token, value) in rawVocab {
            guard let id = JSONNumbers.integer(value), id >= 0, id < maximumId else {
                throw TokenizerError.invalidSpec(at: "model.vocab[\(token)]", problem: "id \(value) is not a non-negative integer")
            }
            vocab[token] = Int32(id)
        }
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let affix = model[key] as? String, !affix.isEmpty { throw TokenizerError.unsupported(at: "model.\(key)", type: affix) }
        }
        let merges = model["merges"] as? [Any] ?? []
        return try BPEModel(vocab: vocab, merges: merges, ignoreMerges: model["ignore_merges"] as? Bool ?? false)
    }

    static func addedTokens(_ json: [String: Any]) throws -> AddedTokens {
        let list = json["added_tokens"] as? [Any] ?? []
        return AddedTokens(try list.enumerated().map { i, raw in
            guard let t = raw as? [String: Any], let content = t["content"] as? String, !content.isEmpty,
                  let id = JSONNumbers.integer(t["id"]), id >= 0, id < maximumId
            else { throw TokenizerError.invalidSpec(at: "added_tokens[\(i)]", problem: "needs a non-empty content and an id below 2^24") }
            return AddedTokens.Token(id: Int32(id), content: Array(content.utf8), special: t["special"] as? Bool ?? false,
                                     lstrip: t["lstrip"] as? Bool ?? false, rstrip: t["rstrip"] as? Bool ?? false)
        })
    }

    static func preTokenizer(_ json: Any?, at path: String = "pre_tokenizer") throws -> [PreTokenizer.Step] {
        guard let json, !(json is NSNull) else { return [] }
        guard let object = json as? [String: Any], let type = object["type"] as? String else {
            throw TokenizerError.invalidSpec(at: path, problem: "not an object with a type")
        }
        switch type {
        case "Sequence":
            let items = object["pretokenizers"] as? [Any] ?? []
            return try items.enumerated().flatMap { try preTokenizer($1, at: "\(path).pretokenizers[\($0)]") }
        case "Split":
            let pattern = object["pattern"] as? [String: Any]
            let regex: NSRegularExpression
            if let text = pattern?["Regex"] as? String {
                regex = try PreTokenizer.compile(text, at: path)
            } else if let literal = pattern?["String"] as? String {
                regex = try PreTokenizer.compile(NSRegularExpression.escapedPattern(for: literal), at: path)
            } else {
                throw TokenizerError.invalidSpec(at: "\(path).pattern", problem: "needs Regex or String")
            }
            let behavior = object["behavior"] as? String ?? "Isolated"
            guard behavior == "Isolated" || behavior == "Removed" else { throw TokenizerError.unsupported(at: "\(path).behavior", type: behavior) }
            return [.split(regex, isolated: behavior == "Isolated", invert: object["invert"] as? Bool ?? false)]
        case "ByteLevel":
            let useRegex = object["use_regex"] as? Bool ?? true
            return [.byteLevel(addPrefixSpace: object["add_prefix_space"] as? Bool ?? true,
                               regex: useRegex ? try PreTokenizer.compile(PreTokenizer.gpt2Pattern, at: path) : nil)]
        case "Digits":
            let individual = object["individual_digits"] as? Bool ?? false
            return [.split(try PreTokenizer.compile(individual ? #"\p{N}"# : #"\p{N}+"#, at: path), isolated: true, invert: false)]
        default:
            throw TokenizerError.unsupported(at: path, type: type)
        }
    }

    /// Special-token ids the post-processor puts before and after a single sequence.
    static func postProcessor(_ json: Any?, at path: String = "post_processor") throws -> (prefix: [Int32], suffix: [Int32]) {
        guard let json, !(json is NSNull) else { return ([], []) }
        guard let object = json as? [String: Any], let type = object["type"] as? String else {
            throw TokenizerError.invalidSpec(at: path, problem: "not an object with a type")
        }
        switch type {
        case "ByteLevel": return ([], [])
        case "Sequence":
            var result: ([Int32], [Int32]) = ([], [])
            for (i, item) in (object["processors"] as? [Any] ?? []).enumerated() {
                let part = try postProcessor(item, at: "\(path).processors[\(i)]")
                result.0 += part.prefix
                result.1 += part.suffix
            }
            return result
        case "TemplateProcessing":
            let specials = object["special_tokens"] as? [String: Any] ?? [:]
            var prefix: [Int32] = [], suffix: [Int32] = []
            var seenSequence = false
            for (i, item) in (object["single"] as? [Any] ?? []).enumerated() {
                guard let piece = item as? [String: Any] else { continue }
                if piece["Sequence"] != nil { seenSequence = true; continue }
                guard let special = piece["SpecialToken"] as? [String: Any], let name = special["id"] as? String,
                      let entry = specials[name] as? [String: Any], let ids = JSONNumbers.integers(entry["ids"])
                else { throw TokenizerError.invalidSpec(at: "\(path).single[\(i)]", problem: "unknown special token") }
                let converted = ids.map { Int32(clamping: $0) }
                if seenSequence { suffix += converted } else { prefix += converted }
            }
            return (prefix, suffix)
        default:
            throw TokenizerError.unsupported(at: path, type: type)
        }
    }
}
