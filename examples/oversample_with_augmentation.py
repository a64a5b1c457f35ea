"""Over-sampling through augmentation
==================================

Over-sample a rare class at load time, with every repeated draw passing through augmentation.

Run it with ``python examples/oversample_with_augmentation.py``.

Copying minority images to over-sample them makes the copies identical; drawing their index
several times through ClassBalancedSampler sends every draw through the dataset's random
transform instead, so each copy differs. The transform draws from torch's generator, which
DataLoader seeds differently in every worker and epoch.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from imbalance.torch import ClassBalancedSampler


class NoisyImages(Dataset):
    """Tiny 'images' with a random augmentation: a random shift of brightness and pixel noise."""

    def __init__(self, n: int = 200, rare_share: float = 0.05, seed: int = 0):
        rng = np.random.default_rng(seed)
        self.targets = (rng.random(n) < rare_share).astype(np.int64)
        self.targets[:2] = 1  # at least two rare items
        self.images = torch.from_numpy(rng.random((n, 1, 8, 8), dtype=np.float32))

    def __len__(self) -> int:
        return len(self.targets)

    def __getitem__(self, index: int):
        image = self.images[index]
        augmented = image + 0.1 * torch.randn_like(image) + 0.05 * torch.randn(())
        return augmented, int(self.targets[index]), index


def main() -> dict:
    dataset = NoisyImages()
    sampler = ClassBalancedSampler(dataset, strategy="over", seed=0)  # labels read from .targets
    loader = DataLoader(dataset, batch_size=32, sampler=sampler, num_workers=2)
    seen: dict[int, list[torch.Tensor]] = {}
    labels = []
    for images, targets, indices in loader:
        labels.append(targets)
        for image, index in zip(images, indices.tolist()):
            seen.setdefault(index, []).append(image)
    labels = torch.cat(labels)
    repeated = {i: views for i, views in seen.items() if len(views) > 1}
    identical = sum(
        torch.equal(a, b) for views in repeated.values() for k, a in enumerate(views) for b in views[k + 1 :]
    )
    print(f"class counts this epoch: {labels.bincount().tolist()} (dataset: {np.bincount(dataset.targets).tolist()})")
    print(f"{len(repeated)} items drawn more than once; identical repeated views: {identical}")
    return {"counts": labels.bincount().tolist(), "repeated": len(repeated), "identical": identical}


if __name__ == "__main__":
    result = main()
    fig, ax = plt.subplots(figsize=(5, 3), layout="constrained")
    ax.bar(["class 0", "class 1"], result["counts"], color=["#999", "#1f77b4"])
    ax.set(ylabel="items drawn this epoch", title=f"Balanced epoch; {result['repeated']} items drawn more than once, "
           f"{result['identical']} identical views")
    plt.show()
