#!/usr/bin/env python3
"""Pillow references for RandAugment's geometric operations with bicubic sampling (timm's
recipe setting), written to Tests/Fixtures/augmentation/bicubic_affine.json: a random 13x9 RGB
image and the outputs of Image.transform(AFFINE, BICUBIC) and Image.rotate(BICUBIC) as timm's
ops call them (fillcolor = the ImageNet mean in 8 bits).

    python scripts/generate_augmentation_fixtures.py   # needs numpy and pillow
"""
import json
import os

import numpy as np
from PIL import Image

FILL = (124, 116, 104)


def main():
    rng = np.random.default_rng(2024)
    pixels = rng.integers(0, 256, size=(9, 13, 3), dtype=np.uint8)
    image = Image.fromarray(pixels, "RGB")
    cases = []
    for name, matrix in [("shear_x", (1, 0.27, 0, 0, 1, 0)), ("shear_y", (1, 0, 0, -0.19, 1, 0)),
                         ("translate", (1, 0, 3.6, 0, 1, -2.2)), ("mixed", (0.9, 0.2, 1.3, -0.15, 1.1, -0.7))]:
        out = image.transform(image.size, Image.AFFINE, matrix, resample=Image.BICUBIC, fillcolor=FILL)
        cases.append({"name": name, "matrix": list(matrix), "output": list(np.asarray(out).reshape(-1).tolist())})
    for degrees in (23.5, -17.0):
        out = image.rotate(degrees, resample=Image.BICUBIC, fillcolor=FILL)
        cases.append({"name": f"rotate_{degrees}", "degrees": degrees, "output": list(np.asarray(out).reshape(-1).tolist())})
    folder = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "augmentation")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "bicubic_affine.json"), "w") as f:
        json.dump({"width": 13, "height": 9, "fill": FILL, "input": pixels.reshape(-1).tolist(), "cases": cases}, f)


if __name__ == "__main__":
    main()
