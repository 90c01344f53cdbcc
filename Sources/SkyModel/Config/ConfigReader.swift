import Foundation

/// Typed access to a JSON object that reports the offending key; integers must be whole numbers.
struct ConfigReader {
    let json: [String: Any]
    var prefix = ""

    func required(_ key: String) throws -> String {
        guard let value = json[key] else { throw ModelConfigError.missingKey(prefix + key) }
        guard let text = value as? String else { throw ModelConfigError.invalidValue(key: prefix + key, problem: "not a string") }
        return text
    }

    func required(_ key: String, positive: Bool) throws -> Int {
        guard let value = try optionalInt(key) else { throw ModelConfigError.missingKey(prefix + key) }
        if positive, value <= 0 { throw ModelConfigError.invalidValue(key: prefix + key, problem: "\(value) is not positive") }
        return value
    }

    func requiredDouble(_ key: String) throws -> Double {
        guard let value = try optionalDouble(key) else { throw ModelConfigError.missingKey(prefix + key) }
        return value
    }

    func optionalInt(_ key: String) throws -> Int? {
        guard let value = json[key], !(value is NSNull) else { return nil }
        return try integer(value, key: key)
    }

    func optionalDouble(_ key: String) throws -> Double? {
        guard let value = json[key], !(value is NSNull) else { return nil }
        guard let number = JSONNumbers.double(value) else {
            throw ModelConfigError.invalidValue(key: prefix + key, problem: "not a number")
        }
        return number
    }

    /// `eos_token_id` may be one id or a list of them.
    func intOrList(_ key: String) throws -> [Int] {
        guard let value = json[key], !(value is NSNull) else { return [] }
        if let list = value as? [Any] { return try list.map { try integer($0, key: key) } }
        return [try integer(value, key: key)]
    }

    private func integer(_ value: Any, key: String) throws -> Int {
        guard let number = JSONNumbers.integer(value) else {
            throw ModelConfigError.invalidValue(key: prefix + key, problem: "\(value) is not an integer")
        }
        return number
    }
}
