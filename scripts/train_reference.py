#!/usr/bin/env python3
"""PyTorch reference for `convnext train`: trains transformers' ConvNextForImageClassification
from scratch on an image folder with the ConvNeXt paper's recipe, as the original repository
(facebookresearch/ConvNeXt, main.py + engine.py + optim_factory.py + utils.cosine_scheduler)
runs it, with the same options as our trainer. Used by scripts/compare_training.py to check
that our trainer reaches the accuracy PyTorch reaches for the same recipe and budget.

Recipe (defaults are our trainer's):
  * model: ConvNextForImageClassification(config) (transformers' init: N(0, 0.02) weights,
    zero biases, layer scale from the config), num_labels = class folders, drop_path_rate set
    to --drop-path (linspace(0, rate, sum(depths)) per block);
  * AdamW(betas 0.9/0.999, eps 1e-8), weight decay on parameters with ndim > 1 only;
  * per-iteration cosine schedule with linear warm-up (utils.cosine_scheduler, start 0),
    niter_per_ep = floor(train images / batch) (drop_last);
  * timm create_transform(is_training=True): RandomResizedCrop(scale 0.08-1, ratio 3/4-4/3,
    bicubic), hflip --hflip, RandAugment --randaug (color jitter 0.4 only without it),
    ImageNet normalization, RandomErasing(--reprob, mode 'pixel', count 1);
  * timm Mixup(mixup --mixup, cutmix --cutmix, prob 1, switch 0.5, mode 'batch', label
    smoothing --smoothing) + SoftTargetCrossEntropy; without mixing, cross-entropy with label
    smoothing;
  * evaluation after each epoch with ConvNextImageProcessor's pipeline at --image-size:
    resize shortest edge to int(size / 0.875) bicubic, center crop size, ImageNet normalization.

Writes one JSON line per epoch to --output with our metrics.jsonl keys: epoch, train_loss, lr
(the epoch's last step), val_loss, val_top1, val_top5, seconds (training part of the epoch).

Needs a virtual environment outside the repository:

    python3 -m venv DIR && DIR/bin/pip install torch transformers timm pillow scikit-learn
    DIR/bin/python scripts/train_reference.py --data /tmp/digits/train --val /tmp/digits/val \\
        --config scripts/digits_config.json --epochs 40 --batch-size 32 --image-size 32 \\
        --lr 2e-3 --warmup-epochs 3 --hflip 0 --seed 0 --threads 2 --output metrics.jsonl
"""
import argparse
import json
import math
import os
import random
import time

# On a small shared machine, OpenMP's default spin-waiting makes 2 threads ~10x slower than 1
# when other processes compete for the cores; passive waiting keeps them at least as fast.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
import timm.data.auto_augment as timm_auto_augment
from PIL import ImageOps
from timm.data import Mixup, create_transform
from timm.data.constants import IMAGENET_DEFAULT_MEAN, IMAGENET_DEFAULT_STD
from timm.loss import SoftTargetCrossEntropy
from torchvision import transforms
from transformers import ConvNextConfig, ConvNextForImageClassification

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg")


def _posterize(img, bits_to_keep, **__):
    """timm's posterize as it behaves with Pillow < 11: PosterizeIncreasing at magnitude > 7.5
    asks for 0 bits, which older Pillow turned into a black image and Pillow >= 11 refuses
    (ValueError). Our trainer keeps the old behaviour (mask 0)."""
    if bits_to_keep >= 8:
        return img
    if bits_to_keep <= 0:
        return img.point(lambda _: 0)
    return ImageOps.posterize(img, bits_to_keep)


for _name in ("Posterize", "PosterizeIncreasing", "PosterizeOriginal"):
    if _name in timm_auto_augment.NAME_TO_OP:
        timm_auto_augment.NAME_TO_OP[_name] = _posterize


def load_folder(root, classes=None):
    """(images, labels, classes) of an image folder, one sub-folder per class, sorted names."""
    if classes is None:
        classes = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
    images, labels = [], []
    for label, name in enumerate(classes):
        folder = os.path.join(root, name)
        for file in sorted(os.listdir(folder)):
            if file.lower().endswith(IMAGE_EXTENSIONS):
                with Image.open(os.path.join(folder, file)) as image:
                    images.append(image.convert("RGB"))
                labels.append(label)
    return images, labels, classes


def cosine_scheduler(base_value, final_value, epochs, niter_per_ep, warmup_epochs=0, start_warmup_value=0):
    """The original repository's utils.cosine_scheduler: one value per iteration."""
    warmup_schedule = np.array([])
    warmup_iters = warmup_epochs * niter_per_ep
    if warmup_epochs > 0:
        warmup_schedule = np.linspace(start_warmup_value, base_value, warmup_iters)
    iters = np.arange(epochs * niter_per_ep - warmup_iters)
    schedule = np.array([final_value + 0.5 * (base_value - final_value) * (1 + math.cos(math.pi * i / len(iters))) for i in iters])
    schedule = np.concatenate((warmup_schedule, schedule))
    assert len(schedule) == epochs * niter_per_ep
    return schedule


def parameter_groups(model, weight_decay):
    """optim_factory.get_parameter_groups without layer decay: no decay on 1-D parameters
    (biases, norms, layer scale) and on names ending in .bias."""
    decay, no_decay = [], []
    for name, parameter in model.named_parameters():
        if not parameter.requires_grad:
            continue
        (no_decay if parameter.ndim == 1 or name.endswith(".bias") else decay).append(parameter)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


class TransformedImages(torch.utils.data.Dataset):
    def __init__(self, images, labels, transform):
        self.images, self.labels, self.transform = images, labels, transform

    def __len__(self):
        return len(self.images)

    def __getitem__(self, index):
        return self.transform(self.images[index]), self.labels[index]


def evaluate(model, pixels, labels, batch_size):
    model.eval()
    loss_sum, top1, topk = 0.0, 0, 0
    k = min(5, int(labels.max()) + 1, model.config.num_labels)
    with torch.no_grad():
        for start in range(0, len(labels), batch_size):
            x, y = pixels[start:start + batch_size], labels[start:start + batch_size]
            logits = model(pixel_values=x).logits
            loss_sum += F.cross_entropy(logits, y, reduction="sum").item()
            top = logits.topk(k, dim=1).indices
            top1 += (top[:, 0] == y).sum().item()
            topk += (top == y[:, None]).any(dim=1).sum().item()
    n = len(labels)
    return loss_sum / n, top1 / n, topk / n


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True)
    parser.add_argument("--val", required=True)
    parser.add_argument("--config", required=True, help="transformers ConvNextConfig config.json")
    parser.add_argument("--output", required=True, help="metrics.jsonl to write")
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--image-size", type=int, default=224)
    parser.add_argument("--lr", type=float, default=None, help="default 4e-3 * batch / 4096")
    parser.add_argument("--min-lr", type=float, default=1e-6)
    parser.add_argument("--warmup-epochs", type=int, default=None, help="default round(20 * epochs / 300)")
    parser.add_argument("--weight-decay", type=float, default=0.05)
    parser.add_argument("--drop-path", type=float, default=0.1)
    parser.add_argument("--hflip", type=float, default=0.5)
    parser.add_argument("--mixup", type=float, default=0.8)
    parser.add_argument("--cutmix", type=float, default=1.0)
    parser.add_argument("--smoothing", type=float, default=0.1)
    parser.add_argument("--reprob", type=float, default=0.25)
    parser.add_argument("--randaug", default="rand-m9-mstd0.5-inc1", help="timm RandAugment string or 'none'")
    parser.add_argument("--color-jitter", type=float, default=0.4)
    parser.add_argument("--randaug-resample", choices=["bicubic", "bilinear"], default="bicubic",
                        help="resampling of RandAugment's geometric operations (timm uses --interpolation, bicubic; "
                             "our trainer samples them bilinearly): for ablations")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads")
    parser.add_argument("--workers", type=int, default=0, help="DataLoader worker processes")
    args = parser.parse_args()

    if args.threads:
        torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)

    train_images, train_labels, classes = load_folder(args.data)
    val_images, val_labels, val_classes = load_folder(args.val, classes)

    config = ConvNextConfig.from_json_file(args.config)
    config.num_labels = len(classes)
    config.id2label = dict(enumerate(classes))
    config.label2id = {name: i for i, name in enumerate(classes)}
    config.drop_path_rate = args.drop_path
    model = ConvNextForImageClassification(config)

    randaug = None if args.randaug.lower() == "none" else args.randaug
    train_transform = create_transform(
        input_size=args.image_size, is_training=True, scale=(0.08, 1.0), ratio=(3 / 4, 4 / 3), hflip=args.hflip,
        color_jitter=args.color_jitter if args.color_jitter > 0 else None, auto_augment=randaug,
        interpolation="bicubic", re_prob=args.reprob, re_mode="pixel", re_count=1,
        mean=IMAGENET_DEFAULT_MEAN, std=IMAGENET_DEFAULT_STD)
    if args.randaug_resample != "bicubic":
        for stage in train_transform.transforms:
            for op in getattr(stage, "ops", []):
                op.kwargs["resample"] = Image.BILINEAR
    eval_transform = transforms.Compose([
        transforms.Resize(int(args.image_size / 0.875), interpolation=transforms.InterpolationMode.BICUBIC),
        transforms.CenterCrop(args.image_size), transforms.ToTensor(),
        transforms.Normalize(IMAGENET_DEFAULT_MEAN, IMAGENET_DEFAULT_STD)])
    val_pixels = torch.stack([eval_transform(image) for image in val_images])
    val_targets = torch.tensor(val_labels)

    generator = torch.Generator()
    generator.manual_seed(args.seed)
    loader = torch.utils.data.DataLoader(
        TransformedImages(train_images, train_labels, train_transform), batch_size=args.batch_size, shuffle=True,
        drop_last=True, num_workers=args.workers, generator=generator,
        worker_init_fn=(lambda worker: (random.seed(args.seed * 1000 + worker + torch.initial_seed() % 2**31),
                                        np.random.seed((torch.initial_seed() + worker) % 2**32))) if args.workers else None,
        persistent_workers=args.workers > 0)

    mixing = args.mixup > 0 or args.cutmix > 0
    mixup = Mixup(mixup_alpha=args.mixup, cutmix_alpha=args.cutmix, prob=1.0, switch_prob=0.5, mode="batch",
                  label_smoothing=args.smoothing, num_classes=len(classes)) if mixing else None
    criterion = SoftTargetCrossEntropy() if mixing else torch.nn.CrossEntropyLoss(label_smoothing=args.smoothing)

    lr = args.lr if args.lr is not None else 4e-3 * args.batch_size / 4096
    warmup = args.warmup_epochs if args.warmup_epochs is not None else round(20 * args.epochs / 300)
    steps_per_epoch = len(train_images) // args.batch_size
    schedule = cosine_scheduler(lr, args.min_lr, args.epochs, steps_per_epoch, warmup)
    optimizer = torch.optim.AdamW(parameter_groups(model, args.weight_decay), lr=lr, betas=(0.9, 0.999), eps=1e-8)

    with open(args.output, "w") as out:
        step = 0
        for epoch in range(1, args.epochs + 1):
            model.train()
            started = time.time()
            loss_sum, steps = 0.0, 0
            for x, y in loader:
                for group in optimizer.param_groups:
                    group["lr"] = schedule[step]
                if mixup is not None:
                    x, y = mixup(x, y)
                loss = criterion(model(pixel_values=x).logits, y)
                if not math.isfinite(loss.item()):
                    raise SystemExit(f"loss is {loss.item()} at epoch {epoch}, step {step}")
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                loss_sum += loss.item()
                steps += 1
                step += 1
            seconds = time.time() - started
            val_loss, top1, top5 = evaluate(model, val_pixels, val_targets, args.batch_size)
            record = {"epoch": epoch, "train_loss": loss_sum / max(steps, 1), "lr": float(schedule[step - 1]),
                      "val_loss": val_loss, "val_top1": top1, "val_top5": top5, "seconds": seconds}
            out.write(json.dumps(record, sort_keys=True) + "\n")
            out.flush()
            print(f"epoch {epoch}: loss {record['train_loss']:.4f} lr {record['lr']:.2e} "
                  f"val loss {val_loss:.4f} top1 {top1:.4f} top5 {top5:.4f} ({seconds:.1f}s)", flush=True)


if __name__ == "__main__":
    main()
