public import Foundation
import SkyCore
public import SkyModel
public import SkyTensor
import SkyWorker

/// The model an eval job samples from: base weights, the adapter applied unmerged, the tokenizer, and the
/// digests that identify both in the results.
public struct EvalModel: Sendable {
    /// The base model with its adapter applied.
    public let model: CausalLM
    /// The model's tokenizer.
    public let tokenizer: Tokenizer
    /// Digest of the model's config and weights.
    public let modelSHA256: String
    /// Digest of the adapter, if any.
    public let adapterSHA256: String?
    /// BLAS threads the backend uses (1 on the GPU, where the host only queues work).
    public let threads: Int
    /// The CPU and OpenBLAS kernels the backend runs on.
    public let device: BackendDevice
    /// The backend the samples are generated on ("blas"): `auto` resolved on this host.
    public let backendName: String
    /// Why `backend: auto` runs on BLAS here, to log; nil when the spec named its backend.
    public let backendNote: String?

    /// Loads `directory` (and `adapter`) on the backend `choice` names ("blas", "cuda", "auto") with `threads` BLAS
    /// threads (nil: every core); throws `BackendUnavailable` when this host cannot start that backend.
    public static func load(directory: URL, adapter: URL?, threads: Int?, backend choice: String = "blas") throws -> EvalModel {
        let (backend, note) = try BackendSelection.make(choice, threads: threads)
        let base: CausalLM, tokenizer: Tokenizer
        do {
            (base, tokenizer) = try ModelDirectory.load(directory, backend: backend)
        } catch {
            throw PermanentJobError("cannot load the model: \(error)")
        }
        var model = base
        if let adapter {
            do {
                let lora = try LoRAAdapter.load(directory: adapter, model: base.config, backend: backend)
                model = try CausalLM(config: base.config, weights: base.weights, adapter: lora, backend: backend, maxPositions: base.rotary.positions)
            } catch {
                throw PermanentJobError("cannot apply the adapter: \(error)")
            }
        }
        return EvalModel(model: model, tokenizer: tokenizer, modelSHA256: try DirectoryDigest.model(directory),
                         adapterSHA256: try adapter.map(DirectoryDigest.adapter),
                         threads: (backend as? BLASBackend)?.threads ?? 1, device: backend.device, backendName: backend.name,
                         backendNote: note)
    }

    /// Tokens that end a sample: the config's end-of-sequence ids and ChatML's end of turn.
    public var stopTokens: Set<Int32> {
        var stops = Set(model.config.eosTokenIds.map { Int32($0) })
        if let end = tokenizer.id(of: "<|im_end|>") { stops.insert(end) }
        return stops
    }

    /// A sample's text without the stop token that ended it.
    public func text(of tokens: [Int32]) -> String {
        let body = tokens.last.map(stopTokens.contains) == true ? Array(tokens.dropLast()) : tokens
        return tokenizer.decode(body)
    }
}
