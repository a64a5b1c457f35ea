r"""NearMiss and Tomek links on a Spark DataFrame: the neighbour methods whose small side can be
sent to every task.

- **NearMiss** scores every row of a class to shrink by its mean distance to its
  ``n_neighbors`` nearest (version 1) or farthest (version 2) rows of the minority class,
  which every task holds; version 3 first takes each minority row's ``n_neighbors_ver3``
  nearest rows of the class (the minority against every partition) and keeps the candidates
  with the *largest* score. The plan's exact count per class is then the rows with the
  smallest (largest) scores, read off like the random keys of :func:`imbalance.spark.resample`:
  an approximate quantile brackets the cut, the few scores in the bracket come to the driver,
  and ties go to the lower row hash (:func:`~imbalance.spark._columns.row_hash`).
- **Tomek links**: a link joins two rows of different classes that are each other's nearest
  neighbour, so one of its rows lies outside the largest class. Those rows (the small side)
  query every row for their nearest neighbour; the rows of the largest class they point to
  query back; the cleaned classes' members of the links found are removed by a join.

The other cleaning methods (ENN, RENN, AllKNN, condensing, One-Sided Selection, NCR) ask every
row about its neighbours among every row: the large class would have to be the broadcast
side. They are left out on Spark (the guide says why).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from imbalance import _neighbors
from imbalance._validation import InputError, ParameterError, check_int, fmt_label
from imbalance.planner import Plan, Targets, plan_from_counts
from imbalance.spark._columns import check_frame, checked_counts, class_rows, feature_width, resolve_features, row_hash
from imbalance.spark._neighbors import DEFAULT_BROADCAST_BYTES, among_all_rows, check_size

__all__ = ["near_miss", "tomek_links"]

_SCORE, _HASH = "__imbalance_score", "__imbalance_hash"
# Rank accuracy of the quantiles that bracket a cut: the bracket holds about 4 / accuracy of a
# class's rows (4,000 of ten million), brought to the driver to read the exact cut.
_ACCURACY = 10_000


def near_miss(df: DataFrame, label_col: str = "LABEL", *, features: str | Sequence[str] | None = None,
              version: int = 1, n_neighbors: int = 3, n_neighbors_ver3: int = 3, ratio: float = 1.0,
              targets: Targets | None = None, key: str | None = None,
              max_broadcast_bytes: int = DEFAULT_BROADCAST_BYTES, return_plan: bool = False,
              ) -> DataFrame | tuple[DataFrame, Plan]:
    r"""NearMiss (Mani and Zhang, 2003) on a Spark DataFrame: keep each shrinking class's rows by
    their distances to the minority class.

    With :math:`M` the minority class (of classes tied for fewest rows, the first in sorted
    order) and :math:`d_k^{near}(x)`, :math:`d_k^{far}(x)` the mean Euclidean distance from
    :math:`x` to its ``n_neighbors`` nearest, or farthest, rows of :math:`M`, a class the plan
    cuts to :math:`t` rows keeps the :math:`t` rows with the smallest :math:`d_k^{near}`
    (``version=1``), the smallest :math:`d_k^{far}` (``version=2``), or, among each minority
    row's ``n_neighbors_ver3`` nearest rows of the class, the :math:`t` with the largest
    :math:`d_k^{near}` (``version=3``; fewer if fewer are candidates, with a warning). Exact:
    the minority class is sent to every task and scanned with the compiled kNN scan; the cut
    is exact, ties to the lower row hash. The same rule as :class:`imbalance.NearMiss`.

    The scored rows are checkpointed (``localCheckpoint``) so the neighbour search runs once.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
    label_col : str, default="LABEL"
    features : str or list of str, optional
        Numeric columns, or one vector column (see :func:`imbalance.spark.smote`).
    version : {1, 2, 3}, default=1
    n_neighbors : int, default=3
    n_neighbors_ver3 : int, default=3
    ratio : float, default=1.0
        Largest class / smallest class after under-sampling (the planner's ``"under"``).
    targets : dict or callable, optional
        Explicit counts after under-sampling per class (only decreases).
    key : str, optional
        A unique row-id column: ties are broken by its hash (else by the features' hash).
    max_broadcast_bytes : int, default=2**30
        The broadcast bound on the minority class (rows x features x 8 bytes).
    return_plan : bool, default=False
        Also return the :class:`~imbalance.Plan` (with version 3, the counts reached).

    Returns
    -------
    DataFrame
        The kept rows, with ``df``'s columns.
    """
    check_frame(df, label_col)
    if version not in (1, 2, 3) or isinstance(version, bool):
        raise ParameterError(f"version must be 1, 2 or 3, got {version!r}.")
    k = check_int("n_neighbors", n_neighbors)
    k3 = check_int("n_neighbors_ver3", n_neighbors_ver3)
    limit = check_int("max_broadcast_bytes", max_broadcast_bytes)
    spec = resolve_features(df, label_col, features, key)
    counts = checked_counts(df, label_col, spec)
    the_plan = plan_from_counts(counts, "under" if targets is None else targets, ratio=ratio, direction="under")
    minority = min(counts, key=lambda c: counts[c])  # the first of the classes tied for fewest rows
    shrink = {c: t for c, t in the_plan.targets.items() if t < counts[c]}
    if not shrink:
        return (df, the_plan) if return_plan else df
    # refuse from the counts, before the class comes to the driver
    check_size(f"the minority class {fmt_label(minority)}", counts[minority], feature_width(df, spec), limit)
    matrix, _, _ = class_rows(df, label_col, minority, spec, key)
    if k > len(matrix):
        raise InputError(f"n_neighbors={k} asks for {k} minority rows per row, but the minority class "
                         f"{fmt_label(minority)} has {len(matrix)}; lower n_neighbors to at most {len(matrix)}.")
    farthest = version == 2

    @F.pandas_udf("double")
    def score(x: pd.Series) -> pd.Series:
        points = np.stack(x.to_numpy()) if len(x) else np.empty((0, matrix.shape[1]))
        distances = _neighbors.kneighbors_of(points, matrix, k, farthest=farthest)[0]
        return pd.Series(np.sqrt(distances).mean(axis=1))

    label = F.col(label_col)
    rows = df.filter(label.isin(list(shrink))).withColumn(_HASH, row_hash(spec, key))
    if version == 3:
        codes = {c: i for i, c in enumerate(counts)}
        candidates = []
        for c in shrink:
            found = among_all_rows(df.filter(label == F.lit(c)), label_col, spec, codes, matrix,
                                   min(k3, counts[c]), key=key)
            candidates.append(pd.DataFrame({label_col: c, _HASH: np.unique(found.hashes)}))
        chosen = df.sparkSession.createDataFrame(pd.concat(candidates)).withColumn(
            label_col, F.col(label_col).cast(df.schema[label_col].dataType))
        rows = rows.join(F.broadcast(chosen), [label_col, _HASH], "left_semi").select(*df.columns, _HASH)
        sizes = {r[label_col]: int(r["count"]) for r in chosen.groupBy(label_col).count().collect()}
        for c, t in list(shrink.items()):
            if sizes.get(c, 0) < t:
                warnings.warn(f"NearMiss-3 found {sizes.get(c, 0)} candidate rows of class {fmt_label(c)} for a "
                              f"target of {t}; all are kept.", stacklevel=2)
                shrink[c] = sizes.get(c, 0)
        the_plan = plan_from_counts(counts, {**the_plan.targets, **shrink}, direction="under")
    # Version 3 keeps the largest scores: the smallest of the negated ones.
    scored = rows.withColumn(_SCORE, -score(spec.as_array()) if version == 3 else score(spec.as_array()))
    scored = scored.localCheckpoint(eager=True)
    kept = _smallest_scores(scored, label_col, shrink).drop(_SCORE, _HASH)
    result = df.filter(~label.isin(list(shrink))).unionByName(kept)
    return (result, the_plan) if return_plan else result


def _smallest_scores(scored: DataFrame, label_col: str, wanted: dict) -> DataFrame:
    """The ``wanted[c]`` rows of each class with the smallest (score, hash), exactly.

    Per class, an approximate quantile brackets the ``t``-th score (rank error at most n /
    accuracy); one aggregation counts the rows below the bracket and collects the (score,
    hash) pairs inside it, from which the driver reads the exact cut. Where the bracket
    missed, the class is ranked by a window instead.
    """
    label = F.col(label_col)
    cuts, ranked = {}, []
    sizes = {r[label_col]: int(r["count"]) for r in scored.groupBy(label_col).count().collect()}
    for c, t in wanted.items():
        n = sizes.get(c, 0)
        if t == 0:
            continue
        if t >= n:
            cuts[c] = None
            continue
        slack = 2.0 / _ACCURACY + 10.0 / n
        part = scored.filter(label == F.lit(c))
        low, high = part.agg(F.percentile_approx(_SCORE, [max(0.0, t / n - slack), min(1.0, t / n + slack)],
                                                 _ACCURACY)).first()[0]
        inside = F.col(_SCORE).between(low, high)
        row = part.agg(F.count_if(F.col(_SCORE) < low).alias("below"),
                       F.collect_list(F.when(inside, F.struct(_SCORE, _HASH))).alias("band")).first()
        band = sorted((b[0], b[1]) for b in row["band"])
        position = t - int(row["below"]) - 1
        # The cut must fall between two distinct (score, hash) pairs: identical rows without a
        # key share both, and then only a ranking keeps exactly t of them.
        if 0 <= position < len(band) and (position + 1 == len(band) or band[position] != band[position + 1]):
            cuts[c] = band[position]
        else:
            ranked.append((c, t))
    parts = []
    for c, cut in cuts.items():
        part = scored.filter(label == F.lit(c))
        if cut is not None:
            part = part.filter(_at_or_below(*cut))
        parts.append(part)
    for c, t in ranked:
        order = Window.partitionBy(label_col).orderBy(_SCORE, _HASH)
        parts.append(scored.filter(label == F.lit(c)).withColumn("__rank", F.row_number().over(order))
                     .filter(F.col("__rank") <= t).drop("__rank"))
    result = parts[0]
    for part in parts[1:]:
        result = result.unionByName(part)
    return result


def _at_or_below(score: float, hash_: int) -> Column:
    return (F.col(_SCORE) < F.lit(score)) | ((F.col(_SCORE) == F.lit(score)) & (F.col(_HASH) <= F.lit(hash_)))


def tomek_links(df: DataFrame, label_col: str = "LABEL", *, features: str | Sequence[str] | None = None,
                classes: str | Sequence | None = None, key: str | None = None,
                max_broadcast_bytes: int = DEFAULT_BROADCAST_BYTES, return_plan: bool = False,
                ) -> DataFrame | tuple[DataFrame, Plan]:
    """Remove the cleaned-class member of every Tomek link (Tomek, 1976), on a Spark DataFrame.

    Rows :math:`i` and :math:`j` of different classes form a Tomek link when each is the other's
    nearest neighbour. One of them lies outside the largest class, so the rows of the other
    classes (sent to every task: the broadcast bound applies to them together) search every
    partition for their nearest row, and the rows of the largest class they point to search
    back. Exact; the same rule as :class:`imbalance.TomekLinks`.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
    label_col : str, default="LABEL"
    features : str or list of str, optional
        Numeric columns, or one vector column (see :func:`imbalance.spark.smote`).
    classes : "all", list of labels or None, default=None
        Classes that may lose rows; None: every class but the minority.
    key : str, optional
        A unique row-id column that names rows; without it a row is named by its features, so
        a removed row takes its identical copies in its class with it.
    max_broadcast_bytes : int, default=2**30
    return_plan : bool, default=False
        Also return the :class:`~imbalance.Plan` (the counts before and after).

    Returns
    -------
    DataFrame
        The rows kept, with ``df``'s columns.
    """
    check_frame(df, label_col)
    limit = check_int("max_broadcast_bytes", max_broadcast_bytes)
    spec = resolve_features(df, label_col, features, key)
    counts = checked_counts(df, label_col, spec)
    codes = {c: i for i, c in enumerate(counts)}
    cleaned = _cleaned_classes(classes, counts)
    largest = max(counts, key=lambda c: counts[c])
    small = [c for c in counts if c != largest]
    check_size(f"the classes outside the largest ({', '.join(map(fmt_label, small))})",
               sum(counts[c] for c in small), feature_width(df, spec), limit)
    parts = [class_rows(df, label_col, c, spec, key) for c in small]
    queries = np.concatenate([p[0] for p in parts])
    q_codes = np.concatenate([np.full(len(p[0]), codes[c]) for p, c in zip(parts, small)])
    q_hashes = np.concatenate([p[2] for p in parts])
    near = among_all_rows(df, label_col, spec, codes, queries, 1, query_codes=q_codes, query_hashes=q_hashes, key=key,
                          with_features=True)
    nb_code, nb_hash = near.codes[:, 0], near.hashes[:, 0]
    across = nb_code != q_codes
    links = []
    # Both rows outside the largest class: each one's nearest neighbour is known already.
    where = {(c, h): i for i, (c, h) in enumerate(zip(q_codes.tolist(), q_hashes.tolist()))}
    for i in np.flatnonzero(across & (nb_code != codes[largest])):
        j = where.get((int(nb_code[i]), int(nb_hash[i])))
        if j is not None and nb_code[j] == q_codes[i] and nb_hash[j] == q_hashes[i]:
            links.append((int(q_codes[i]), int(q_hashes[i])))
            links.append((int(nb_code[i]), int(nb_hash[i])))
    # The rows of the largest class pointed to search back.
    pointed = np.flatnonzero(across & (nb_code == codes[largest]))
    if pointed.size:
        unique, first = np.unique(nb_hash[pointed], return_index=True)
        back = among_all_rows(df, label_col, spec, codes, near.features[pointed[first], 0], 1,
                              query_codes=np.full(unique.size, codes[largest]), query_hashes=unique, key=key)
        partner = dict(zip(unique.tolist(), zip(back.codes[:, 0].tolist(), back.hashes[:, 0].tolist())))
        for i in pointed:
            if partner[int(nb_hash[i])] == (int(q_codes[i]), int(q_hashes[i])):
                links.append((int(q_codes[i]), int(q_hashes[i])))
                links.append((codes[largest], int(nb_hash[i])))
    labels = list(counts)
    removed = sorted({(labels[c], h) for c, h in links if labels[c] in cleaned}, key=lambda r: (codes[r[0]], r[1]))
    if not removed:
        return (df, plan_from_counts(counts, dict(counts))) if return_plan else df
    gone = df.sparkSession.createDataFrame(pd.DataFrame(removed, columns=[label_col, _HASH])).withColumn(
        label_col, F.col(label_col).cast(df.schema[label_col].dataType))
    result = (df.withColumn(_HASH, row_hash(spec, key)).join(F.broadcast(gone), [label_col, _HASH], "left_anti")
              .select(*df.columns))
    if not return_plan:
        return result
    lost = {c: int(r["count"]) for c, r in ((r[label_col], r) for r in df.withColumn(_HASH, row_hash(spec, key))
                                             .join(F.broadcast(gone), [label_col, _HASH], "left_semi")
                                             .groupBy(label_col).count().collect())}
    return result, plan_from_counts(counts, {c: n - lost.get(c, 0) for c, n in counts.items()})


def _cleaned_classes(classes: str | Sequence | None, counts: dict) -> set:
    if classes is None:
        minority = min(counts, key=lambda c: counts[c])
        return set(counts) - {minority}
    if isinstance(classes, str):
        if classes != "all":
            raise ParameterError(f"classes must be 'all', a list of labels or None, got {classes!r}.")
        return set(counts)
    unknown = [c for c in classes if c not in counts]
    if unknown:
        raise ParameterError(f"classes {unknown} are not labels of the DataFrame; its classes are {list(counts)}.")
    return set(classes)

