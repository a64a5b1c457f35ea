"""Run under torchrun with the gloo backend: every sampler's shard on every rank, all-gathered.

    python -m torch.distributed.run --standalone --nproc_per_node=2 ddp_samplers.py OUT.json

Rank 0 writes {sampler name: [rank 0's items, rank 1's items, ...]} and each sampler's full
epoch plan built without DDP, for the test to compare.
"""

import json
import os
import sys

import numpy as np
import torch.distributed as dist

import imbalance.torch as it


def main(out: str) -> None:
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    rng = np.random.default_rng(0)
    y = rng.choice(3, 1001, p=[0.75, 0.2, 0.05])  # 1001 rows: the epoch does not split evenly
    Y = (rng.random((500, 4)) < [0.4, 0.1, 0.05, 0.02]).astype(int)
    Y[0] = 1
    w = rng.random(1001) ** 2
    samplers = {
        # num_replicas and rank are left out: they come from torch.distributed
        "over": (it.ClassBalancedSampler(y, seed=3), it.ClassBalancedSampler(y, seed=3, num_replicas=1, rank=0)),
        "under_drop_last": (
            it.ClassBalancedSampler(y, strategy="under", seed=3, drop_last=True),
            it.ClassBalancedSampler(y, strategy="under", seed=3, num_replicas=1, rank=0),
        ),
        "stratified": (
            it.StratifiedBatchSampler(y, batch_size=32, seed=3),
            it.StratifiedBatchSampler(y, batch_size=32, seed=3, num_replicas=1, rank=0),
        ),
        "multilabel": (it.MultilabelBalancedSampler(Y, seed=3), it.MultilabelBalancedSampler(Y, seed=3, num_replicas=1, rank=0)),
        "weighted": (it.WeightedSampler(w, seed=3), it.WeightedSampler(w, seed=3, num_replicas=1, rank=0)),
        "weighted_exact": (it.WeightedSampler(w, num_samples=777, exact=True, seed=3),
                           it.WeightedSampler(w, num_samples=777, exact=True, seed=3, num_replicas=1, rank=0)),
        "weighted_distinct": (it.WeightedSampler(w, num_samples=300, replacement=False, seed=3),
                              it.WeightedSampler(w, num_samples=300, replacement=False, seed=3, num_replicas=1, rank=0)),
    }
    result = {}
    for name, (sampler, whole) in samplers.items():
        sampler.set_epoch(2)
        whole.set_epoch(2)
        mine = list(sampler)
        assert len(mine) == len(sampler)
        gathered = [None] * world
        dist.all_gather_object(gathered, mine)
        result[name] = {"shards": gathered, "plan": list(whole), "world": world}
    stream = it.RebalancedStream(range(20_000), label_of=lambda item: int((item // 2) % 10 == 0), seed=3,
                                 buffer_size=64)  # the rare class on both ranks
    mine = list(stream)
    gathered = [None] * world
    dist.all_gather_object(gathered, mine)
    result["_stream"] = {"shards": gathered, "kept": stream.kept_, "world": world}
    if rank == 0:
        with open(out, "w") as fh:
            json.dump(result, fh)
    dist.barrier()
    # os._exit: nothing is torn down at interpreter exit, where gloo's threads can deadlock with
    # the exiting interpreter (the record is on disk once the barrier passes)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1])
