/// Finds the program in a model's output: the last complete fenced block (```python … ```, ```py, ```python3 or a
/// bare ``` … ```). An unclosed final fence (a generation cut off mid-program) is not a program.
public enum CodeExtractor {
    /// The last complete fenced code block's contents, or nil when there is none.
    public static func lastCodeBlock(in output: String) -> String? {
        var last: String?
        var current: [Substring]?
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if current != nil {
                if trimmed.hasPrefix("```"), trimmed.dropFirst(3).allSatisfy(\.isWhitespace) {
                    last = current!.joined(separator: "\n")
                    current = nil
                } else {
                    current!.append(line)
                }
            } else if trimmed.hasPrefix("```") {
                let language = trimmed.dropFirst(3).trimmingASCIIWhitespace().lowercased()
                if ["", "python", "py", "python3"].contains(language) { current = [] }
            }
        }
        return last
    }
}
