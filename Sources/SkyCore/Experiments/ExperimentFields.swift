/// Reads the fields of an experiment document, collecting every problem with its path instead of stopping at the first.
struct ExperimentFields {
    var issues: [SpecIssue] = []

    /// `value` unless it is absent or null, which is noted when the field is `required`.
    private mutating func present(_ value: JSONValue?, at pointer: String, required: Bool) -> JSONValue? {
        guard let value, value != .null else {
            if required { issues.append(SpecIssue(pointer, "required field is missing")) }
            return nil
        }
        return value
    }

    /// The object at `pointer`, checking its keys against `allowed` (nil: any key) and `forbidden`.
    mutating func object(_ value: JSONValue?, at pointer: String, required: Bool = false, allowed: Set<String>? = nil,
                         forbidden: [String: String] = [:]) -> [String: JSONValue]? {
        guard let value = present(value, at: pointer, required: required) else { return nil }
        guard case .object(let fields) = value else {
            issues.append(SpecIssue(pointer, "expected an object"))
            return nil
        }
        for key in fields.keys.sorted() {
            if let why = forbidden[key] {
                issues.append(SpecIssue(pointer + "/" + JobInputs.escape(key), why))
            } else if let allowed, !allowed.contains(key) {
                issues.append(SpecIssue(pointer + "/" + JobInputs.escape(key), "unknown field; expected one of \(allowed.sorted())"))
            }
        }
        return fields
    }

    /// The string at `pointer`, 1 to `maxLength` characters.
    mutating func string(_ value: JSONValue?, at pointer: String, required: Bool = false, maxLength: Int = 200) -> String? {
        guard let value = present(value, at: pointer, required: required) else { return nil }
        guard case .string(let text) = value, !text.isEmpty, text.count <= maxLength else {
            issues.append(SpecIssue(pointer, "expected a string of 1 to \(maxLength) characters"))
            return nil
        }
        return text
    }

    /// The whole number at `pointer`, within `range`.
    mutating func integer(_ value: JSONValue?, at pointer: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = present(value, at: pointer, required: false) else { return nil }
        guard case .number(let number) = value, let integer = Int(exactly: number), range.contains(integer) else {
            issues.append(SpecIssue(pointer, "expected a whole number between \(range.lowerBound) and \(range.upperBound)"))
            return nil
        }
        return integer
    }

    /// The array at `pointer`; `required` arrays must not be empty.
    mutating func array(_ value: JSONValue?, at pointer: String, required: Bool = false) -> [JSONValue]? {
        guard let value = present(value, at: pointer, required: required) else { return nil }
        guard case .array(let items) = value else {
            issues.append(SpecIssue(pointer, "expected a list"))
            return nil
        }
        if required && items.isEmpty { issues.append(SpecIssue(pointer, "must not be empty")) }
        return items
    }
}
