"""Build the one C extension, imbalance._knn (exact neighbour scan for the SMOTE family).

It is optional: where no C compiler is found the install goes on and the SMOTE family
searches with scikit-learn's NearestNeighbors instead (same neighbours, slower).
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
        )
    ]
)
