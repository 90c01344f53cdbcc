import Foundation
import SkyCUDAFake
import SkyModel
import SkyNumericsTestSupport
import SkyTensor
import SkyTrain
import Testing

/// Whole training steps on the CUDA backend over the fake driver against the BLAS backend: a full fine-tuning step
/// and a LoRA step (dropout included) on a tiny model take the same losses, gradient norms and parameters.
///
/// This checks the CUDA backend's orchestration through the real trainer — every op, view and buffer a step uses —
/// not the kernels' arithmetic on a GPU (the fake runs CPU references of them); scripts/gpu/selftest.sh does that.
@Suite struct CUDAFakeTrainingTests {
    static let options = TrainerOptions(adamW: AdamWHyper(lr: 0.01, weightDecay: 0.01), schedule: LRSchedule(.constant, totalSteps: 3))

    @Test(arguments: [TrainingMode.full, .lora(LoRAConfig(rank: 2, dropout: 0.1))])
    func threeStepsMatchTheBLASBackend(mode: TrainingMode) throws {
        let driver = FakeCUDADriver()
        let cuda = try CUDABackend(driver: driver)
        func run(_ backend: any Backend) throws -> (losses: [Double], norms: [Float], parameters: [Float]) {
            let tiny = TinyModel(backend: backend)
            var trainer = Trainer(config: tiny.config, weights: tiny.parameters().weights, mode: mode, options: Self.options,
                                  backend: backend, maxPositions: 16)
            var losses: [Double] = [], norms: [Float] = []
            for _ in 0..<3 {
                let result = try trainer.step([TinyModel.batch])
                losses.append(result.loss)
                norms.append(result.gradNorm)
            }
            return (losses, norms, backend.toArray(trainer.parameters))
        }
        let blas = try run(BLASBackend(threads: 1)), device = try run(cuda)
        // Three steps of forward, backward and AdamW: the backward bound per step, relative to the values' scale.
        let bound = 3 * TinyModel.backwardBound
        #expect(zip(blas.losses, device.losses).allSatisfy { abs($0 - $1) <= bound * max(1, abs($0)) }, "\(blas.losses) vs \(device.losses)")
        #expect(zip(blas.norms, device.norms).allSatisfy { Double(abs($0 - $1)) <= bound * Double(max(1, $0)) }, "\(blas.norms) vs \(device.norms)")
        let difference = Float32Bounds.largestDifference(blas.parameters, device.parameters)
        #expect(difference <= bound * max(1, Float32Bounds.scale(blas.parameters)), "parameters differ by \(difference)")
        #expect(driver.problems.isEmpty, "\(driver.problems)")
        #expect(driver.launches["sky_adamw", default: 0] >= 3 && driver.launches["sky_attention_backward_kv", default: 0] > 0)
    }
}
