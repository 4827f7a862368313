#!/usr/bin/env python3
"""Makes benchmark models: a random-weight cross-encoder of a real model's shape, as a Hugging Face
checkpoint (config.json + model.safetensors + tokenizer) and as a TorchScript twin (model.pt) with
the same weights, so the native and TorchScript backends can be timed on the same model.

Needs only Debian's python3-torch (no transformers): the BERT / XLM-R forward pass below follows
Hugging Face's modeling code, and `--check FIXTURE_DIR` proves it against a fixture's reference.json.

  /usr/bin/python3 make_models.py --shape minilm-l6 --tokenizer DIR --out OUT_DIR
  /usr/bin/python3 make_models.py --check ../../reranker-djl/src/test/resources/fixtures/tiny-bert
  /usr/bin/python3 make_models.py --from DIR   # DIR/model.pt from DIR's config.json + model.safetensors
  /usr/bin/python3 make_models.py --from DIR --onnx   # DIR/model.onnx (same weights) for ONNX Runtime
"""
import argparse
import json
import math
import os
import shutil
import struct

import torch

SHAPES = {
    # cross-encoder/ms-marco-MiniLM-L-6-v2
    "minilm-l6": dict(model_type="bert", hidden_size=384, num_hidden_layers=6, num_attention_heads=12,
                      intermediate_size=1536, vocab_size=30522, max_position_embeddings=512,
                      type_vocab_size=2, pad_token_id=0, layer_norm_eps=1e-12),
    # BAAI/bge-reranker-base
    "xlmr-base": dict(model_type="xlm-roberta", hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
                      intermediate_size=3072, vocab_size=250002, max_position_embeddings=514,
                      type_vocab_size=1, pad_token_id=1, layer_norm_eps=1e-5),
}

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64}


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        b, e = t["data_offsets"]
        raw = bytearray(data[b:e])
        tensor = torch.frombuffer(raw, dtype=DTYPES[t["dtype"]]) if e > b else torch.empty(0, dtype=DTYPES[t["dtype"]])
        out[name] = tensor.reshape(t["shape"]).float()
    return out


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].contiguous().float()
        raw = t.numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


class CrossEncoder(torch.nn.Module):
    """BertForSequenceClassification / XLMRobertaForSequenceClassification in eval mode."""

    def __init__(self, config, weights):
        super().__init__()
        self.roberta = config["model_type"] != "bert"
        self.heads = config["num_attention_heads"]
        self.eps = config["layer_norm_eps"]
        self.pad = config["pad_token_id"]
        self.layers = config["num_hidden_layers"]
        self.hidden = config["hidden_size"]
        prefix = "roberta." if self.roberta else "bert."
        for name, value in weights.items():
            key = name[len(prefix):] if name.startswith(prefix) else name
            self.register_buffer(key.replace(".", "__"), value)

    def w(self, name):
        return getattr(self, name.replace(".", "__"))

    def dense(self, x, name):
        return torch.nn.functional.linear(x, self.w(name + ".weight"), self.w(name + ".bias"))

    def norm(self, x, name):
        return torch.nn.functional.layer_norm(x, [self.hidden], self.w(name + ".weight"), self.w(name + ".bias"), self.eps)

    def forward(self, input_ids, attention_mask, token_type_ids):
        b, t = input_ids.shape
        if self.roberta:
            mask = input_ids.ne(self.pad).long()
            positions = torch.cumsum(mask, dim=1) * mask + self.pad
        else:
            positions = torch.arange(t).unsqueeze(0).expand(b, t)
        x = (torch.nn.functional.embedding(input_ids, self.w("embeddings.word_embeddings.weight"))
             + torch.nn.functional.embedding(positions, self.w("embeddings.position_embeddings.weight"))
             + torch.nn.functional.embedding(token_type_ids, self.w("embeddings.token_type_embeddings.weight")))
        x = self.norm(x, "embeddings.LayerNorm")
        bias = (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        h = self.hidden
        d = h // self.heads
        for i in range(self.layers):
            p = "encoder.layer.%d." % i
            def split(y):
                return y.view(b, t, self.heads, d).transpose(1, 2)
            q, k, v = (split(self.dense(x, p + "attention.self." + n)) for n in ("query", "key", "value"))
            scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(d) + bias
            ctx = torch.matmul(scores.softmax(-1), v).transpose(1, 2).reshape(b, t, h)
            x = self.norm(self.dense(ctx, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            inner = torch.nn.functional.gelu(self.dense(x, p + "intermediate.dense"))
            x = self.norm(self.dense(inner, p + "output.dense") + x, p + "output.LayerNorm")
        first = x[:, 0]
        if self.roberta:
            return self.dense(torch.tanh(self.dense(first, "classifier.dense")), "classifier.out_proj")
        return self.dense(torch.tanh(self.dense(first, "pooler.dense")), "classifier")


def random_weights(config, labels, seed):
    g = torch.Generator().manual_seed(seed)
    h, i = config["hidden_size"], config["intermediate_size"]
    prefix = "roberta." if config["model_type"] != "bert" else "bert."

    def rnd(*shape):
        return torch.randn(*shape, generator=g) * 0.02

    w = {
        prefix + "embeddings.word_embeddings.weight": rnd(config["vocab_size"], h),
        prefix + "embeddings.position_embeddings.weight": rnd(config["max_position_embeddings"], h),
        prefix + "embeddings.token_type_embeddings.weight": rnd(config["type_vocab_size"], h),
        prefix + "embeddings.LayerNorm.weight": torch.ones(h),
        prefix + "embeddings.LayerNorm.bias": torch.zeros(h),
    }
    for l in range(config["num_hidden_layers"]):
        p = prefix + "encoder.layer.%d." % l
        for name, out, inp in (("attention.self.query", h, h), ("attention.self.key", h, h),
                               ("attention.self.value", h, h), ("attention.output.dense", h, h),
                               ("intermediate.dense", i, h), ("output.dense", h, i)):
            w[p + name + ".weight"] = rnd(out, inp)
            w[p + name + ".bias"] = torch.zeros(out)
        for name in ("attention.output.LayerNorm", "output.LayerNorm"):
            w[p + name + ".weight"] = torch.ones(h)
            w[p + name + ".bias"] = torch.zeros(h)
    if config["model_type"] == "bert":
        w[prefix + "pooler.dense.weight"], w[prefix + "pooler.dense.bias"] = rnd(h, h), torch.zeros(h)
        w["classifier.weight"], w["classifier.bias"] = rnd(labels, h), torch.zeros(labels)
    else:
        w["classifier.dense.weight"], w["classifier.dense.bias"] = rnd(h, h), torch.zeros(h)
        w["classifier.out_proj.weight"], w["classifier.out_proj.bias"] = rnd(labels, h), torch.zeros(labels)
    return w


def trace(config, weights, out_path):
    model = CrossEncoder(config, weights).eval()
    ids = torch.ones(2, 16, dtype=torch.long) * 5
    with torch.no_grad():
        traced = torch.jit.trace(model, (ids, torch.ones_like(ids), torch.zeros_like(ids)))
    traced.save(out_path)


def export_onnx(config, weights, out_path):
    model = CrossEncoder(config, weights).eval()
    ids = torch.ones(2, 16, dtype=torch.long) * 5
    axes = {0: "batch", 1: "sequence"}
    with torch.no_grad():
        torch.onnx.export(model, (ids, torch.ones_like(ids), torch.zeros_like(ids)), out_path,
                          input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
                          dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                                        "logits": {0: "batch"}},
                          opset_version=14)


def check(fixture):
    config = json.load(open(os.path.join(fixture, "config.json")))
    model = CrossEncoder(config, read_safetensors(os.path.join(fixture, "model.safetensors"))).eval()
    reference = json.load(open(os.path.join(fixture, "reference.json")))
    worst = 0.0
    for setting in reference["settings"]:
        for case in setting["cases"]:
            ids = torch.tensor([case["input_ids"]])
            with torch.no_grad():
                logits = model(ids, torch.ones_like(ids), torch.tensor([case["token_type_ids"]]))[0]
            worst = max(worst, max(abs(a - b) for a, b in zip(logits.tolist(), case["logits"])))
    print("%s: worst |logit - reference| = %.2e" % (fixture, worst))
    return worst < 1e-4


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shape", choices=sorted(SHAPES))
    parser.add_argument("--tokenizer", help="directory with the tokenizer.json (and tokenizer_config.json) to ship")
    parser.add_argument("--out")
    parser.add_argument("--labels", type=int, default=1)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--check", help="verify the forward pass against a fixture's reference.json")
    parser.add_argument("--from", dest="source", help="write SOURCE/model.pt from SOURCE's safetensors checkpoint")
    parser.add_argument("--onnx", action="store_true", help="with --from: write model.onnx instead of model.pt")
    args = parser.parse_args()
    if args.check:
        raise SystemExit(0 if check(args.check) else 1)
    if args.source:
        config = json.load(open(os.path.join(args.source, "config.json")))
        weights = read_safetensors(os.path.join(args.source, "model.safetensors"))
        name = "model.onnx" if args.onnx else "model.pt"
        tmp = os.path.join(args.source, name + ".partial")
        (export_onnx if args.onnx else trace)(config, weights, tmp)
        os.replace(tmp, os.path.join(args.source, name))
        print("wrote", os.path.join(args.source, name))
        return
    config = dict(SHAPES[args.shape])
    arch = "BertForSequenceClassification" if config["model_type"] == "bert" else "XLMRobertaForSequenceClassification"
    config.update(architectures=[arch], hidden_act="gelu", position_embedding_type="absolute",
                  id2label={str(i): "LABEL_%d" % i for i in range(args.labels)})
    os.makedirs(args.out, exist_ok=True)
    weights = random_weights(config, args.labels, args.seed)
    write_safetensors(os.path.join(args.out, "model.safetensors"), weights)
    json.dump(config, open(os.path.join(args.out, "config.json"), "w"), indent=2)
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        src = os.path.join(args.tokenizer, name)
        if os.path.exists(src):
            shutil.copy(src, os.path.join(args.out, name))
    trace(config, weights, os.path.join(args.out, "model.pt"))
    print("wrote", args.out)


if __name__ == "__main__":
    main()
