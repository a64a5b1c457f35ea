r"""Exact k nearest neighbours for the SMOTE family, by a compiled brute-force scan.

scikit-learn's brute-force search (what ``NearestNeighbors`` picks above 15 features) computes
:math:`\lVert q\rVert^2 + \lVert c\rVert^2 - 2\,q \cdot c` through float64 BLAS and pushes every
distance through a heap. SMOTE only needs the k nearest rows of a class among the same rows,
so this scan (C, ``_knn.c``; driven from :mod:`imbalance._neighbors.scan`) does less:

* the distance matrix of a set with itself is symmetric, so each pair is scored once and
  offered to both rows' lists;
* squared differences are summed directly in the input's precision (float32 stays float32),
  eight or four lanes at a time, with no cancellation;
* a block of distances is only looked at one by one when one of them is at most a row's
  current k-th distance, which after the first few blocks is rare; then only the pairs that
  are (a lane mask) are visited.

This package's face is the kNN API only. Methods that need less than every row's list get it
cheaper beside their one user, on the scan's building blocks: NearMiss only the rows near its
cut (``imbalance._mean_distance``), edited nearest neighbours only whether a row's k nearest
share its class (``imbalance._enn_counting``), condensing the nearest member of a set that
grows (``imbalance._growing_set``, also k-means').

Ties are broken by the lower index, so the result does not depend on the number of threads.
scikit-learn answers instead when the caller passes its own search object, when the compiled
module was not built (no C compiler at install time), and in 5 or fewer dimensions with many
rows, where its k-d tree is faster (``benchmarks/bench_knn.py`` compares the scan with
scikit-learn's brute force, ``docs/performance.md`` has the figures).
"""

from imbalance._neighbors.scan import (
    block_rows,
    center_of,
    have_compiled_scan,
    in_safe_range,
    kneighbors,
    kneighbors_among,
    kneighbors_of,
)

__all__ = ["kneighbors", "kneighbors_of", "kneighbors_among", "in_safe_range", "have_compiled_scan", "block_rows",
           "center_of"]
