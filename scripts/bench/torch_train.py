#!/usr/bin/env python3
"""PyTorch side of `skyctl bench train`: the same model, batch, sequence length, threads, AdamW and LoRA config.

Loads the Hugging Face directory `skyctl model init --preset 25m` writes with transformers' Qwen2ForCausalLM in
float32 on the CPU, trains on random tokens (every token labelled, no padding) with AdamW and global-norm
clipping at 1.0 (Sky's defaults), LoRA through PEFT, and prints tokens/s medians (min-max) over interleaved
rounds, model GFLOP/s counted exactly as Sky counts them (see TrainingFlops.swift), and peak memory.
"""
import argparse
import json
import os
import statistics
import time

import torch
from transformers import Qwen2ForCausalLM

TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def rss():
    """(VmRSS, VmHWM) in bytes from /proc/self/status."""
    fields = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                name, value = line.split(":")
                fields[name] = int(value.split()[0]) * 1024
    return fields.get("VmRSS"), fields.get("VmHWM")


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def flops_per_step(cfg, mode, tokens, seq_len, lora_params):
    c, f, v, layers = cfg.hidden_size, cfg.intermediate_size, cfg.vocab_size, cfg.num_hidden_layers
    hd = c // cfg.num_attention_heads
    q, kv = cfg.num_attention_heads * hd, cfg.num_key_value_heads * hd
    per_layer = c * q + q + 2 * (c * kv + kv) + q * c + 3 * c * f + 2 * c  # Qwen2: q/k/v biases; two norms
    p = layers * per_layer + c + v * c  # + final norm + the LM head GEMM (the embedding gather counts 0)
    attention = 12 * layers * tokens * q * (seq_len + 1) / 2
    if mode == "full":
        return 6 * p * tokens + attention
    return 4 * p * tokens + 6 * lora_params * tokens + attention


def sync(args):
    """Waits for the GPU's queued work, so a timing ends with the work itself (nothing to wait for on the CPU)."""
    if args.device.startswith("cuda"):
        torch.cuda.synchronize()


def build(args, mode):
    model = Qwen2ForCausalLM.from_pretrained(args.model, torch_dtype=getattr(torch, args.dtype)).to(args.device)
    model.config.use_cache = False
    if args.gradient_checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    lora_params = 0
    if mode == "lora":
        from peft import LoraConfig, get_peft_model
        config = LoraConfig(r=args.lora_rank, lora_alpha=args.lora_alpha or 2 * args.lora_rank, lora_dropout=0.0,
                            target_modules=args.lora_targets.split(","), bias="none", task_type="CAUSAL_LM")
        model = get_peft_model(model, config)
        lora_params = sum(p.numel() for p in model.parameters() if p.requires_grad)
        if args.gradient_checkpointing:
            model.enable_input_require_grads()
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=1e-5, weight_decay=0.0)
    return model, params, optimizer, lora_params


def step(model, params, optimizer, ids):
    loss = model(input_ids=ids, labels=ids).loss
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, 1.0)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    return loss.item()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True, help="Hugging Face directory (skyctl model init --preset 25m)")
    parser.add_argument("--seq-len", type=int, default=512)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--modes", default="full,lora")
    parser.add_argument("--lora-rank", type=int, default=8)
    parser.add_argument("--lora-alpha", type=float, default=None)
    parser.add_argument("--lora-targets", default=",".join(TARGETS))
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--steps", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--gradient-checkpointing", action="store_true")
    parser.add_argument("--device", default="cpu", help="cpu, or cuda beside `skyctl bench train --backend cuda`")
    parser.add_argument("--dtype", default="float32", choices=["float32", "bfloat16"])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(7)

    modes = args.modes.split(",")
    tokens = args.batch * args.seq_len
    runs = {}
    for mode in modes:
        reset_peak()
        before, _ = rss()
        model, params, optimizer, lora_params = build(args, mode)
        ids = torch.randint(0, model.config.vocab_size, (args.batch, args.seq_len)).to(args.device)
        if args.device.startswith("cuda"):
            torch.cuda.reset_peak_memory_stats()
            before = torch.cuda.memory_allocated()
        step(model, params, optimizer, ids)  # warm-up, and the step the peak memory is read after
        sync(args)
        # On the GPU the figure is device memory (PyTorch's allocator), not the host's.
        peak = torch.cuda.max_memory_allocated() if args.device.startswith("cuda") else rss()[1]
        runs[mode] = {"model": model, "params": params, "optimizer": optimizer, "ids": ids, "seconds": [],
                      "flops": flops_per_step(model.config, mode, tokens, args.seq_len, lora_params),
                      "baseline_rss_bytes": before, "peak_rss_bytes": peak, "measured_bytes": peak - before}
    for _ in range(args.rounds):
        for mode in modes:
            run = runs[mode]
            started = time.perf_counter()
            for _ in range(args.steps):
                step(run["model"], run["params"], run["optimizer"], run["ids"])
            sync(args)
            run["seconds"].append((time.perf_counter() - started) / args.steps)

    load = list(os.getloadavg())
    result = {"threads": args.threads, "torch": torch.__version__, "device": args.device, "dtype": args.dtype, "batch": args.batch, "seq_len": args.seq_len,
              "tokens_per_step": tokens, "rounds": args.rounds, "gradient_checkpointing": args.gradient_checkpointing,
              "load_average": load, "modes": {}}
    for mode in modes:
        run = runs[mode]
        tps = [tokens / s for s in run["seconds"]]
        result["modes"][mode] = {
            "tokens_per_s": statistics.median(tps), "tokens_per_s_min": min(tps), "tokens_per_s_max": max(tps),
            "gflops": statistics.median(run["flops"] / s / 1e9 for s in run["seconds"]), "flops_per_step": run["flops"],
            "seconds_per_step": run["seconds"], "baseline_rss_bytes": run["baseline_rss_bytes"],
            "peak_rss_bytes": run["peak_rss_bytes"], "measured_bytes": run["measured_bytes"]}
    if args.json:
        print(json.dumps(result, sort_keys=True))
        return
    print(f"torch {torch.__version__} train bench: {args.threads} thread(s), {args.rounds} round(s), batch {args.batch} x "
          f"{args.seq_len} tokens; load average {' '.join(f'{x:.2f}' for x in load)}")
    mib = 1024 * 1024
    for mode, m in result["modes"].items():
        print(f"{mode}: {m['tokens_per_s']:.0f} ({m['tokens_per_s_min']:.0f}-{m['tokens_per_s_max']:.0f}) tokens/s; "
              f"{m['gflops']:.1f} GFLOP/s; peak {m['measured_bytes'] / mib:.1f} MiB over the "
              f"{m['baseline_rss_bytes'] / mib:.1f} MiB before the model")


if __name__ == "__main__":
    main()
