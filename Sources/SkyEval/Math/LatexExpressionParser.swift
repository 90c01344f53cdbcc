import Foundation

/// A recursive-descent parser for the LaTeX people write as answers: numbers, + − × · ÷ / ^ !, `\frac`,
/// `\sqrt[n]{}`, `\binom`, `\pi`, `e`, trigonometric and logarithmic functions, implicit multiplication
/// (`2\pi`, `3x`, `(x-1)(x+1)`) and grouping with (), [], {} and |…|. Depth is bounded so hostile nesting fails fast.
struct LatexExpressionParser {
    /// Why a text is not an expression; the grader reports it.
    struct Failure: Error, Equatable { let message: String }

    private let tokens: [LatexToken]
    private var position = 0
    private var depth = 0
    private let maxDepth: Int

    /// Parses `text` whole; trailing tokens are a failure.
    static func parse(_ text: String, maxDepth: Int) throws(Failure) -> MathExpression {
        var parser = LatexExpressionParser(tokens: try LatexToken.tokenize(text), maxDepth: maxDepth)
        let expression = try parser.parseSum()
        guard parser.position == parser.tokens.count else { throw Failure(message: "unexpected \(parser.tokens[parser.position])") }
        return expression
    }

    private init(tokens: [LatexToken], maxDepth: Int) {
        self.tokens = tokens
        self.maxDepth = maxDepth
    }

    private var next: LatexToken? { position < tokens.count ? tokens[position] : nil }

    private mutating func take(_ symbol: Character) -> Bool {
        guard next == .symbol(symbol) else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ symbol: Character) throws(Failure) {
        guard take(symbol) else { throw Failure(message: "expected \(symbol)") }
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        guard depth <= maxDepth else { throw Failure(message: "nested deeper than \(maxDepth)") }
    }

    private mutating func parseSum() throws(Failure) -> MathExpression {
        try enter()
        defer { depth -= 1 }
        var result = try parseProduct()
        while true {
            if take("+") { result = .add(result, try parseProduct()) }
            else if take("-") { result = .subtract(result, try parseProduct()) }
            else { return result }
        }
    }

    private mutating func parseProduct() throws(Failure) -> MathExpression {
        var result = try parseSigned()
        while let token = next {
            switch token {
            case .symbol("*"), .command("cdot"), .command("times"):
                position += 1
                result = .multiply(result, try parseSigned())
            case .symbol("/"), .command("div"):
                position += 1
                result = .divide(result, try parseSigned())
            default:
                guard token.startsFactor else { return result }
                result = .multiply(result, try parsePower())
            }
        }
        return result
    }

    private mutating func parseSigned() throws(Failure) -> MathExpression {
        try enter()
        defer { depth -= 1 }
        if take("-") { return .negate(try parseSigned()) }
        if take("+") { return try parseSigned() }
        return try parsePower()
    }

    private mutating func parsePower() throws(Failure) -> MathExpression {
        let base = try parsePostfix()
        guard take("^") else { return base }
        return .power(base, try parseExponent())
    }

    /// `x^{…}`, `x^2`, `x^-1`, `x^\pi`: one group or one atom, as LaTeX reads it.
    private mutating func parseExponent() throws(Failure) -> MathExpression {
        try enter()
        defer { depth -= 1 }
        if take("-") { return .negate(try parseExponent()) }
        let exponent = try parsePostfix()
        return take("^") ? .power(exponent, try parseExponent()) : exponent
    }

    private mutating func parsePostfix() throws(Failure) -> MathExpression {
        var result = try parsePrimary()
        while take("!") { result = .factorial(result) }
        return result
    }

    private mutating func parsePrimary() throws(Failure) -> MathExpression {
        try enter()
        defer { depth -= 1 }
        guard let token = next else { throw Failure(message: "unexpected end") }
        position += 1
        switch token {
        case .number(let value): return .number(value)
        case .letter("e"): return .number(M_E)
        case .letter(let name): return .variable(name)
        case .symbol("("): return try group(closing: ")")
        case .symbol("["): return try group(closing: "]")
        case .symbol("{"): return try group(closing: "}")
        case .symbol("|"): return .function("abs", try group(closing: "|"))
        case .command(let name): return try command(name)
        case .symbol(let symbol): throw Failure(message: "unexpected \(symbol)")
        }
    }

    private mutating func group(closing: Character) throws(Failure) -> MathExpression {
        let inner = try parseSum()
        try expect(closing)
        return inner
    }

    private mutating func command(_ name: String) throws(Failure) -> MathExpression {
        switch name {
        case "pi": return .number(Double.pi)
        case "infty", "infinity": return .number(.infinity)
        case "frac", "dfrac", "tfrac", "cfrac": return .divide(try parsePrimary(), try parsePrimary())
        case "binom", "dbinom", "tbinom": return .binomial(try parsePrimary(), try parsePrimary())
        case "sqrt":
            let index = take("[") ? try group(closing: "]") : .number(2)
            return .root(index: index, try parsePrimary())
        case _ where MathExpression.functions.contains(name): return try function(name)
        case _ where LatexCommands.greek.contains(name): return .variable("\\" + name)
        default: throw Failure(message: "unsupported \\\(name)")
        }
    }

    /// `\sin x`, `\sin(2x)`, `\sin^2 x` (the square of the sine), `\log_2 8`.
    private mutating func function(_ name: String) throws(Failure) -> MathExpression {
        let base: MathExpression? = name == "log" && take("_") ? try parsePrimary() : nil
        let exponent: MathExpression? = take("^") ? try parseExponent() : nil
        let argument = try parsePower()
        let applied: MathExpression = base.map { .logarithm(base: $0, argument) } ?? .function(name, argument)
        return exponent.map { .power(applied, $0) } ?? applied
    }
}
