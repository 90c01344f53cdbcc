/// Rewrites LaTeX commands by whole name, so `\left` is removed without touching `\leq`, and spacing
/// commands (`\!`, `\,`, `\;`, `\:`, `\ `) vanish.
enum LatexCommands {
    static let renamed: [String: String] = [
        "dfrac": "\\frac", "tfrac": "\\frac", "left": "", "right": "", "displaystyle": "", "textstyle": "",
        "leq": "\\le", "geq": "\\ge", "leqslant": "\\le", "geqslant": "\\ge", "neq": "\\ne", "lt": "<", "gt": ">",
        "degree": "", "quad": "", "qquad": "", "bigl": "", "bigr": "", "Bigl": "", "Bigr": "", "big": "", "Big": "",
    ]

    static let greek: Set<String> = [
        "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota", "kappa",
        "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega",
        "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega",
    ]

    static func rewrite(_ text: String) -> String {
        let source = LatexText(text)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < source.count {
            let scalar = source[index]
            guard scalar == "\\", index + 1 < source.count else {
                output.append(scalar)
                index += 1
                continue
            }
            let next = source[index + 1]
            if "!,;: ".unicodeScalars.contains(next) {
                index += 2
                continue
            }
            if next == "$" {  // \$ is a currency sign
                index += 2
                continue
            }
            if next == "%" {
                output.append("%")
                index += 2
                continue
            }
            var end = index + 1
            while source.isLetter(at: end) { end += 1 }
            guard end > index + 1 else {  // \{, \}, \\ and friends stay
                output.append(scalar)
                output.append(next)
                index += 2
                continue
            }
            let name = source.string(index + 1..<end)
            // "\\quadx_2" is a space glued to what follows it, as some golds are written.
            if renamed[name] == nil, let space = ["qquad", "quad"].first(where: { name.hasPrefix($0) }) {
                index += 1 + space.count
                continue
            }
            if let replacement = renamed[name] {
                output.append(contentsOf: replacement.unicodeScalars)
                // "\le5" must not become "\le5" glued to a later letter: keep a separator after named commands.
                if replacement.hasPrefix("\\"), source.isLetter(at: end) { output.append(" ") }
            } else {
                output.append(contentsOf: source.scalars[index..<end])
            }
            index = end
        }
        return String(output)
    }
}
