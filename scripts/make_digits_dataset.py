#!/usr/bin/env python3
"""Writes scikit-learn's handwritten digits (UCI "Optical Recognition of Handwritten Digits",
CC BY 4.0; 1797 8x8 images, 16 gray levels) as an image-folder dataset of PNGs:

    OUT/train/<digit>/<index>.png   (80% of each class)
    OUT/val/<digit>/<index>.png     (the other 20%)

Each image is scaled to --size pixels with Pillow's bicubic filter, white digit on black,
saved as RGB. The split is deterministic (every fifth image of a class goes to val).

    python scripts/make_digits_dataset.py OUT [--size 32]
"""
import argparse
import os

import numpy as np
from PIL import Image
from sklearn.datasets import load_digits


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output")
    parser.add_argument("--size", type=int, default=32)
    args = parser.parse_args()
    digits = load_digits()
    seen = {}
    for index, (image, label) in enumerate(zip(digits.images, digits.target)):
        count = seen.get(label, 0)
        seen[label] = count + 1
        split = "val" if count % 5 == 4 else "train"
        folder = os.path.join(args.output, split, str(label))
        os.makedirs(folder, exist_ok=True)
        gray = Image.fromarray((image * (255.0 / 16.0)).round().astype(np.uint8), mode="L")
        gray = gray.resize((args.size, args.size), Image.BICUBIC)
        gray.convert("RGB").save(os.path.join(folder, f"{index:04d}.png"))
    print(f"wrote {len(digits.images)} images to {args.output}")


if __name__ == "__main__":
    main()
