#!/usr/bin/env python3
"""Reference fixtures for ConvNeXtImages (run by hand, never in CI).

Writes Tests/Fixtures/images/: small real photos (scikit-image's sample data) encoded as JPEG
and PNG in many layouts, malformed files, and what Pillow and transformers make of them:

- decoded.safetensors: PIL.Image.open(f).convert("RGB") pixels, U8 [H, W, 3]
- resized.safetensors: Image.resize((w, h), filter) of decoded images, U8 [H, W, 3]
- processed.safetensors: ConvNextImageProcessorPil outputs, F32 [1, 3, H, W] (small
  configurations) or, with rescale and normalize off, the U8 geometry stage [1, 3, H, W]
- manifest.json: which file/config/tensor goes with which, plus an FNV-1a 64 digest of every
  processor output's float32 bytes (for the outputs too large to store whole)

Usage: /work/venv/bin/python scripts/generate_image_fixtures.py  (needs pillow, transformers,
numpy, safetensors, scikit-image)
"""

import io
import json
import struct
import warnings
import zlib
from pathlib import Path

import numpy as np
import PIL
import skimage
import transformers
from PIL import Image
from safetensors.numpy import save_file
from skimage import data as samples
from transformers import ConvNextImageProcessorPil

OUT = Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "images"
RNG = np.random.default_rng(20240601)
warnings.simplefilter("ignore")


# ---------------------------------------------------------------- hand-built PNGs


def chunk(kind: bytes, payload: bytes, crc: int | None = None) -> bytes:
    value = zlib.crc32(kind + payload) & 0xFFFFFFFF if crc is None else crc
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", value)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def pack_rows(samples_: np.ndarray, bits: int) -> list[bytes]:
    """Rows of an [H, W, C] sample array in PNG's packing (big-endian 16-bit, MSB-first bits)."""
    rows = []
    for row in samples_:
        flat = row.reshape(-1)
        if bits == 16:
            rows.append(flat.astype(">u2").tobytes())
        elif bits == 8:
            rows.append(flat.astype(np.uint8).tobytes())
        else:
            per_byte = 8 // bits
            padded = np.concatenate([flat, np.zeros((-len(flat)) % per_byte, dtype=flat.dtype)])
            groups = padded.reshape(-1, per_byte).astype(np.uint16)
            packed = np.zeros(len(groups), dtype=np.uint16)
            for i in range(per_byte):
                packed |= groups[:, i] << (8 - bits * (i + 1))
            rows.append(packed.astype(np.uint8).tobytes())
    return rows


def build_png(samples_: np.ndarray, bits: int, color_type: int, *, palette: bytes | None = None,
              trns: bytes | None = None, interlace: bool = False, idat_crc: int | None = None,
              width: int | None = None, height: int | None = None) -> bytes:
    h, w = samples_.shape[:2]
    width, height = width or w, height or h
    header = struct.pack(">IIBBBBB", width, height, bits, color_type, 0, 0, 1 if interlace else 0)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
    if palette is not None:
        out += chunk(b"PLTE", palette)
    if trns is not None:
        out += chunk(b"tRNS", trns)
    raw = b""
    if interlace:
        for x0, y0, dx, dy in ADAM7:
            sub = samples_[y0::dy, x0::dx]
            if sub.shape[0] and sub.shape[1]:
                raw += b"".join(b"\x00" + r for r in pack_rows(sub, bits))
    else:
        # Cycle through the five filter types so libpng's unfiltering is exercised.
        rows = pack_rows(samples_, bits)
        bpp = max(1, (bits * (samples_.shape[2] if samples_.ndim == 3 else 1)) // 8)
        previous = bytes(len(rows[0]))
        for index, row in enumerate(rows):
            kind = index % 5
            raw += bytes([kind]) + apply_filter(kind, row, previous, bpp)
            previous = row
    out += chunk(b"IDAT", zlib.compress(raw, 9), idat_crc) + chunk(b"IEND", b"")
    return out


def apply_filter(kind: int, row: bytes, previous: bytes, bpp: int) -> bytes:
    out = bytearray(len(row))
    for i, value in enumerate(row):
        a = row[i - bpp] if i >= bpp else 0
        b = previous[i]
        c = previous[i - bpp] if i >= bpp else 0
        if kind == 0:
            predictor = 0
        elif kind == 1:
            predictor = a
        elif kind == 2:
            predictor = b
        elif kind == 3:
            predictor = (a + b) // 2
        else:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            predictor = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
        out[i] = (value - predictor) & 0xFF
    return bytes(out)


# ---------------------------------------------------------------- photos


def photo(array: np.ndarray, box: tuple[int, int, int, int], size: tuple[int, int]) -> Image.Image:
    """A crop of a sample photo, shrunk with LANCZOS to `size` (width, height)."""
    return Image.fromarray(array).crop(box).resize(size, Image.Resampling.LANCZOS)


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def fnv1a64(data: bytes) -> str:
    array = np.frombuffer(data, dtype=np.uint8)
    value = 0xCBF29CE484222325
    prime = 0x100000001B3
    for byte in array.tolist():
        value = ((value ^ byte) * prime) & 0xFFFFFFFFFFFFFFFF
    return f"{value:016x}"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()

    astronaut = photo(samples.astronaut(), (80, 20, 400, 260), (128, 96))     # landscape 4:3
    chelsea = photo(samples.chelsea(), (60, 0, 285, 300), (96, 128))          # portrait 3:4
    coffee = photo(samples.coffee(), (0, 0, 600, 400), (120, 80))             # landscape 3:2
    rocket = photo(samples.rocket(), (100, 150, 400, 320), (30, 17))          # tiny
    large = photo(samples.coffee(), (0, 0, 600, 400), (300, 264))             # larger than 256
    gray_small = photo(samples.camera(), (100, 50, 420, 290), (64, 48))       # for low bit depths

    files: dict[str, bytes] = {}
    files["astronaut_baseline.jpg"] = encode(astronaut, "JPEG", quality=90)
    files["astronaut_progressive.jpg"] = encode(astronaut, "JPEG", quality=85, progressive=True)
    files["astronaut.png"] = encode(astronaut, "PNG")
    files["chelsea_422.jpg"] = encode(chelsea, "JPEG", quality=92, subsampling=1)
    files["coffee_gray.jpg"] = encode(coffee.convert("L"), "JPEG", quality=90)
    files["coffee_cmyk.jpg"] = encode(coffee.convert("CMYK"), "JPEG", quality=90)
    files["rocket_tiny.jpg"] = encode(rocket, "JPEG", quality=95, subsampling=0)
    files["rocket_tiny.png"] = encode(rocket, "PNG")
    files["large.jpg"] = encode(large, "JPEG", quality=85)

    # PNG layouts. 16-bit variants carry the 8-bit photo in their high bytes and noise below.
    c8 = np.asarray(chelsea)
    alpha = (np.linspace(0, 255, c8.shape[1])[None, :, None] * np.ones((c8.shape[0], 1, 1))).astype(np.uint8)
    def noise(shape: tuple[int, ...]) -> np.ndarray:
        """A compressible low-byte pattern, so 16-bit files stay small."""
        rows = np.indices(shape)[0]
        return ((rows * 16 + np.indices(shape)[-1] * 85) % 256).astype(np.uint16)

    files["chelsea_interlaced.png"] = build_png(c8, 8, 2, interlace=True)
    files["chelsea_rgba.png"] = encode(Image.fromarray(np.concatenate([c8, alpha], axis=2), "RGBA"), "PNG")
    files["chelsea_rgb16.png"] = build_png(c8.astype(np.uint16) * 256 + noise(c8.shape), 16, 2)
    rgba16 = np.concatenate([c8, alpha], axis=2).astype(np.uint16) * 256 + noise(c8.shape[:2] + (4,))
    files["chelsea_rgba16_interlaced.png"] = build_png(rgba16, 16, 6, interlace=True)

    g8 = np.asarray(coffee.convert("L"))
    files["coffee_gray8.png"] = encode(coffee.convert("L"), "PNG")
    files["coffee_la.png"] = encode(Image.fromarray(np.stack([g8, 255 - g8], axis=2), "LA"), "PNG")
    la16 = np.stack([g8, 255 - g8], axis=2).astype(np.uint16) * 256 + noise(g8.shape + (2,))
    files["coffee_la16.png"] = build_png(la16, 16, 4)
    # Values up to 1023: Pillow's I;16 -> RGB conversion clamps at 255.
    files["coffee_gray16.png"] = build_png((g8.astype(np.uint16) * 4 + noise(g8.shape) % 4)[..., None], 16, 0)
    quantized = coffee.quantize(200)
    palette = bytes(quantized.getpalette()[: 200 * 3])
    indices = np.asarray(quantized)[..., None]
    trns = bytes(RNG.integers(0, 256, 200, dtype=np.uint8))
    files["coffee_palette_trns.png"] = build_png(indices, 8, 3, palette=palette, trns=trns)
    files["coffee_palette_interlaced.png"] = build_png(indices, 8, 3, palette=palette, interlace=True)

    gs = np.asarray(gray_small.convert("L"))
    for bits in (1, 2, 4):
        levels = (gs.astype(np.uint16) >> (8 - bits)).astype(np.uint8)[..., None]
        files[f"camera_gray{bits}.png"] = build_png(levels, bits, 0)
    p4 = gray_small.quantize(16)
    files["camera_palette4.png"] = build_png(np.asarray(p4)[..., None], 4, 3, palette=bytes(p4.getpalette()[:48]))
    # Indices past the PLTE's 5 entries: Pillow shows them black.
    short = (np.asarray(gray_small.convert("L"))[:8, :16] // 32)[..., None]
    files["camera_palette_short.png"] = build_png(short, 8, 3, palette=bytes(RNG.integers(0, 256, 15, dtype=np.uint8)))
    # Pillow does not check IDAT checksums; the image decodes normally.
    files["rocket_bad_idat_crc.png"] = build_png(np.asarray(rocket), 8, 2, idat_crc=0x12345678)

    # Malformed inputs.
    baseline = files["astronaut_baseline.jpg"]
    malformed = {
        "truncated.jpg": baseline[: len(baseline) * 6 // 10],
        "truncated_progressive.jpg": files["astronaut_progressive.jpg"][: len(files["astronaut_progressive.jpg"]) // 2],
        "bad_crc.png": bad_ihdr_crc(files["rocket_tiny.png"]),
        "text.jpg": b"This is a text file, not an image.\n",
        "empty.png": b"",
        "huge_header.png": build_png(np.zeros((1, 1, 3), np.uint8), 8, 2, width=60000, height=60000),
        "garbage_idat.png": garbage_idat(),
        "truncated.png": files["astronaut.png"][: len(files["astronaut.png"]) // 2],
    }

    for name, payload in {**files, **malformed}.items():
        (OUT / name).write_bytes(payload)

    manifest: dict = {"pillow": PIL.__version__, "transformers": transformers.__version__,
                      "scikit_image": skimage.__version__, "decode": [], "errors": [], "resize": [], "processor": []}

    # Decoded pixels; identical results share one tensor.
    decoded: dict[str, np.ndarray] = {}
    decoded_images: dict[str, Image.Image] = {}
    by_digest: dict[bytes, str] = {}
    for name in files:
        image = Image.open(OUT / name)
        mode = image.mode
        rgb = image.convert("RGB")
        decoded_images[name] = rgb
        pixels = np.asarray(rgb)
        key = pixels.tobytes() + struct.pack("<II", *rgb.size)
        tensor = by_digest.get(key)
        if tensor is None and name != "large.jpg":
            tensor = "decoded." + name.replace(".", "_")
            by_digest[key] = tensor
            decoded[tensor] = pixels
        manifest["decode"].append({"file": name, "mode": mode, "width": rgb.width, "height": rgb.height,
                                   "expected": tensor, "digest": fnv1a64(pixels.tobytes())})

    for name in malformed:
        try:
            Image.open(OUT / name).convert("RGB")
            outcome = "ok"
        except Exception as error:  # noqa: BLE001 - recording Pillow's behaviour
            outcome = f"{type(error).__name__}: {error}"
        manifest["errors"].append({"file": name, "pillow": outcome})

    # Pillow resizes.
    resized: dict[str, np.ndarray] = {}
    source = decoded_images["astronaut.png"]
    patch = source.crop((40, 30, 72, 54))  # 32x24
    tall = Image.fromarray(np.asarray(decoded_images["chelsea_interlaced.png"])[:, :1].repeat(4, axis=0))  # 1x512
    box = (40, 30, 72, 54)
    cases = [("astronaut.png", source, None, (45, 34)), ("astronaut.png", source, None, (140, 20)),
             ("astronaut.png", source, box, (32, 61)), ("astronaut.png", source, box, (77, 24)),
             ("astronaut.png", source, box, (60, 45)), ("large.jpg", decoded_images["large.jpg"], None, (67, 59)),
             # Pillow 13 runs the vertical pass first when in.h - h > 2 * (in.w - w): just past
             # the boundary, on it (horizontal first), and shrinking width a little.
             ("astronaut.png", source, None, (82, 2)), ("astronaut.png", source, None, (81, 2)),
             ("astronaut.png", source, None, (120, 10))]
    # Pillow 13's MKS2013 / MKS2021 filters are not implemented in Swift.
    classic = [Image.Resampling(v) for v in range(6)]
    for filter_ in classic:
        for name, image, crop, size in cases:
            input_image = patch if crop else image
            output = np.asarray(input_image.resize(size, filter_))
            tensor = f"resized.{name.replace('.', '_')}.{filter_.name.lower()}.{size[0]}x{size[1]}" + (".patch" if crop else "")
            resized[tensor] = output
            manifest["resize"].append({"file": name, "crop": crop, "filter": int(filter_), "width": size[0],
                                       "height": size[1], "expected": tensor})
        output = np.asarray(tall.resize((2, 5), filter_))
        tensor = f"resized.tall.{filter_.name.lower()}.2x5"
        resized[tensor] = output
        manifest["resize"].append({"file": "chelsea_interlaced.png", "column_repeat": 4, "filter": int(filter_),
                                   "width": 2, "height": 5, "expected": tensor})

    # transformers' ConvNextImageProcessorPil.
    hub = {"crop_pct": 0.875, "do_normalize": True, "do_resize": True,
           "feature_extractor_type": "ConvNextFeatureExtractor", "image_mean": [0.485, 0.456, 0.406],
           "image_std": [0.229, 0.224, 0.225], "resample": 3, "size": 224}
    warp = {**hub, "size": {"shortest_edge": 384}, "image_processor_type": "ConvNextImageProcessor"}
    geometry = {"do_rescale": False, "do_normalize": False}
    processed: dict[str, np.ndarray] = {}
    runs = [
        # Every decodable fixture through the two published geometries (recorded by digest).
        ("hub", hub, sorted(decoded_images), False),
        ("hub_geometry", {**hub, **geometry}, ["large.jpg"], True),
        ("hub_geometry", {**hub, **geometry}, ["chelsea_422.jpg", "rocket_tiny.png"], False),
        ("warp384", warp, sorted(decoded_images), False),
        ("bilinear64", {**hub, "size": {"shortest_edge": 64}, "resample": 2}, ["astronaut.png", "chelsea_422.jpg"], True),
        ("lanczos_pad", {**hub, "size": {"shortest_edge": 48}, "crop_pct": 1.25, "resample": 1}, ["large.jpg", "rocket_tiny.jpg"], True),
        ("nearest_class_defaults", {"size": 56, "crop_pct": 0.9, "resample": 0}, ["chelsea_422.jpg"], True),
        ("box_hamming", {**hub, "size": {"shortest_edge": 40}, "resample": 4, "crop_pct": 0.5}, ["coffee_cmyk.jpg"], True),
        ("hamming", {**hub, "size": 40, "resample": 5}, ["large.jpg"], True),
        ("no_resize", {**hub, "do_resize": False}, ["rocket_tiny.png"], True),
    ]
    for label, config, names, store in runs:
        processor = ConvNextImageProcessorPil.from_dict(config)
        for name in names:
            output = processor(decoded_images[name], return_tensors="np")["pixel_values"]
            tensor = f"processed.{label}.{name.replace('.', '_')}"
            if store:
                processed[tensor] = output
            manifest["processor"].append({"label": label, "config": json.dumps(config), "file": name, "shape": list(output.shape),
                                          "dtype": str(output.dtype), "expected": tensor if store else None,
                                          "digest": fnv1a64(np.ascontiguousarray(output.astype(np.float32)).tobytes())})
    # Every 8-bit value through rescale + normalize with the hub configuration.
    ramp = Image.fromarray(np.arange(256 * 3, dtype=np.uint32).reshape(16, 16, 3).astype(np.uint8), "RGB")
    lut = ConvNextImageProcessorPil.from_dict({**hub, "do_resize": False})(ramp, return_tensors="np")["pixel_values"]
    processed["processed.ramp"] = lut
    manifest["ramp"] = {"config": json.dumps({**hub, "do_resize": False}), "expected": "processed.ramp"}

    save_file(decoded, str(OUT / "decoded.safetensors"))
    save_file(resized, str(OUT / "resized.safetensors"))
    save_file(processed, str(OUT / "processed.safetensors"))
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"wrote {len(list(OUT.iterdir()))} files, {total / 1e6:.2f} MB")


def bad_ihdr_crc(png: bytes) -> bytes:
    data = bytearray(png)
    data[29:33] = bytes(b ^ 0xFF for b in data[29:33])  # IHDR's CRC follows its 13 bytes
    return bytes(data)


def garbage_idat() -> bytes:
    header = struct.pack(">IIBBBBB", 20, 10, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", bytes(RNG.integers(0, 256, 200, dtype=np.uint8))) + chunk(b"IEND", b""))


if __name__ == "__main__":
    main()
