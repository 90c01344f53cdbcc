import SkyCore

/// Which math grader produced a verdict, recorded in every eval run's configuration (so in its config hash): a
/// semantic version, bumped by hand whenever the grading logic changes, plus a hash of every rule table the grader
/// reads (unit words, LaTeX command tables, function names, tolerances, limits), so an edited table shows in the
/// version even before anyone bumps it.
public enum GraderVersion {
    /// Bump on any change of what the grader accepts: 1.1.0 read a bare answer handed over as the prediction whole;
    /// 1.2.0 reads a function or Greek letter glued to its argument (`\cotx`) as the command and then letters;
    /// 1.3.0 reads the classes other graders accept (docs/grading.md, "Third change"): ASCII relations and negated
    /// inequalities, equation chains, `\approx` and named left sides, inequalities as intervals, equations as
    /// multiples, array matrices, `\pm`, brace/semicolon/"and" lists, boxes in a row against a list gold, `{,}` and
    /// spaced commas, compound units, "pct", choice letters, "final answer is", a number after the last math span,
    /// one-line inline math; and the ×100 percent rule only when one side has the percent sign.
    public static let semantic = "1.3.0"

    /// Every rule table, in one canonical text.
    static var rules: String {
        let limits = GradingLimits.standard
        return [
            "unitWords=" + AnswerNormalizer.unitWords.sorted().joined(separator: ","),
            "percentWords=" + AnswerNormalizer.percentWords.sorted().joined(separator: ","),
            "renamed=" + LatexCommands.renamed.sorted { $0.key < $1.key }.map { "\($0.key)>\($0.value)" }.joined(separator: ","),
            "greek=" + LatexCommands.greek.sorted().joined(separator: ","),
            "functions=" + MathExpression.functions.sorted().joined(separator: ","),
            "textCommands=" + TextGroups.textCommands.sorted().joined(separator: ","),
            "fontCommands=" + TextGroups.fontCommands.sorted().joined(separator: ","),
            "escaped=" + LatexToken.escapedSymbols.sorted { $0.key.value < $1.key.value }.map { "\($0.key)>\($0.value)" }.joined(separator: ","),
            "tolerance=\(ScalarEquivalence.relativeTolerance),\(ScalarEquivalence.absoluteTolerance),\(ScalarEquivalence.samplePoints)",
            "shapeDepth=\(MathEquivalence.maxShapeDepth)", "boxedAttempts=\(AnswerExtractor.maxBoxedAttempts)", "boxedRun=\(AnswerExtractor.maxBoxedRun)",
            "limits=\(String(describing: limits))",
        ].joined(separator: "\n")
    }

    /// "1.2.0+3f9c2a1b7e04": the semantic version and the first 12 hex digits of the rules' SHA-256.
    public static let current: String = semantic + "+" + String(SHA256Hasher.hex(Array(rules.utf8)).prefix(12))
}
