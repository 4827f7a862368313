#!/usr/bin/env python3
"""Writes the small TorchScript programs the native backend runs its encoder layers with.

- `encoder_layer.pt` runs one post-LayerNorm BERT / XLM-RoBERTa encoder layer, in the number format
  of its weights: fp32, or bf16 with fp32 LayerNorm and an fp32 residual stream. The batch comes
  packed without padding. Its attention is libtorch's fused `scaled_dot_product_attention`, which
  never materialises the [heads, T, T] scores. As the last layer (first_only), it computes keys
  and values for every token but everything else for each row's first token only, the one the
  classification head reads. In bf16, matmul, softmax, matmul ran about 10%
  faster, but only while oneDNN caches a primitive for every row length of a batch; with the caches
  capped (see NativeMemory) it ran at half speed, and the fused kernel does not depend on them.
- `to_bf16.pt` casts a tensor to bf16: DJL 0.36 aborts the JVM when Java creates or converts to
  BFLOAT16 arrays, but tensors made inside a TorchScript program are fine.
- `encoder_layer_onednn.pt` is the same layer with every linear run by oneDNN
  (`mkldnn::_linear_pointwise`, the activation fused into the first FFN linear), for CPUs;
  libtorch's default fp32 route (MKL) ran about 1.6x slower on this AMD EPYC. The portable
  `encoder_layer.pt` stays for devices and builds without oneDNN.
- `reranker-bench/.../onednn_linear.pt` is oneDNN's bare linear, for the benchmark's
  matrix-multiply reference.

They hold code only, no weights. Debian's python3-torch is 1.13, which predates
`scaled_dot_product_attention` (torch 2.0), so the layer is scripted with a placeholder call and the
saved source is patched: a TorchScript archive keeps the code as text, and libtorch compiles it when
it loads the file, so DJL's libtorch 2.7 resolves the real operator. Regenerate with

  /usr/bin/python3 reranker-djl/scripts/make_layer_programs.py
"""
import io
import os
import zipfile

from typing import List

import torch
import torch.nn.functional as F

ATTENTION = [("torch.addcmul(q, k, v)", "torch.scaled_dot_product_attention(q, k, v)"),
             ("torch.addcmul(q1, k1, v1)", "torch.scaled_dot_product_attention(q1, k1, v1)")]


class ToBf16(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.to(torch.bfloat16)


class EncoderLayer(torch.nn.Module):
    """One layer over a batch packed without padding. x: [N, H] fp32, the real tokens of every row
    one after another; lengths: [B] int64, each row's token count (they sum to N); the matrices and
    their biases are fp32 or bf16 (the layer computes in their format), LayerNorm's fp32; heads,
    act: int64 scalars (act 0 gelu, 1 gelu tanh, 2 relu); eps: fp32 scalar; first_only: int64
    scalar, 1 for the last layer. Returns [N, H] fp32, or with first_only [B, H], each row's first
    token only.

    Every dense step runs on real tokens only, and attention runs row by row over exactly that
    row's tokens, so no work goes to padding and no mask is needed: Hugging Face's mask gives
    padding exactly zero weight, so the result is the same."""

    def forward(self, x: torch.Tensor, lengths: torch.Tensor,
                wq: torch.Tensor, bq: torch.Tensor, wk: torch.Tensor, bk: torch.Tensor,
                wv: torch.Tensor, bv: torch.Tensor, wo: torch.Tensor, bo: torch.Tensor,
                g1: torch.Tensor, b1: torch.Tensor, wi: torch.Tensor, bi: torch.Tensor,
                wo2: torch.Tensor, bo2: torch.Tensor, g2: torch.Tensor, b2: torch.Tensor,
                heads: torch.Tensor, eps: torch.Tensor, act: torch.Tensor,
                first_only: torch.Tensor) -> torch.Tensor:
        h = x.size(1)
        n = int(heads.item())
        d = h // n
        e = float(eps.item())
        xc = x.to(wq.dtype)
        rows: List[int] = lengths.tolist()
        pieces: List[torch.Tensor] = []
        start = 0
        if bool(first_only.item()):
            # The last layer, whose output only the classification head reads, and the head reads
            # each row's first token: keys and values for every token, but the query, attention,
            # output projection and feed-forward for the first tokens only. The same values as the
            # full layer's first rows, for about a sixth of its work.
            starts = torch.cumsum(lengths, 0) - lengths
            residual = x.index_select(0, starts)
            query = F.linear(xc.index_select(0, starts), wq, bq)
            kv = F.linear(xc, torch.cat([wk, wv], 0), torch.cat([bk, bv], 0))
            for i, t in enumerate(rows):
                r = kv[start:start + t].view(t, 2, n, d).permute(1, 2, 0, 3)
                q1 = query[i].view(1, n, 1, d)
                k1 = r[0].unsqueeze(0)
                v1 = r[1].unsqueeze(0)
                ctx = torch.addcmul(q1, k1, v1)  # patched to scaled_dot_product_attention(q1, k1, v1)
                pieces.append(ctx.reshape(1, h))
                start += t
        else:
            residual = x
            # One multiply for query, key and value: a 3H-wide output keeps the cores busier than
            # three H-wide ones (MiniLM's layer ran about 3% faster). The weights are joined on every
            # call, a copy of 3 H x H values, so training still updates the separate tensors.
            qkv = F.linear(xc, torch.cat([wq, wk, wv], 0), torch.cat([bq, bk, bv], 0))
            for t in rows:
                # [3, heads, t, d], then [1, heads, t, d] each: the 4-d layout libtorch's fused
                # attention kernel takes (strided views, no copy)
                r = qkv[start:start + t].view(t, 3, n, d).permute(1, 2, 0, 3)
                q = r[0].unsqueeze(0)
                k = r[1].unsqueeze(0)
                v = r[2].unsqueeze(0)
                ctx = torch.addcmul(q, k, v)  # patched to scaled_dot_product_attention(q, k, v)
                pieces.append(ctx.squeeze(0).transpose(0, 1).reshape(t, h))
                start += t
        context = torch.cat(pieces, 0)
        attended = F.linear(context, wo, bo).float() + residual
        x1 = F.layer_norm(attended, [h], g1, b1, e)
        xi = x1.to(wi.dtype)
        a = int(act.item())
        # Each activation applied straight to its linear, so the oneDNN program can fuse the two.
        if a == 0:
            inner = F.gelu(F.linear(xi, wi, bi))
        elif a == 1:
            inner = F.gelu(F.linear(xi, wi, bi), approximate="tanh")
        else:
            inner = F.relu(F.linear(xi, wi, bi))
        out = F.linear(inner, wo2, bo2).float() + x1
        return F.layer_norm(out, [h], g2, b2, e)


def save(module, path, patches=()):
    """Scripts and saves a module, applying each (old, new) text patch exactly once to its code.
    The source-range tables (*.debug_pkl) are dropped: they describe the unpatched text."""
    buffer = io.BytesIO()
    torch.jit.save(torch.jit.script(module), buffer)
    pending = dict(patches)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as target:
        for name in source.namelist():
            if name.endswith(".debug_pkl"):
                continue
            data = source.read(name)
            if name.endswith(".py"):
                text = data.decode("utf-8")
                for old, new in list(pending.items()):
                    if text.count(old) == 1:
                        text = text.replace(old, new)
                        del pending[old]
                data = text.encode("utf-8")
            # A fixed timestamp: regenerating unchanged programs gives identical files.
            target.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
    if pending:
        raise SystemExit("patch not applied to %s: %s" % (path, list(pending)))


def onednn(args, attr, algorithm="none"):
    """libtorch's oneDNN linear with a fused activation, as it reads in a TorchScript archive."""
    return 'ops.mkldnn._linear_pointwise(%s, "%s", annotate(List[Optional[number]], []), "%s")' % (
        args, attr, algorithm)


# encoder_layer_onednn.pt: every linear runs through oneDNN, the activation fused into the first
# FFN linear. On this AMD EPYC, oneDNN's fp32 multiply ran about 1.6x libtorch's default (MKL) route.
ONEDNN_LINEARS = [
    ("torch.linear(xc, torch.cat([wq, wk, wv]), torch.cat([bq, bk, bv]))",
     onednn("xc, torch.cat([wq, wk, wv]), torch.cat([bq, bk, bv])", "none")),
    ("torch.linear(torch.index_select(xc, 0, starts), wq, bq)",
     onednn("torch.index_select(xc, 0, starts), wq, bq", "none")),
    ("torch.linear(xc, torch.cat([wk, wv]), torch.cat([bk, bv]))",
     onednn("xc, torch.cat([wk, wv]), torch.cat([bk, bv])", "none")),
    ("torch.linear(context, wo, bo)", onednn("context, wo, bo", "none")),
    ("torch.gelu(torch.linear(xi, wi, bi))", onednn("xi, wi, bi", "gelu")),
    ('torch.gelu(torch.linear(xi, wi, bi), approximate="tanh")', onednn("xi, wi, bi", "gelu", "tanh")),
    ("__torch__.torch.nn.functional.relu(torch.linear(xi, wi, bi), False, )", onednn("xi, wi, bi", "relu")),
    ("torch.linear(inner, wo2, bo2)", onednn("inner, wo2, bo2", "none")),
]


class OneDnnLinear(torch.nn.Module):
    """a @ b.T through oneDNN, for the benchmark's matrix-multiply reference (reranker-bench)."""

    def forward(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return torch.addcmul(a, b, b)  # patched to oneDNN's linear


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.path.join(here, "..", "src", "main", "resources", "dev", "reranker", "djl", "internal", "nativemodel")
    bench = os.path.join(here, "..", "..", "reranker-bench", "src", "main", "resources", "dev", "reranker", "bench")
    os.makedirs(target, exist_ok=True)
    os.makedirs(bench, exist_ok=True)
    save(ToBf16(), os.path.join(target, "to_bf16.pt"))
    save(EncoderLayer(), os.path.join(target, "encoder_layer.pt"), ATTENTION)
    save(EncoderLayer(), os.path.join(target, "encoder_layer_onednn.pt"), ATTENTION + ONEDNN_LINEARS)
    save(OneDnnLinear(), os.path.join(bench, "onednn_linear.pt"),
         [("torch.addcmul(a, b, b)", onednn("a, b, None", "none"))])
    print("wrote", os.path.normpath(target), "and", os.path.normpath(bench))


if __name__ == "__main__":
    main()
