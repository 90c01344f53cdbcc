public import Foundation

/// The parts of PEFT's adapter_config.json that decide how a LoRA adapter is applied.
///
/// Only what Sky applies exactly is accepted: plain LoRA (no DoRA, no per-module rank or alpha patterns),
/// bias "none", fan_in_fan_out false and no extra trained modules. Anything else is an error naming the field.
public struct LoRAAdapterConfig: Sendable, Equatable {
    /// Rank r.
    public var rank: Int
    /// lora_alpha.
    public var alpha: Float
    /// Projections that carry adapters.
    public var targets: Set<LoRAModule>
    /// rsLoRA: alpha/√r instead of alpha/r.
    public var useRSLoRA: Bool

    /// A config from its values.
    public init(rank: Int, alpha: Float, targets: Set<LoRAModule>, useRSLoRA: Bool) {
        self.rank = rank
        self.alpha = alpha
        self.targets = targets
        self.useRSLoRA = useRSLoRA
    }

    /// PEFT's `scaling`: alpha/r, or alpha/√r with rsLoRA.
    public var scaling: Float {
        useRSLoRA ? alpha / Float(rank).squareRoot() : alpha / Float(rank)
    }

    /// Parses adapter_config.json's bytes.
    public init(json data: Data) throws(LoRAAdapterError) {
        guard let object = try? JSONSerialization.jsonObject(with: data), let dict = object as? [String: Any] else {
            throw .invalidConfig(field: "(root)", problem: "not a JSON object")
        }
        func fail(_ field: String, _ problem: String) -> LoRAAdapterError { .invalidConfig(field: field, problem: problem) }
        guard let type = dict["peft_type"] as? String else { throw fail("peft_type", "missing or not a string") }
        guard type == "LORA" else { throw fail("peft_type", "'\(type)' is not supported (only LORA)") }
        guard let r = JSONNumbers.integer(dict["r"]), r > 0 else { throw fail("r", "must be a positive integer, found \(Self.show(dict["r"]))") }
        guard let alpha = JSONNumbers.double(dict["lora_alpha"]), alpha.isFinite else {
            throw fail("lora_alpha", "must be a number, found \(Self.show(dict["lora_alpha"]))")
        }
        guard let names = dict["target_modules"] as? [String], !names.isEmpty else {
            throw fail("target_modules", "must be a non-empty list of module names (a regex string is not supported), found \(Self.show(dict["target_modules"]))")
        }
        var targets = Set<LoRAModule>()
        for name in names {
            guard let module = LoRAModule(rawValue: name) else {
                throw fail("target_modules", "'\(name)' is not a projection Sky adapts (\(LoRAModule.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            targets.insert(module)
        }
        let rs = dict["use_rslora"] ?? false
        guard JSONNumbers.isBool(rs) || rs is Bool, let useRS = rs as? Bool else { throw fail("use_rslora", "must be true or false") }
        if let bias = dict["bias"], !(bias is NSNull) {
            guard bias as? String == "none" else { throw fail("bias", "only \"none\" is supported, found \(Self.show(bias))") }
        }
        if let flag = dict["fan_in_fan_out"] as? Bool, flag { throw fail("fan_in_fan_out", "only false is supported") }
        if let flag = dict["use_dora"] as? Bool, flag { throw fail("use_dora", "DoRA is not supported") }
        for field in ["modules_to_save", "layers_to_transform"] {
            if let value = dict[field], !(value is NSNull) { throw fail(field, "must be null, found \(Self.show(value))") }
        }
        for field in ["rank_pattern", "alpha_pattern"] {
            if let value = dict[field], !(value is NSNull), (value as? [String: Any])?.isEmpty != true {
                throw fail(field, "per-module ranks or alphas are not supported, found \(Self.show(value))")
            }
        }
        self.init(rank: r, alpha: Float(alpha), targets: targets, useRSLoRA: useRS)
    }

    private static func show(_ value: Any?) -> String {
        guard let value else { return "nothing" }
        if let data = try? JSONSerialization.data(withJSONObject: [value], options: [.fragmentsAllowed]),
           let text = String(data: data, encoding: .utf8) {
            return String(text.dropFirst().dropLast())
        }
        return "\(value)"
    }
}
