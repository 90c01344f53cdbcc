public import Foundation

/// A spec field that names one of a fixed set of choices, decoded straight into a Swift enum: code that reads a spec
/// switches over its cases, so a name that no code handles cannot pass validation and then meet a silent default.
public protocol SpecChoice: RawRepresentable, CaseIterable, Sendable, Hashable, Codable where RawValue == String {}

/// Problems found while decoding a spec (unknown choices), kept so that one submission hears of all its problems at
/// once, as it does of those `validate()` finds, rather than of the first alone.
final class SpecDecodingIssues: @unchecked Sendable {
    /// Where `JobSpec.decodeValidated` puts the collector in the decoder's user info.
    static let key = CodingUserInfoKey(rawValue: "sky.specDecodingIssues")!
    private let lock = NSLock()
    private var found: [SpecIssue] = []

    func append(_ issue: SpecIssue) { lock.withLock { found.append(issue) } }

    /// The problems, in the order decoding met them.
    var issues: [SpecIssue] { lock.withLock { found } }
}

extension KeyedDecodingContainer {
    /// The choice at `key`, or `fallback` when the key is absent. An unknown name is a problem at the key's pointer: one
    /// recorded for `decodeValidated` to throw with the others (`fallback` stands in until then), or thrown at once by
    /// a decoder that collects none.
    func decodeChoice<T: SpecChoice>(_ type: T.Type, forKey key: Key, default fallback: T, in decoder: any Decoder) throws -> T {
        guard let name = try decodeIfPresent(String.self, forKey: key) else { return fallback }
        if let choice = T(rawValue: name) { return choice }
        let message = "unknown value '\(name)'; expected one of \(T.allCases.map(\.rawValue).sorted())"
        guard let issues = decoder.userInfo[SpecDecodingIssues.key] as? SpecDecodingIssues else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: message)
        }
        issues.append(SpecIssue(SpecIssue.pointer(codingPath + [key]), message))
        return fallback
    }
}

/// The chat formats a train or eval spec may name: ChatML with no default system prompt, or with Qwen2.5's or Sky-T1's.
public enum ChatTemplateName: String, SpecChoice {
    case chatml
    case qwen25 = "qwen2.5"
    case skyT1 = "sky-t1"
}
