"""Reference results for the images-in, labels-out path: `convnext classify` and `convnext embed`.

Run by hand (never in CI) with a Python environment holding torch, transformers, pillow and
safetensors (see scripts/requirements-fixtures.txt), from the repository root:

    python scripts/generate_pipeline_fixtures.py

Writes Tests/Fixtures/pipeline/: a small ConvNextForImageClassification folder (config.json,
model.safetensors, preprocessor_config.json with the hub defaults), and for a set of the image
fixtures the transformers results: `classify.json` (top-5 softmax predictions, the format of
`convnext classify --json`) and `embeddings.safetensors` (pooler_output per image).
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import torch
from PIL import Image
from safetensors.torch import save_file
from transformers import ConvNextConfig, ConvNextForImageClassification
from transformers.models.convnext.image_processing_pil_convnext import ConvNextImageProcessorPil

sys.path.insert(0, str(Path(__file__).parent))
from generate_fixtures import LABEL_NAMES, randomize_  # noqa: E402

IMAGES = ["astronaut_baseline.jpg", "chelsea_422.jpg", "coffee_cmyk.jpg", "rocket_tiny.png",
          "camera_gray1.png", "large.jpg", "coffee_palette_trns.png", "chelsea_rgba16_interlaced.png"]
HUB_PREPROCESSOR = {
    "crop_pct": 0.875, "do_normalize": True, "do_rescale": True, "do_resize": True,
    "image_mean": [0.485, 0.456, 0.406], "image_std": [0.229, 0.224, 0.225],
    "image_processor_type": "ConvNextImageProcessor", "resample": 3, "rescale_factor": 0.00392156862745098,
    "size": {"shortest_edge": 224},
}


def main() -> None:
    root = Path("Tests/Fixtures")
    out = root / "pipeline"
    if out.exists():
        shutil.rmtree(out)
    model_dir = out / "model"
    model_dir.mkdir(parents=True)
    config = ConvNextConfig(num_stages=4, hidden_sizes=[8, 16, 24, 32], depths=[1, 1, 1, 1],
                            id2label=dict(enumerate(LABEL_NAMES)), label2id={n: i for i, n in enumerate(LABEL_NAMES)})
    model = ConvNextForImageClassification(config).eval()
    randomize_(model, 3000)
    with torch.no_grad():  # spread the scores so the top-5 order is well separated
        model.classifier.weight.mul_(4.0)
    model.save_pretrained(str(model_dir))
    for f in list(model_dir.iterdir()):
        if f.name not in ("config.json", "model.safetensors"):
            f.unlink()
    (model_dir / "preprocessor_config.json").write_text(json.dumps(HUB_PREPROCESSOR, indent=2) + "\n")

    processor = ConvNextImageProcessorPil.from_pretrained(str(model_dir))
    results, embeddings = [], {}
    for name in IMAGES:
        image = Image.open(root / "images" / name).convert("RGB")
        pixels = processor(images=image, return_tensors="pt")["pixel_values"]
        with torch.no_grad():
            logits = model(pixels).logits[0]
            pooled = model.convnext(pixels).pooler_output[0]
        probabilities = logits.softmax(-1)
        top = probabilities.topk(5)
        gaps = (top.values[:-1] - top.values[1:]).min().item()
        assert gaps > 2e-5, f"{name}: top-5 scores too close ({gaps})"
        results.append({"image": name, "predictions": [
            {"label": LABEL_NAMES[i], "index": int(i), "score": float(s)} for s, i in zip(top.values.tolist(), top.indices.tolist())]})
        embeddings[name] = pooled.contiguous()
        print(f"  {name:34s} top-1 {LABEL_NAMES[int(top.indices[0])]:6s} {float(top.values[0]):.4f}")
    (out / "classify.json").write_text(json.dumps(results, indent=2) + "\n")
    save_file(embeddings, str(out / "embeddings.safetensors"))


if __name__ == "__main__":
    main()
