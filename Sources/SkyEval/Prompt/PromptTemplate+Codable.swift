extension PromptTemplate: Codable {
    /// Decodes a name string ("sky-t1") or a `PromptTemplateSpec` object.
    public init(from decoder: any Decoder) throws {
        if let name = try? decoder.singleValueContainer().decode(String.self) {
            self = try PromptTemplate(name: name)
            return
        }
        self = try PromptTemplateSpec(from: decoder).template()
    }

    /// Encodes as a `PromptTemplateSpec` object.
    public func encode(to encoder: any Encoder) throws {
        let spec: PromptTemplateSpec
        switch self {
        case .skyT1, .plain: spec = PromptTemplateSpec(name: name)
        case .custom(let system, let user): spec = PromptTemplateSpec(name: "custom", system: system, user: user)
        }
        try spec.encode(to: encoder)
    }
}
