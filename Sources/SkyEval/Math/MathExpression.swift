import Foundation

/// A parsed LaTeX expression, evaluated numerically (answers are compared by value, not by algebra).
indirect enum MathExpression: Sendable, Equatable {
    case number(Double)
    case variable(String)
    case negate(MathExpression)
    case add(MathExpression, MathExpression)
    case subtract(MathExpression, MathExpression)
    case multiply(MathExpression, MathExpression)
    case divide(MathExpression, MathExpression)
    case power(MathExpression, MathExpression)
    case root(index: MathExpression, MathExpression)
    case function(String, MathExpression)
    case logarithm(base: MathExpression, MathExpression)
    case factorial(MathExpression)
    case binomial(MathExpression, MathExpression)

    /// The free variables, for choosing evaluation points.
    var variables: Set<String> {
        switch self {
        case .number: return []
        case .variable(let name): return [name]
        case .negate(let a), .function(_, let a), .factorial(let a): return a.variables
        case .add(let a, let b), .subtract(let a, let b), .multiply(let a, let b), .divide(let a, let b), .power(let a, let b),
             .root(let a, let b), .logarithm(let a, let b), .binomial(let a, let b):
            return a.variables.union(b.variables)
        }
    }

    /// The value at `point`; NaN where undefined, ±infinity where it overflows (never traps).
    func evaluate(_ point: [String: Double]) -> Double {
        switch self {
        case .number(let value): return value
        case .variable(let name): return point[name] ?? .nan
        case .negate(let a): return -a.evaluate(point)
        case .add(let a, let b): return a.evaluate(point) + b.evaluate(point)
        case .subtract(let a, let b): return a.evaluate(point) - b.evaluate(point)
        case .multiply(let a, let b): return a.evaluate(point) * b.evaluate(point)
        case .divide(let a, let b): return a.evaluate(point) / b.evaluate(point)
        case .power(let a, let b): return Self.power(a.evaluate(point), b.evaluate(point))
        case .root(let index, let a): return Self.root(a.evaluate(point), index: index.evaluate(point))
        case .function(let name, let a): return Self.apply(name, a.evaluate(point))
        case .logarithm(let base, let a): return Foundation.log(a.evaluate(point)) / Foundation.log(base.evaluate(point))
        case .factorial(let a): return Self.factorial(a.evaluate(point))
        case .binomial(let n, let k): return Self.binomial(n.evaluate(point), k.evaluate(point))
        }
    }

    static func power(_ base: Double, _ exponent: Double) -> Double {
        // Odd roots of negatives written as powers, (-8)^{1/3}, are real in the answers people write.
        if base < 0, exponent != exponent.rounded(), let denominator = oddDenominator(exponent) {
            let magnitude = Foundation.pow(-base, exponent)
            return Int((exponent * Double(denominator)).rounded()) % 2 == 0 ? magnitude : -magnitude
        }
        return Foundation.pow(base, exponent)
    }

    static func oddDenominator(_ exponent: Double) -> Int? {
        for denominator in stride(from: 3, through: 15, by: 2) {
            let scaled = exponent * Double(denominator)
            if abs(scaled - scaled.rounded()) < 1e-9 { return denominator }
        }
        return nil
    }

    static func root(_ value: Double, index: Double) -> Double {
        guard index.isFinite, index != 0 else { return .nan }
        if value < 0, index == index.rounded(), Int(exactly: index).map({ $0 % 2 != 0 }) == true {
            return -Foundation.pow(-value, 1 / index)
        }
        return Foundation.pow(value, 1 / index)
    }

    static let functions: Set<String> = [
        "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "ln", "log", "exp",
    ]

    static func apply(_ name: String, _ x: Double) -> Double {
        switch name {
        case "sin": return Foundation.sin(x)
        case "cos": return Foundation.cos(x)
        case "tan": return Foundation.tan(x)
        case "cot": return 1 / Foundation.tan(x)
        case "sec": return 1 / Foundation.cos(x)
        case "csc": return 1 / Foundation.sin(x)
        case "arcsin": return Foundation.asin(x)
        case "arccos": return Foundation.acos(x)
        case "arctan": return Foundation.atan(x)
        case "sinh": return Foundation.sinh(x)
        case "cosh": return Foundation.cosh(x)
        case "tanh": return Foundation.tanh(x)
        case "ln": return Foundation.log(x)
        // \log without a base is base 10 in competition answers (AIME, AMC); \ln is the natural one.
        case "log": return Foundation.log10(x)
        case "exp": return Foundation.exp(x)
        case "abs": return Swift.abs(x)
        default: return .nan
        }
    }

    /// n! for whole n up to 170 (beyond, a Double overflows anyway).
    static func factorial(_ n: Double) -> Double {
        guard n >= 0, n == n.rounded() else { return .nan }
        guard n <= 170 else { return .infinity }
        return (1...max(1, Int(n))).reduce(1.0) { $0 * Double($1) }
    }

    static func binomial(_ n: Double, _ k: Double) -> Double {
        guard n >= 0, k >= 0, n == n.rounded(), k == k.rounded(), n < 1e6 else { return .nan }
        guard k <= n else { return 0 }
        let k = min(k, n - k)
        guard k <= 1000 else { return .infinity }
        var result = 1.0
        for i in stride(from: 0.0, to: k, by: 1) { result = result * (n - i) / (i + 1) }
        return result.rounded()
    }
}
