"""Build the C extensions: imbalance._knn (exact neighbour scan for the SMOTE family and the
neighbourhood samplers) and imbalance._hist_tree (trees on binned features for the balanced
ensembles).

Both are optional: where no C compiler is found the install goes on; the samplers then search
with scikit-learn's NearestNeighbors (same neighbours, slower) and the ensembles grow
scikit-learn's trees (tree_method="exact").
"""

import sys

from setuptools import Extension, setup

compile_args = [] if sys.platform == "win32" else ["-O3", "-fno-math-errno"]

setup(
    ext_modules=[
        Extension(
            "imbalance._knn",
            sources=["src/imbalance/_knn.c"],
            depends=["src/imbalance/_knn_scan.h"],
            extra_compile_args=compile_args,
            optional=True,
        ),
        Extension(
            "imbalance._hist_tree",
            sources=["src/imbalance/_hist_tree.c"],
            extra_compile_args=compile_args,
            optional=True,
        ),
    ]
)
