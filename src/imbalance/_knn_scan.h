/* One instantiation of the k-nearest-neighbour scan, for element type KNN_T.
 *
 * Included twice by _knn.c (float and double). Before including, define:
 *   KNN_T     the element type
 *   KNN_LANES elements in a 32-byte vector (8 for float, 4 for double)
 *   KNN_NAME(x) a name suffix, e.g. x##_f32
 *
 * Layout. Candidates are packed in tiles of KNN_WIDTH = 3 * KNN_LANES rows, transposed so
 * that one feature of a whole tile is contiguous: packed[tile][feature][lane]. Queries are
 * row-major and padded to a multiple of 4 rows. Padding rows are NaN: every comparison with a
 * NaN distance is false, so padding never enters a result.
 *
 * A group of 4 query rows is scored against a tile of candidates at once: 12 vector
 * accumulators of squared differences, (q - c)^2 summed feature by feature. The differences
 * are computed directly, not as |q|^2 + |c|^2 - 2 q.c, so no precision is lost to
 * cancellation. A tile is looked at element by element only when some distance in it is at
 * most the current k-th distance of its row (or, in the symmetric scan, of its column).
 */

#define KNN_WIDTH (3 * KNN_LANES)

typedef KNN_T KNN_NAME(vec) __attribute__((vector_size(32), aligned(sizeof(KNN_T))));
#if KNN_LANES == 8
typedef int32_t KNN_NAME(mask) __attribute__((vector_size(32)));
#else
typedef int64_t KNN_NAME(mask) __attribute__((vector_size(32)));
#endif

/* The lanes of a comparison that hold, as bits (lane l -> bit l). */
static inline uint32_t KNN_NAME(bits)(KNN_NAME(mask) m)
{
#if defined(__AVX2__) && KNN_LANES == 8
    return (uint32_t)__builtin_ia32_movmskps256((knn_v8sf)m);
#elif defined(__AVX2__)
    return (uint32_t)__builtin_ia32_movmskpd256((knn_v4df)m);
#else
    uint32_t b = 0;
    for (int l = 0; l < KNN_LANES; l++)
        b |= (uint32_t)(m[l] != 0) << l;
    return b;
#endif
}

/* Keep the k smallest (distance, index) pairs of a row, sorted; ties go to the lower index so
 * that the result does not depend on the order the pairs were seen in. */
static inline void KNN_NAME(push)(KNN_T *dist, int64_t *index, KNN_T *threshold, int k, KNN_T d, int64_t j)
{
    if (d > dist[k - 1] || (d == dist[k - 1] && j >= index[k - 1]))
        return;
    int p = k - 1;
    while (p > 0 && (dist[p - 1] > d || (dist[p - 1] == d && index[p - 1] > j))) {
        dist[p] = dist[p - 1];
        index[p] = index[p - 1];
        p--;
    }
    dist[p] = d;
    index[p] = j;
    *threshold = dist[k - 1];
}

/* Score query rows i0..i0+3 against tile t and offer what beats a current k-th to the lists.
 * Twelve accumulators (4 rows x 3 vectors) keep both FMA units busy through their latency and
 * leave the 16 vector registers of AVX2 enough for the candidates and the broadcast. */
static inline __attribute__((always_inline)) int KNN_NAME(tile)(
    const KNN_T *queries, int64_t i0, int64_t n_queries, const KNN_T *packed, int64_t t, int64_t n_candidates,
    int64_t d, int k, KNN_T *dist, int64_t *index, KNN_T *threshold, int symmetric, int force, const int64_t *skip,
    const KNN_T *query_norms, const KNN_T *norms, int farthest, const KNN_T *cut, KNN_T *seeds)
{
    typedef KNN_NAME(vec) vec;
    /* Symmetric: the queries are the candidates, read from the packed tiles (rows i0..i0+3 lie in
     * one tile, a feature apart by KNN_WIDTH), so no row-major copy of X is needed. */
    const KNN_T *q0 = symmetric ? packed + (i0 / KNN_WIDTH) * d * KNN_WIDTH + (i0 % KNN_WIDTH) : queries + i0 * d;
    const int64_t row_step = symmetric ? 1 : d, feature_step = symmetric ? KNN_WIDTH : 1;
    const KNN_T *q1 = q0 + row_step, *q2 = q1 + row_step, *q3 = q2 + row_step;
    const KNN_T *tile = packed + t * d * KNN_WIDTH;
    typedef KNN_NAME(mask) mask;
    vec a00 = {0}, a01 = {0}, a02 = {0}, a10 = {0}, a11 = {0}, a12 = {0};
    vec a20 = {0}, a21 = {0}, a22 = {0}, a30 = {0}, a31 = {0}, a32 = {0};
    if (norms == NULL) {
        for (int64_t c = 0; c < d; c++) {
            const KNN_T *f = tile + c * KNN_WIDTH;
            const vec c0 = *(const vec *)f, c1 = *(const vec *)(f + KNN_LANES), c2 = *(const vec *)(f + 2 * KNN_LANES);
            const int64_t o = c * feature_step;
            vec x;
#define KNN_ROW(q, r0, r1, r2) \
            x = q[o] - c0; r0 += x * x; \
            x = q[o] - c1; r1 += x * x; \
            x = q[o] - c2; r2 += x * x;
            KNN_ROW(q0, a00, a01, a02) KNN_ROW(q1, a10, a11, a12) KNN_ROW(q2, a20, a21, a22) KNN_ROW(q3, a30, a31, a32)
#undef KNN_ROW
        }
    } else if (symmetric) {
        /* Dot-product form, |q|^2 + |c|^2 - 2 q.c: one multiply-add per feature and pair
         * instead of a subtraction and a multiply-add. Its rounding error is within the bound
         * the float32 shortlist checks against (see _neighbors._kneighbors_shortlisted). */
        for (int64_t c = 0; c < d; c++) {
            const KNN_T *f = tile + c * KNN_WIDTH;
            const vec c0 = *(const vec *)f, c1 = *(const vec *)(f + KNN_LANES), c2 = *(const vec *)(f + 2 * KNN_LANES);
            const int64_t o = c * feature_step;
#define KNN_ROW(q, r0, r1, r2) r0 += q[o] * c0; r1 += q[o] * c1; r2 += q[o] * c2;
            KNN_ROW(q0, a00, a01, a02) KNN_ROW(q1, a10, a11, a12) KNN_ROW(q2, a20, a21, a22) KNN_ROW(q3, a30, a31, a32)
#undef KNN_ROW
        }
        const KNN_T *tn = norms + t * KNN_WIDTH;
        const vec n0 = *(const vec *)tn, n1 = *(const vec *)(tn + KNN_LANES), n2 = *(const vec *)(tn + 2 * KNN_LANES);
#define KNN_ROW(m, r0, r1, r2) r0 = (m + n0) - 2 * r0; r1 = (m + n1) - 2 * r1; r2 = (m + n2) - 2 * r2;
        KNN_ROW(query_norms[i0], a00, a01, a02) KNN_ROW(query_norms[i0 + 1], a10, a11, a12)
        KNN_ROW(query_norms[i0 + 2], a20, a21, a22) KNN_ROW(query_norms[i0 + 3], a30, a31, a32)
#undef KNN_ROW
    } else {
        /* Dot-product form with half the distance left to add: the accumulators start at
         * |c|^2 / 2 and take away q.c, so that |q - c|^2 = |q|^2 + 2 a. A row's k-th distance h
         * becomes (h - |q|^2) / 2 to compare with, once per row: the tile then compares what
         * it summed, with no arithmetic per pair (the pairs that pass are rescored below). */
        const KNN_T *tn = norms + t * KNN_WIDTH;
        const vec n0 = *(const vec *)tn * (KNN_T)0.5, n1 = *(const vec *)(tn + KNN_LANES) * (KNN_T)0.5,
                  n2 = *(const vec *)(tn + 2 * KNN_LANES) * (KNN_T)0.5;
        a00 = a10 = a20 = a30 = n0;
        a01 = a11 = a21 = a31 = n1;
        a02 = a12 = a22 = a32 = n2;
        for (int64_t c = 0; c < d; c++) {
            const KNN_T *f = tile + c * KNN_WIDTH;
            const vec c0 = *(const vec *)f, c1 = *(const vec *)(f + KNN_LANES), c2 = *(const vec *)(f + 2 * KNN_LANES);
            const int64_t o = c * feature_step;
#define KNN_ROW(q, r0, r1, r2) r0 -= q[o] * c0; r1 -= q[o] * c1; r2 -= q[o] * c2;
            KNN_ROW(q0, a00, a01, a02) KNN_ROW(q1, a10, a11, a12) KNN_ROW(q2, a20, a21, a22) KNN_ROW(q3, a30, a31, a32)
#undef KNN_ROW
        }
    }
    if (farthest) { /* the k largest distances are the k smallest of their negatives */
        a00 = -a00; a01 = -a01; a02 = -a02; a10 = -a10; a11 = -a11; a12 = -a12;
        a20 = -a20; a21 = -a21; a22 = -a22; a30 = -a30; a31 = -a31; a32 = -a32;
    }
    const int half = norms != NULL && !symmetric; /* the half-distance form */
    if (half) {
        if (seeds == NULL) { /* the pairs that may beat their row's k-th: a <= cut (see cuts()) */
            const mask pass = (a00 <= cut[0]) | (a01 <= cut[0]) | (a02 <= cut[0]) | (a10 <= cut[1]) |
                              (a11 <= cut[1]) | (a12 <= cut[1]) | (a20 <= cut[2]) | (a21 <= cut[2]) |
                              (a22 <= cut[2]) | (a30 <= cut[3]) | (a31 <= cut[3]) | (a32 <= cut[3]);
            if (KNN_NAME(bits)(pass) == 0)
                return 0;
        }
        const KNN_T s = farthest ? -1 : 1, m0 = s * query_norms[i0], m1 = s * query_norms[i0 + 1],
                    m2 = s * query_norms[i0 + 2], m3 = s * query_norms[i0 + 3];
#define KNN_ROW(m, r0, r1, r2) r0 = m + 2 * r0; r1 = m + 2 * r1; r2 = m + 2 * r2;
        KNN_ROW(m0, a00, a01, a02) KNN_ROW(m1, a10, a11, a12) KNN_ROW(m2, a20, a21, a22) KNN_ROW(m3, a30, a31, a32)
#undef KNN_ROW
        if (seeds != NULL) { /* the scores kept for seeded(), 4 rows of KNN_WIDTH */
            vec *out = (vec *)seeds;
            out[0] = a00; out[1] = a01; out[2] = a02; out[3] = a10; out[4] = a11; out[5] = a12;
            out[6] = a20; out[7] = a21; out[8] = a22; out[9] = a30; out[10] = a31; out[11] = a32;
            return 0;
        }
    }
    const int64_t j0 = t * KNN_WIDTH;
    const KNN_T *column = threshold + j0;
    if (!half) {
        const KNN_T h0 = threshold[i0], h1 = threshold[i0 + 1], h2 = threshold[i0 + 2], h3 = threshold[i0 + 3];
        mask hit = (a00 <= h0) | (a01 <= h0) | (a02 <= h0) | (a10 <= h1) | (a11 <= h1) | (a12 <= h1) |
                   (a20 <= h2) | (a21 <= h2) | (a22 <= h2) | (a30 <= h3) | (a31 <= h3) | (a32 <= h3);
        if (symmetric) {
            const vec t0 = *(const vec *)column, t1 = *(const vec *)(column + KNN_LANES),
                      t2 = *(const vec *)(column + 2 * KNN_LANES);
            hit |= (a00 <= t0) | (a10 <= t0) | (a20 <= t0) | (a30 <= t0) | (a01 <= t1) | (a11 <= t1) | (a21 <= t1) |
                   (a31 <= t1) | (a02 <= t2) | (a12 <= t2) | (a22 <= t2) | (a32 <= t2);
        }
        if (!force && KNN_NAME(bits)(hit) == 0)
            return 0;
    }

    /* Some pair beats a k-th: visit only the pairs that do, row by row, against the thresholds
     * as they are now (pushes only lower them, and push() checks again). */
    KNN_T scores[4][KNN_WIDTH];
    vec *row = (vec *)scores[0];
    row[0] = a00; row[1] = a01; row[2] = a02;
    row = (vec *)scores[1];
    row[0] = a10; row[1] = a11; row[2] = a12;
    row = (vec *)scores[2];
    row[0] = a20; row[1] = a21; row[2] = a22;
    row = (vec *)scores[3];
    row[0] = a30; row[1] = a31; row[2] = a32;
    for (int r = 0; r < 4; r++) {
        const int64_t i = i0 + r;
        if (i >= n_queries)
            break;
        const vec *sr = (const vec *)scores[r];
        uint32_t lanes;
        if (force) {
            lanes = (uint32_t)((1ull << KNN_WIDTH) - 1);
        } else {
            const KNN_T h = threshold[i];
            lanes = KNN_NAME(bits)(sr[0] <= h) | KNN_NAME(bits)(sr[1] <= h) << KNN_LANES |
                    KNN_NAME(bits)(sr[2] <= h) << (2 * KNN_LANES);
            if (symmetric) {
                const vec *tv = (const vec *)column;
                lanes |= KNN_NAME(bits)(sr[0] <= tv[0]) | KNN_NAME(bits)(sr[1] <= tv[1]) << KNN_LANES |
                         KNN_NAME(bits)(sr[2] <= tv[2]) << (2 * KNN_LANES);
            }
        }
        while (lanes) {
            const int l = __builtin_ctz(lanes);
            lanes &= lanes - 1;
            const int64_t j = j0 + l;
            if (j >= n_candidates)
                break;
            const KNN_T s = scores[r][l];
            if (symmetric) {
                if (j <= i)
                    continue;
                if (s <= threshold[j])
                    KNN_NAME(push)(dist + j * k, index + j * k, threshold + j, k, s, i);
            } else if (skip != NULL && skip[i] == j) {
                continue;
            }
            if (s <= threshold[i])
                KNN_NAME(push)(dist + i * k, index + i * k, threshold + i, k, s, j);
        }
    }
    return 1;
}

/* For the half-distance form: what a row's accumulator must be at most for the pair to be
 * offered. The score is s m + 2 a (m = |q|^2, s = -1 for the farthest), at most the row's
 * k-th h when a <= (h - s m) / 2. That is rounded up by far more than the rounding of
 * s m + 2 a can move (16 units of the larger magnitude), so no pair at most h is missed; one
 * let through in excess is turned away when rescored. NaN (padding) lets nothing through. */
static inline void KNN_NAME(cuts)(KNN_T *cut, const KNN_T *threshold, const KNN_T *query_norms, int64_t i0,
                                  int farthest)
{
    const KNN_T s = farthest ? -1 : 1, slack = KNN_LANES == 8 ? (KNN_T)0x1p-20 : (KNN_T)0x1p-49;
    for (int r = 0; r < 4; r++) {
        const KNN_T h = threshold[i0 + r], m = query_norms[i0 + r];
        cut[r] = (h - s * m) * (KNN_T)0.5 + ((h < 0 ? -h : h) + m) * slack;
    }
}

/* Tiles scored before any pair is offered, to seed the lists (see seeded()). */
#define KNN_SEED_TILES 16

/* Offer the pairs of the first n_seed tiles, scored into `seeds` (tile by tile, 4 rows of
 * KNN_WIDTH each), that may be among a row's k nearest. Offered one by one as they come, a row
 * would push about k ln(n / k) times, most of them in the first tiles (a push costs a hundred
 * cycles; a tile of 96 pairs, about two hundred). Here each vector lane's least score over the
 * tiles is taken: these are KNN_LANES scores of distinct candidates, so at least k scores are
 * at most b, their k-th smallest, and no pair above b can be among the k nearest. Only the
 * pairs at most b are offered: a few pushes a row. (k <= KNN_LANES; the pair a row skips is
 * made NaN first; NaN, a removed row, is never least and never offered.) */
static void KNN_NAME(seeded)(KNN_T *seeds, int64_t n_seed, int64_t i0, int64_t n_queries, int k, KNN_T *dist,
                             int64_t *index, KNN_T *threshold, const int64_t *skip)
{
    typedef KNN_NAME(vec) vec;
    typedef KNN_NAME(mask) mask;
    for (int r = 0; r < 4; r++) {
        const int64_t i = i0 + r;
        if (i >= n_queries)
            break;
        if (skip != NULL && skip[i] >= 0 && skip[i] < n_seed * KNN_WIDTH) /* -1: nothing to skip */
            seeds[((skip[i] / KNN_WIDTH) * 4 + r) * KNN_WIDTH + skip[i] % KNN_WIDTH] = (KNN_T)NAN;
        vec least = ((const vec *)(seeds + r * KNN_WIDTH))[0];
        for (int64_t t = 0; t < n_seed; t++) {
            const vec *x = (const vec *)(seeds + (t * 4 + r) * KNN_WIDTH);
            for (int v = t == 0; v < 3; v++) {
                const mask lower = (x[v] < least) | (least != least); /* NaN in least gives way */
                least = (vec)(((mask)x[v] & lower) | ((mask)least & ~lower));
            }
        }
        /* b: the k-th smallest of the lanes' least scores, without a branch: each lane's score
         * sinks through a sorted list of k (a NaN sinks to the bottom and drops out). */
        KNN_T best[KNN_LANES];
        for (int p = 0; p < k; p++)
            best[p] = (KNN_T)INFINITY;
        for (int l = 0; l < KNN_LANES; l++) {
            KNN_T x = least[l];
            for (int p = 0; p < k; p++) {
                const KNN_T y = best[p];
                best[p] = x < y ? x : y;
                x = x < y ? y : x;
            }
        }
        /* With fewer than k scores (NaN rows in the first tiles) b is infinite: every pair is offered. */
        const KNN_T b = best[k - 1];
        for (int64_t t = 0; t < n_seed; t++) {
            const KNN_T *row = seeds + (t * 4 + r) * KNN_WIDTH;
            const vec *rv = (const vec *)row;
            uint32_t hits = KNN_NAME(bits)(rv[0] <= b) | KNN_NAME(bits)(rv[1] <= b) << KNN_LANES |
                            KNN_NAME(bits)(rv[2] <= b) << (2 * KNN_LANES);
            while (hits) {
                const int l = __builtin_ctz(hits);
                hits &= hits - 1;
                if (row[l] <= threshold[i])
                    KNN_NAME(push)(dist + i * k, index + i * k, threshold + i, k, row[l], t * KNN_WIDTH + l);
            }
        }
    }
}

/* Every query group g = group_begin + m * group_step below group_end against the tiles
 * tile_begin..tile_end - 1 (symmetric: those from its own on). Tiles are taken a cache-sized
 * block at a time, every group passing over a block before the next is read: the block stays
 * in L2 instead of streaming from L3. */
static void KNN_NAME(scan)(const KNN_T *queries, int64_t n_queries, const KNN_T *packed,
                                      int64_t n_candidates, int64_t n_tiles, int64_t d, int k, KNN_T *dist,
                                      int64_t *index, KNN_T *threshold, int64_t group_begin, int64_t group_step,
                                      int64_t group_end, int64_t tile_begin, int64_t tile_end, int symmetric,
                                      const int64_t *skip, const KNN_T *query_norms, const KNN_T *norms, int farthest)
{
    const int64_t n_groups = group_end < (n_queries + 3) / 4 ? group_end : (n_queries + 3) / 4;
    int64_t block = KNN_BLOCK_BYTES / (d * KNN_WIDTH * (int64_t)sizeof(KNN_T));
    if (block < 1)
        block = 1;
    /* Seeding pays where there are many more tiles than it scores first, and needs full tiles. */
    const int64_t n_seed = !symmetric && norms != NULL && k <= KNN_LANES && n_candidates >= 4 * KNN_SEED_TILES * KNN_WIDTH
                           && block >= KNN_SEED_TILES && tile_begin == 0 && tile_end >= 4 * KNN_SEED_TILES
                           ? KNN_SEED_TILES : 0;
    KNN_T seeds[KNN_SEED_TILES * 4 * KNN_WIDTH] __attribute__((aligned(32)));
    if (tile_end > n_tiles)
        tile_end = n_tiles;
    for (int64_t b0 = tile_begin; b0 < tile_end; b0 += block) {
        const int64_t b1 = b0 + block < tile_end ? b0 + block : tile_end;
        for (int64_t g = group_begin; g < n_groups; g += group_step) {
            const int64_t i0 = 4 * g;
            /* Symmetric: only pairs j > i, each offered to both rows' lists. */
            const int64_t first_tile = symmetric ? i0 / KNN_WIDTH : 0;
            if (first_tile >= b1)
                break; /* and so for every later group */
            /* Two call sites with a constant `symmetric`, so that each inlined copy is specialised. */
            if (symmetric) {
                for (int64_t t = first_tile > b0 ? first_tile : b0; t < b1; t++)
                    KNN_NAME(tile)(queries, i0, n_queries, packed, t, n_candidates, d, k, dist, index, threshold, 1,
                                   t == first_tile, skip, query_norms, norms, farthest, NULL, NULL);
            } else if (norms != NULL) { /* the half-distance form: the rows' cuts change only with a push */
                int64_t t = b0;
                /* Seeded only from empty lists: lists begun elsewhere (start=) already have a k-th. */
                if (b0 == 0 && n_seed > 0 && threshold[i0] == (KNN_T)INFINITY && threshold[i0 + 1] == (KNN_T)INFINITY &&
                    threshold[i0 + 2] == (KNN_T)INFINITY && threshold[i0 + 3] == (KNN_T)INFINITY) {
                    for (; t < n_seed; t++)
                        KNN_NAME(tile)(queries, i0, n_queries, packed, t, n_candidates, d, k, dist, index, threshold,
                                       0, 0, skip, query_norms, norms, farthest, NULL, seeds + t * 4 * KNN_WIDTH);
                    KNN_NAME(seeded)(seeds, n_seed, i0, n_queries, k, dist, index, threshold, skip);
                }
                KNN_T cut[4];
                KNN_NAME(cuts)(cut, threshold, query_norms, i0, farthest);
                for (; t < b1; t++)
                    if (KNN_NAME(tile)(queries, i0, n_queries, packed, t, n_candidates, d, k, dist, index, threshold,
                                       0, 0, skip, query_norms, norms, farthest, cut, NULL))
                        KNN_NAME(cuts)(cut, threshold, query_norms, i0, farthest);
            } else {
                for (int64_t t = b0; t < b1; t++)
                    KNN_NAME(tile)(queries, i0, n_queries, packed, t, n_candidates, d, k, dist, index, threshold, 0,
                                   0, skip, query_norms, norms, farthest, NULL, NULL);
            }
        }
    }
}

#undef KNN_WIDTH
