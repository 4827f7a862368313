#!/usr/bin/env python3
"""Writes the two small TorchScript programs behind the native backend's bf16 mode.

DJL 0.36 aborts the JVM when Java creates or converts to BFLOAT16 arrays, and its eager softmax
aborts on bf16, but libtorch runs bf16 fine inside a TorchScript module. So the bf16 path hands
tensors to these modules: `to_bf16.pt` casts, `bf16_layer.pt` runs one encoder layer (post-
LayerNorm BERT / XLM-RoBERTa) with bf16 matrix multiplies and fp32 softmax and LayerNorm. They hold
code only, no weights. Regenerate with Debian's python3-torch (1.13; libtorch 2.7 loads them):

  /usr/bin/python3 reranker-djl/scripts/make_bf16_modules.py
"""
import math
import os

import torch
import torch.nn.functional as F


class ToBf16(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.to(torch.bfloat16)


class Bf16Layer(torch.nn.Module):
    """x: [B, T, H] bf16; bias: [B, 1, 1, T] fp32 (0 or the most negative float); weights bf16
    except LayerNorm's, fp32; heads, act: int64 scalars (act 0 gelu, 1 gelu tanh, 2 relu);
    eps: fp32 scalar."""

    def forward(self, x: torch.Tensor, bias: torch.Tensor,
                wq: torch.Tensor, bq: torch.Tensor, wk: torch.Tensor, bk: torch.Tensor,
                wv: torch.Tensor, bv: torch.Tensor, wo: torch.Tensor, bo: torch.Tensor,
                g1: torch.Tensor, b1: torch.Tensor, wi: torch.Tensor, bi: torch.Tensor,
                wo2: torch.Tensor, bo2: torch.Tensor, g2: torch.Tensor, b2: torch.Tensor,
                heads: torch.Tensor, eps: torch.Tensor, act: torch.Tensor) -> torch.Tensor:
        b = x.size(0)
        t = x.size(1)
        h = x.size(2)
        n = int(heads.item())
        d = h // n
        e = float(eps.item())
        q = F.linear(x, wq, bq).view(b, t, n, d).transpose(1, 2)
        k = F.linear(x, wk, bk).view(b, t, n, d).transpose(1, 2)
        v = F.linear(x, wv, bv).view(b, t, n, d).transpose(1, 2)
        scores = torch.matmul(q * (1.0 / math.sqrt(d)), k.transpose(-1, -2)) + bias.to(torch.bfloat16)
        probs = torch.softmax(scores, dim=-1)
        ctx = torch.matmul(probs, v).transpose(1, 2).reshape(b, t, h)
        attended = F.linear(ctx, wo, bo).float() + x.float()
        x1 = F.layer_norm(attended, [h], g1, b1, e)
        x1b = x1.to(torch.bfloat16)
        inner = F.linear(x1b, wi, bi)
        a = int(act.item())
        if a == 0:
            inner = F.gelu(inner)
        elif a == 1:
            inner = F.gelu(inner, approximate="tanh")
        else:
            inner = F.relu(inner)
        out = F.linear(inner, wo2, bo2).float() + x1
        return F.layer_norm(out, [h], g2, b2, e).to(torch.bfloat16)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "src", "main", "resources", "dev", "reranker", "djl", "internal", "nativemodel")
    os.makedirs(target, exist_ok=True)
    torch.jit.script(ToBf16()).save(os.path.join(target, "to_bf16.pt"))
    torch.jit.script(Bf16Layer()).save(os.path.join(target, "bf16_layer.pt"))
    print("wrote", os.path.normpath(target))


if __name__ == "__main__":
    main()
