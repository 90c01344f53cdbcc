import Foundation
import SkyEval

/// The benchmark files made by scripts/fixtures/make_eval_fixtures.py.
enum EvalFixtures {
    static let root: URL = {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("Fixtures resource folder missing from the test bundle")
        }
        return url
    }()

    static func benchmark(_ name: String) -> URL { root.appendingPathComponent("benchmarks/\(name)") }

    /// Loads `text` as a benchmark (for error cases), returning the error it throws.
    static func loadError(_ text: String, format: BenchmarkFormat? = nil) -> BenchmarkError? {
        do throws(BenchmarkError) {
            _ = try BenchmarkLoader.load(data: Data(text.utf8), name: "t", format: format)
            return nil
        } catch {
            return error
        }
    }
}
