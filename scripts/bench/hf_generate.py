#!/usr/bin/env python3
"""Hugging Face side of `skyctl bench generate`: the same model directory, batch, prompts and greedy decode length.

Loads the directory with transformers' AutoModelForCausalLM (bf16 on the GPU by default), builds the same prompts
as Sky ((i * 7919 + b * 104729) % vocab for token i of sequence b), warms up, then per round times the prefill alone
(one forward of the prompts) and `generate` of --new-tokens greedy tokens (min_new_tokens = max_new_tokens, so no
sequence stops early); decode tokens/s = batch x new tokens / (generate - prefill). On a GPU it also measures the
device-to-device copy bandwidth, against which both sides' bytes per decode step give a bound.
"""
import argparse
import json
import statistics
import time

import torch
from transformers import AutoModelForCausalLM


def sync(device):
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def bandwidth(device):
    """Bytes read plus written per second by a 1 GiB device-to-device copy (best of 5); None on the CPU."""
    if not device.startswith("cuda"):
        return None
    a = torch.empty(1 << 28, dtype=torch.float32, device=device)
    b = torch.empty_like(a)
    best = None
    for _ in range(5):
        sync(device)
        start = time.perf_counter()
        b.copy_(a)
        sync(device)
        seconds = time.perf_counter() - start
        best = seconds if best is None else min(best, seconds)
    return 2 * a.numel() * 4 / best


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--dtype", default="bfloat16", choices=["float32", "bfloat16"])
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--prompt-tokens", type=int, default=16)
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    model = AutoModelForCausalLM.from_pretrained(args.model, torch_dtype=getattr(torch, args.dtype)).to(args.device).eval()
    vocab = model.config.vocab_size
    ids = torch.tensor([[(i * 7919 + b * 104729) % vocab for i in range(args.prompt_tokens)] for b in range(args.batch)],
                       device=args.device)
    mask = torch.ones_like(ids)
    kwargs = dict(attention_mask=mask, do_sample=False, pad_token_id=0, eos_token_id=None)
    with torch.no_grad():
        model.generate(ids, max_new_tokens=2, min_new_tokens=2, **kwargs)
        rates, prefills = [], []
        for _ in range(args.rounds):
            sync(args.device)
            start = time.perf_counter()
            model(input_ids=ids, attention_mask=mask)
            sync(args.device)
            prefill = time.perf_counter() - start
            start = time.perf_counter()
            out = model.generate(ids, max_new_tokens=args.new_tokens, min_new_tokens=args.new_tokens, **kwargs)
            sync(args.device)
            whole = time.perf_counter() - start
            produced = (out.shape[1] - ids.shape[1]) * args.batch
            rates.append(produced / max(1e-9, whole - prefill))
            prefills.append(prefill)
    result = {"torch": torch.__version__, "device": args.device, "dtype": args.dtype, "batch": args.batch,
              "new_tokens": args.new_tokens, "decode_tokens_per_s": statistics.median(rates), "decode_tokens_per_s_rounds": rates,
              "prefill_s": statistics.median(prefills), "bandwidth_bytes_per_s": bandwidth(args.device)}
    if args.json:
        print(json.dumps(result, sort_keys=True))
    else:
        print(f"hf generate ({args.dtype} on {args.device}), batch {args.batch}: {result['decode_tokens_per_s']:.0f} tokens/s")


if __name__ == "__main__":
    main()
