import Foundation

/// Unicode normalisation applied to text between added tokens.
enum Normalizer: Sendable {
    case nfc, nfkc, nfd, nfkd, lowercase
    indirect case sequence([Normalizer])

    func apply(_ text: String) -> String {
        switch self {
        case .nfc: text.precomposedStringWithCanonicalMapping
        case .nfkc: text.precomposedStringWithCompatibilityMapping
        case .nfd: text.decomposedStringWithCanonicalMapping
        case .nfkd: text.decomposedStringWithCompatibilityMapping
        case .lowercase: text.lowercased()
        case let .sequence(steps): steps.reduce(text) { $1.apply($0) }
        }
    }

    /// Parses tokenizer.json's `normalizer` (nil for JSON null).
    static func parse(_ json: Any?, at path: String = "normalizer") throws -> Normalizer? {
        guard let json, !(json is NSNull) else { return nil }
        guard let object = json as? [String: Any], let type = object["type"] as? String else {
            throw TokenizerError.invalidSpec(at: path, problem: "not an object with a type")
        }
        switch type {
        case "NFC": return .nfc
        case "NFKC": return .nfkc
        case "NFD": return .nfd
        case "NFKD": return .nfkd
        case "Lowercase": return .lowercase
        case "Sequence":
            let items = object["normalizers"] as? [Any] ?? []
            return .sequence(try items.enumerated().compactMap { try parse($1, at: "\(path).normalizers[\($0)]") })
        default: throw TokenizerError.unsupported(at: path, type: type)
        }
    }
}
