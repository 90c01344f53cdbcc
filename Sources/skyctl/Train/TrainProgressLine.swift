import Foundation
import SkyTrain

/// One line of `skyctl train` output: a bar, the step, the loss and the rates.
struct TrainProgressLine {
    /// The rendered line.
    let text: String

    init(_ report: StepReport, width: Int = 20) {
        let filled = report.totalSteps > 0 ? width * report.step / report.totalSteps : width
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        var text = "[\(bar)] step \(report.step)/\(report.totalSteps)  "
            + String(format: "loss %.4f  lr %.2e  grad %.3f  %.0f tok/s  %.1f s", report.loss, Double(report.learningRate),
                     Double(report.gradNorm), report.tokensPerSecond, report.elapsedSeconds)
        if let evalLoss = report.evalLoss { text += String(format: "  eval %.4f", evalLoss) }
        self.text = text
    }
}
