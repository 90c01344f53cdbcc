/// Splits a custom template into literal text and placeholders. `{{` and `}}` stand for literal braces; any other
/// `{name}` must be a known placeholder, so a typo such as `{problme}` fails instead of reaching the model.
enum PromptPlaceholders {
    enum Piece: Equatable {
        case text(String)
        case problem
        case starterCode
    }

    static func parse(_ template: String) throws(PromptTemplateError) -> [Piece] {
        var pieces: [Piece] = []
        var literal = ""
        var index = template.startIndex
        while index < template.endIndex {
            let character = template[index]
            let next = template.index(after: index)
            if character == "{", next < template.endIndex, template[next] == "{" {
                literal.append("{")
                index = template.index(after: next)
                continue
            }
            if character == "}", next < template.endIndex, template[next] == "}" {
                literal.append("}")
                index = template.index(after: next)
                continue
            }
            if character == "{", let close = template[next...].firstIndex(of: "}"),
               template[next..<close].allSatisfy({ $0.isLetter || $0 == "_" }), close > next {
                let name = String(template[next..<close])
                switch name {
                case "problem": pieces.append(.text(literal)); pieces.append(.problem)
                case "starter_code": pieces.append(.text(literal)); pieces.append(.starterCode)
                default:
                    let offset = template.distance(from: template.startIndex, to: index)
                    throw .unknownPlaceholder(name, offset: offset)
                }
                literal = ""
                index = template.index(after: close)
                continue
            }
            literal.append(character)
            index = next
        }
        pieces.append(.text(literal))
        return pieces.filter { $0 != .text("") }
    }
}
