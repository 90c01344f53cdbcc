public import Foundation

/// How many threads the CPU backend uses, from an explicit value or the environment.
public enum ThreadCount {
    /// Sky's own setting; wins over OpenBLAS's.
    public static let skyVariable = "SKY_NUM_THREADS"
    /// OpenBLAS's setting: people set it to limit BLAS threads, so when Sky's is absent it limits the threads
    /// the backend splits products over (OpenBLAS itself always runs on one).
    public static let openBLASVariable = "OPENBLAS_NUM_THREADS"

    /// The thread count: `explicit`, else SKY_NUM_THREADS, else OPENBLAS_NUM_THREADS, else the core count.
    public static func resolve(explicit: Int? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        if let explicit, explicit > 0 { return explicit }
        for name in [skyVariable, openBLASVariable] {
            if let text = environment[name], let value = Int(text.trimmingCharacters(in: .whitespaces)), value > 0 {
                return value
            }
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }
}
