#!/usr/bin/env python3
"""Pillow references for RandAugment's operations, written to Tests/Fixtures/augmentation/:

* bicubic_affine.json: a random 13x9 RGB image and the outputs of Image.transform(AFFINE,
  BICUBIC) and Image.rotate(BICUBIC) as timm's ops call them (fillcolor = the ImageNet mean in
  8 bits; bicubic is timm's recipe setting);
* point_operations.json: three 11x7 RGB images (uniform noise, a low-contrast patch, a sparse
  digit-like image with few gray levels; equalize and autocontrast also on 32x32 versions,
  since equalize leaves images under 510 pixels unchanged) and the outputs of every colour operation of timm's
  RandAugment as it calls Pillow: ImageOps.autocontrast / equalize / invert / posterize /
  solarize, timm's solarize_add lookup table, ImageEnhance Color / Contrast / Brightness /
  Sharpness at several factors.

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


def point_operations():
    from PIL import ImageEnhance, ImageOps
    rng = np.random.default_rng(2025)
    noise = rng.integers(0, 256, size=(7, 11, 3), dtype=np.uint8)
    low = rng.integers(60, 181, size=(7, 11, 3), dtype=np.uint8)
    sparse = np.zeros((7, 11, 3), dtype=np.uint8)
    sparse[1:6, 3:8] = rng.choice([0, 48, 128, 255], size=(5, 5, 1))
    sparse[2, 4] = (200, 16, 90)

    def solarize_add(img, add, thresh=128):
        lut = [min(255, i + add) if i < thresh else i for i in range(256)]
        return img.point(lut * 3)

    operations = [("autocontrast", None, ImageOps.autocontrast), ("equalize", None, ImageOps.equalize),
                  ("invert", None, ImageOps.invert)]
    operations += [("posterize", bits, lambda img, b=bits: ImageOps.posterize(img, b)) for bits in (1, 2, 4, 7)]
    operations += [("solarize", t, lambda img, t=t: ImageOps.solarize(img, t)) for t in (0, 26, 128, 230, 256)]
    operations += [("solarize_add", a, lambda img, a=a: solarize_add(img, a)) for a in (0, 33, 99)]
    for name, enhancer in (("color", ImageEnhance.Color), ("contrast", ImageEnhance.Contrast),
                           ("brightness", ImageEnhance.Brightness), ("sharpness", ImageEnhance.Sharpness)):
        operations += [(name, f, lambda img, e=enhancer, f=f: e(img).enhance(f)) for f in (0.1, 0.37, 1.0, 1.55, 1.9)]
    large_noise = rng.integers(0, 256, size=(32, 32, 3), dtype=np.uint8)
    large_sparse = np.zeros((32, 32, 3), dtype=np.uint8)
    large_sparse[6:26, 8:24] = rng.choice([0, 48, 128, 255], size=(20, 16, 1))
    images = []
    for label, pixels, chosen in (("noise", noise, operations), ("low_contrast", low, operations),
                                  ("sparse", sparse, operations), ("noise_32", large_noise, operations[:2]),
                                  ("sparse_32", large_sparse, operations[:2])):
        image = Image.fromarray(pixels, "RGB")
        cases = [{"operation": name, "argument": argument,
                  "output": np.asarray(function(image)).reshape(-1).tolist()} for name, argument, function in chosen]
        images.append({"name": label, "width": pixels.shape[1], "height": pixels.shape[0],
                       "input": pixels.reshape(-1).tolist(), "cases": cases})
    folder = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "augmentation")
    with open(os.path.join(folder, "point_operations.json"), "w") as f:
        json.dump({"images": images}, f)


if __name__ == "__main__":
    main()
    point_operations()
