import Foundation
import SkyModel
import SkyTrain

/// The whole Qwen2/Llama forward and mean label loss in Float64 loops over Hugging Face–named parameters:
/// the function whole-model gradient checks differentiate by central differences.
struct NaiveModel {
    let config: ModelConfig

    /// Σ losses over label tokens / label tokens, one sequence at a time.
    func meanLoss(_ p: [String: [Double]], batch: [TrainingSequence]) -> Double {
        let total = batch.reduce(0) { $0 + $1.labelTokenCount }
        return batch.reduce(0.0) { $0 + lossSum(p, $1) } / Double(total)
    }

    private func lossSum(_ p: [String: [Double]], _ sequence: TrainingSequence) -> Double {
        let c = config.hiddenSize, t = sequence.inputIds.count, hd = config.headDim
        let nh = config.numAttentionHeads, nkv = config.numKeyValueHeads
        var x = sequence.inputIds.flatMap { id in p["model.embed_tokens.weight"]![(Int(id) * c)..<(Int(id) * c + c)] }
        for l in 0..<config.numHiddenLayers {
            let n = "model.layers.\(l)."
            let h = rmsNorm(x, p[n + "input_layernorm.weight"]!)
            var q = linear(h, p[n + "self_attn.q_proj.weight"]!, p[n + "self_attn.q_proj.bias"], rows: t)
            var k = linear(h, p[n + "self_attn.k_proj.weight"]!, p[n + "self_attn.k_proj.bias"], rows: t)
            let v = linear(h, p[n + "self_attn.v_proj.weight"]!, p[n + "self_attn.v_proj.bias"], rows: t)
            q = rope(q, rows: t)
            k = rope(k, rows: t)
            var attended = [Double](repeating: 0, count: t * nh * hd)
            for head in 0..<nh {
                let g = head / (nh / nkv)
                for i in 0..<t {
                    let scores = (0...i).map { j in
                        (0..<hd).reduce(0.0) { $0 + q[i * nh * hd + head * hd + $1] * k[j * nkv * hd + g * hd + $1] } / Double(hd).squareRoot()
                    }
                    let probs = softmax(scores)
                    for d in 0..<hd {
                        attended[i * nh * hd + head * hd + d] = (0...i).reduce(0.0) { $0 + probs[$1] * v[$1 * nkv * hd + g * hd + d] }
                    }
                }
            }
            x = zip(x, linear(attended, p[n + "self_attn.o_proj.weight"]!, nil, rows: t)).map(+)
            let h2 = rmsNorm(x, p[n + "post_attention_layernorm.weight"]!)
            let gate = linear(h2, p[n + "mlp.gate_proj.weight"]!, nil, rows: t), up = linear(h2, p[n + "mlp.up_proj.weight"]!, nil, rows: t)
            let hidden = zip(gate, up).map { g, u in g / (1 + Foundation.exp(-g)) * u }
            x = zip(x, linear(hidden, p[n + "mlp.down_proj.weight"]!, nil, rows: t)).map(+)
        }
        let head = p[config.tieWordEmbeddings ? "model.embed_tokens.weight" : "lm_head.weight"]!
        let logits = linear(rmsNorm(x, p["model.norm.weight"]!), head, nil, rows: t)
        let v = config.vocabSize
        return zip(0..<t, sequence.shiftedTargets).reduce(0.0) { sum, item in
            let (r, target) = item
            if target == LossMask.ignore { return sum }
            let row = Array(logits[(r * v)..<(r * v + v)])
            let top = row.max()!
            return sum + Foundation.log(row.reduce(0) { $0 + Foundation.exp($1 - top) }) + top - row[Int(target)]
        }
    }

    private func linear(_ x: [Double], _ w: [Double], _ b: [Double]?, rows: Int) -> [Double] {
        let input = x.count / rows, output = w.count / input
        return (0..<(rows * output)).map { e in
            let r = e / output, j = e % output
            return (0..<input).reduce(b?[j] ?? 0) { $0 + x[r * input + $1] * w[j * input + $1] }
        }
    }

    private func rmsNorm(_ x: [Double], _ w: [Double]) -> [Double] {
        let c = w.count
        return x.indices.map { e in
            let r = e / c
            let ms = (0..<c).reduce(0.0) { $0 + x[r * c + $1] * x[r * c + $1] } / Double(c)
            return w[e % c] * x[e] / (ms + Double(config.rmsNormEps)).squareRoot()
        }
    }

    private func rope(_ x: [Double], rows: Int) -> [Double] {
        let hd = config.headDim, half = hd / 2, width = x.count / rows
        var out = x
        for r in 0..<rows {
            for h in stride(from: 0, to: width, by: hd) {
                for i in 0..<half {
                    let angle = Double(r) / Foundation.pow(config.ropeTheta, Double(2 * i) / Double(hd))
                    let a = r * width + h + i, b = a + half
                    out[a] = x[a] * Foundation.cos(angle) - x[b] * Foundation.sin(angle)
                    out[b] = x[b] * Foundation.cos(angle) + x[a] * Foundation.sin(angle)
                }
            }
        }
        return out
    }

    private func softmax(_ row: [Double]) -> [Double] {
        let top = row.max()!
        let e = row.map { Foundation.exp($0 - top) }, total = e.reduce(0, +)
        return e.map { $0 / total }
    }
}
