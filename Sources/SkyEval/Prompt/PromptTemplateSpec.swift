/// The Codable form of a `PromptTemplate` in job specs and records: `{"name": "sky-t1"}`, or
/// `{"name": "custom", "system": "...", "user": "... {problem} ..."}` (name may be omitted when user is given).
public struct PromptTemplateSpec: Sendable, Equatable, Codable {
    /// "sky-t1", "plain" or "custom".
    public var name: String?
    /// A custom template's system prompt.
    public var system: String?
    /// A custom template's user turn, with `{problem}` and optionally `{starter_code}`.
    public var user: String?

    /// A spec from its fields.
    public init(name: String? = nil, system: String? = nil, user: String? = nil) {
        self.name = name
        self.system = system
        self.user = user
    }

    /// The template this spec names, validated.
    public func template() throws(PromptTemplateError) -> PromptTemplate {
        if let user, name == nil || name == "custom" {
            let template = PromptTemplate.custom(system: system, user: user)
            try template.validate()
            return template
        }
        guard let name else { throw .missingUser }
        if name == "custom" { throw .missingUser }
        return try PromptTemplate(name: name)
    }
}
