"""Export one ONNX checkpoint per epoch for hidden-activity (hav), and keep the folder's manifest.json up to date.

Needs torch and onnx only. In a training loop:

    from hav_export import export_checkpoint
    example = torch.zeros(1, 1, 28, 28)
    for epoch in range(epochs + 1):
        if epoch > 0: train_one_epoch(model)          # epoch 0: the untrained network
        export_checkpoint(model, example, "runs/mymodel", epoch, dataset="mnist", mean=[0.1307], std=[0.3081])

then `hav report --model runs/mymodel`. The file is `epoch_NNN.onnx`, exported in eval mode (dropout off, batch norm
with its running statistics) with a dynamic batch dimension at a fixed opset; the model's training mode is restored
afterwards. The network's output should be its logits (or log-probabilities, or probabilities): one score per class.
manifest.json is created or updated atomically: checkpoints with their SHA-256, and the dataset, normalisation,
class names and hidden layers given (arguments left out keep what the manifest already says).
"""
import hashlib
import io
import json
import os
import tempfile

import onnx
import torch

OPSET = 17  # LayerNormalization is one op from 17 on; torch 1.13 to 2.x export it
MANIFEST = "manifest.json"


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _atomic_write(path, data):
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; the file gets the mode a plain open() would give
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def export_checkpoint(model, example_input, folder, epoch, *, dataset=None, mean=None, std=None, class_names=None,
                      layers=None, opset=OPSET):
    """Writes folder/epoch_NNN.onnx and creates or updates folder/manifest.json; returns the .onnx path.

    model: a torch.nn.Module returning class scores [N, classes]; with several outputs hav takes the one with as
        many units as classes (class_names gives the count), or the one named in the manifest's "output".
    example_input: one input batch of the shape the network takes (e.g. torch.zeros(1, 1, 28, 28)).
    epoch: whole number >= 0 (0 = before training). dataset: "mnist", "fashion-mnist", "cifar10" or your data's
    name. mean, std: the input normalisation on pixels in [0, 1], one value or one per channel. class_names: list of
    names. layers: tensor names (as `hav inspect` lists them) or {"name", "tensor"} objects.
    """
    if not isinstance(epoch, int) or epoch < 0:
        raise ValueError(f"epoch must be a whole number >= 0, got {epoch!r}")
    if (mean is None) != (std is None):
        raise ValueError("give both mean and std, or neither")
    os.makedirs(folder, exist_ok=True)
    name = f"epoch_{epoch:03d}.onnx"
    path = os.path.join(folder, name)
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            out = model(example_input)
        outputs = ["logits"] + [f"output_{i}" for i in range(1, len(out))] if isinstance(out, (tuple, list)) \
            else ["logits"]
        buf = io.BytesIO()
        with torch.no_grad():
            torch.onnx.export(model, example_input, buf, opset_version=opset, input_names=["input"],
                              output_names=outputs, dynamic_axes={n: {0: "batch"} for n in ["input"] + outputs},
                              do_constant_folding=True, training=torch.onnx.TrainingMode.EVAL)
    finally:
        model.train(was_training)
    data = buf.getvalue()
    onnx.checker.check_model(onnx.load_from_string(data))
    _atomic_write(path, data)

    manifest_path = os.path.join(folder, MANIFEST)
    manifest = {}
    if os.path.exists(manifest_path):
        with open(manifest_path, encoding="utf-8") as f:
            manifest = json.load(f)
        if not isinstance(manifest, dict):
            raise ValueError(f"{manifest_path} is not a JSON object; move it away and export again")
    manifest.setdefault("name", os.path.basename(os.path.abspath(folder)))
    if dataset is not None:
        manifest["dataset"] = dataset
    if mean is not None:
        as_list = lambda v: [float(x) for x in (v if isinstance(v, (list, tuple)) else [v])]
        manifest["normalisation"] = {"mean": as_list(mean), "std": as_list(std)}
    if class_names is not None:
        manifest["classes"] = [str(c) for c in class_names]
    if layers is not None:
        manifest["hidden_layers"] = [l if isinstance(l, dict) else {"tensor": str(l)} for l in layers]
    manifest["input_shape"] = [-1] + [int(d) for d in example_input.shape[1:]]
    manifest["output"] = "logits"
    manifest["framework"] = f"torch {torch.__version__}"
    manifest["opset"] = opset
    checkpoints = [c for c in manifest.get("checkpoints", []) if c.get("file") != name and c.get("epoch") != epoch]
    checkpoints.append({"epoch": epoch, "file": name, "sha256": _sha256(path)})
    manifest["checkpoints"] = sorted(checkpoints, key=lambda c: c["epoch"])
    _atomic_write(manifest_path, (json.dumps(manifest, indent=2) + "\n").encode("utf-8"))
    return path
