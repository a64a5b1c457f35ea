/* One instantiation of the k-nearest-neighbour scan, for element type KNN_T.
 *
 * Included twice by _knn.c (float and double). Before including, define:
 *   KNN_T     the element type
 *   KNN_LANES elements in a 32-byte vector (8 for float, 4 for double)
 *   KNN_NAME(x) a name suffix, e.g. x##_f32
 *
 * Layout. Candidates are packed in tiles of KNN_WIDTH = 2 * KNN_LANES rows, transposed so
 * that one feature of a whole tile is contiguous: packed[tile][feature][lane]. Queries are
 * row-major and padded to a multiple of 4 rows. Padding rows are NaN: every comparison with a
 * NaN distance is false, so padding never enters a result.
 *
 * A group of 4 query rows is scored against a tile of candidates at once: 8 vector
 * accumulators of squared differences, (q - c)^2 summed feature by feature. The differences
 * are computed directly, not as |q|^2 + |c|^2 - 2 q.c, so no precision is lost to
 * cancellation. A tile is looked at element by element only when some distance in it is at
 * most the current k-th distance of its row (or, in the symmetric scan, of its column).
 */

#define KNN_WIDTH (2 * KNN_LANES)

typedef KNN_T KNN_NAME(vec) __attribute__((vector_size(32), aligned(sizeof(KNN_T))));

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

/* Score query rows i0..i0+3 against tile t and offer what beats a current k-th to the lists. */
static inline __attribute__((always_inline)) void KNN_NAME(tile)(
    const KNN_T *queries, int64_t i0, int64_t n_queries, const KNN_T *packed, int64_t t, int64_t n_candidates,
    int64_t d, int k, KNN_T *dist, int64_t *index, KNN_T *threshold, int symmetric, int force, const int64_t *skip,
    const KNN_T *query_norms, const KNN_T *norms, int farthest)
{
    typedef KNN_NAME(vec) vec;
    /* Symmetric: the queries are the candidates, read from the packed tiles (rows i0..i0+3 lie in
     * one tile, a feature apart by KNN_WIDTH), so no row-major copy of X is needed. */
    const KNN_T *q0 = symmetric ? packed + (i0 / KNN_WIDTH) * d * KNN_WIDTH + (i0 % KNN_WIDTH) : queries + i0 * d;
    const int64_t row_step = symmetric ? 1 : d, feature_step = symmetric ? KNN_WIDTH : 1;
    const KNN_T *q1 = q0 + row_step, *q2 = q1 + row_step, *q3 = q2 + row_step;
    const KNN_T *tile = packed + t * d * KNN_WIDTH;
    vec a00 = {0}, a01 = {0}, a10 = {0}, a11 = {0}, a20 = {0}, a21 = {0}, a30 = {0}, a31 = {0};
    if (norms == NULL) {
        for (int64_t c = 0; c < d; c++) {
            const vec c0 = *(const vec *)(tile + c * KNN_WIDTH);
            const vec c1 = *(const vec *)(tile + c * KNN_WIDTH + KNN_LANES);
            const int64_t f = c * feature_step;
            vec x;
            x = q0[f] - c0; a00 += x * x;
            x = q0[f] - c1; a01 += x * x;
            x = q1[f] - c0; a10 += x * x;
            x = q1[f] - c1; a11 += x * x;
            x = q2[f] - c0; a20 += x * x;
            x = q2[f] - c1; a21 += x * x;
            x = q3[f] - c0; a30 += x * x;
            x = q3[f] - c1; a31 += x * x;
        }
    } else {
        /* Dot-product form, |q|^2 + |c|^2 - 2 q.c: one multiply-add per feature and pair
         * instead of a subtraction and a multiply-add. Its rounding error is within the bound
         * the float32 shortlist checks against (see _neighbors._kneighbors_shortlisted). */
        for (int64_t c = 0; c < d; c++) {
            const vec c0 = *(const vec *)(tile + c * KNN_WIDTH);
            const vec c1 = *(const vec *)(tile + c * KNN_WIDTH + KNN_LANES);
            const int64_t f = c * feature_step;
            a00 += q0[f] * c0; a01 += q0[f] * c1;
            a10 += q1[f] * c0; a11 += q1[f] * c1;
            a20 += q2[f] * c0; a21 += q2[f] * c1;
            a30 += q3[f] * c0; a31 += q3[f] * c1;
        }
        const vec n0 = *(const vec *)(norms + t * KNN_WIDTH), n1 = *(const vec *)(norms + t * KNN_WIDTH + KNN_LANES);
        const KNN_T m0 = query_norms[i0], m1 = query_norms[i0 + 1], m2 = query_norms[i0 + 2], m3 = query_norms[i0 + 3];
        a00 = (m0 + n0) - 2 * a00; a01 = (m0 + n1) - 2 * a01;
        a10 = (m1 + n0) - 2 * a10; a11 = (m1 + n1) - 2 * a11;
        a20 = (m2 + n0) - 2 * a20; a21 = (m2 + n1) - 2 * a21;
        a30 = (m3 + n0) - 2 * a30; a31 = (m3 + n1) - 2 * a31;
    }
    if (farthest) { /* the k largest distances are the k smallest of their negatives */
        a00 = -a00; a01 = -a01; a10 = -a10; a11 = -a11; a20 = -a20; a21 = -a21; a30 = -a30; a31 = -a31;
    }
    const int64_t j0 = t * KNN_WIDTH;
    typedef __typeof__(a00 <= a00) mask;
    mask hit = (a00 <= threshold[i0]) | (a01 <= threshold[i0]) | (a10 <= threshold[i0 + 1]) |
               (a11 <= threshold[i0 + 1]) | (a20 <= threshold[i0 + 2]) | (a21 <= threshold[i0 + 2]) |
               (a30 <= threshold[i0 + 3]) | (a31 <= threshold[i0 + 3]);
    if (symmetric) {
        const vec t0 = *(const vec *)(threshold + j0), t1 = *(const vec *)(threshold + j0 + KNN_LANES);
        hit |= (a00 <= t0) | (a10 <= t0) | (a20 <= t0) | (a30 <= t0) | (a01 <= t1) | (a11 <= t1) |
               (a21 <= t1) | (a31 <= t1);
    }
    int any = force;
    for (int l = 0; l < KNN_LANES; l++)
        any |= hit[l] != 0;
    if (!any)
        return;

    KNN_T scores[4][KNN_WIDTH];
    *(vec *)scores[0] = a00; *(vec *)(scores[0] + KNN_LANES) = a01;
    *(vec *)scores[1] = a10; *(vec *)(scores[1] + KNN_LANES) = a11;
    *(vec *)scores[2] = a20; *(vec *)(scores[2] + KNN_LANES) = a21;
    *(vec *)scores[3] = a30; *(vec *)(scores[3] + KNN_LANES) = a31;
    for (int r = 0; r < 4; r++) {
        const int64_t i = i0 + r;
        if (i >= n_queries)
            break;
        for (int l = 0; l < KNN_WIDTH; l++) {
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
}

/* Every query group g = group_begin + m * group_step against every tile (symmetric: the tiles
 * from its own on). Tiles are taken a cache-sized block at a time, every group passing over a
 * block before the next is read: the block stays in L2 instead of streaming from L3. */
KNN_CLONES static void KNN_NAME(scan)(const KNN_T *queries, int64_t n_queries, const KNN_T *packed,
                                      int64_t n_candidates, int64_t n_tiles, int64_t d, int k, KNN_T *dist,
                                      int64_t *index, KNN_T *threshold, int64_t group_begin, int64_t group_step,
                                      int symmetric, const int64_t *skip, const KNN_T *query_norms,
                                      const KNN_T *norms, int farthest)
{
    const int64_t n_groups = (n_queries + 3) / 4;
    int64_t block = KNN_BLOCK_BYTES / (d * KNN_WIDTH * (int64_t)sizeof(KNN_T));
    if (block < 1)
        block = 1;
    for (int64_t b0 = 0; b0 < n_tiles; b0 += block) {
        const int64_t b1 = b0 + block < n_tiles ? b0 + block : n_tiles;
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
                                   t == first_tile, skip, query_norms, norms, farthest);
            } else {
                for (int64_t t = b0; t < b1; t++)
                    KNN_NAME(tile)(queries, i0, n_queries, packed, t, n_candidates, d, k, dist, index, threshold, 0,
                                   0, skip, query_norms, norms, farthest);
            }
        }
    }
}

/* Merge list b into list a, row by row: the k smallest (distance, index) pairs of both, sorted,
 * ties to the lower index. Both lists are sorted; `buffer` holds k pairs. */
static void KNN_NAME(merge)(KNN_T *dist_a, int64_t *index_a, const KNN_T *dist_b, const int64_t *index_b, int64_t n,
                            int k, KNN_T *buffer_dist, int64_t *buffer_index)
{
    for (int64_t i = 0; i < n; i++) {
        KNN_T *da = dist_a + i * k;
        int64_t *ia = index_a + i * k;
        const KNN_T *db = dist_b + i * k;
        const int64_t *ib = index_b + i * k;
        int p = 0, q = 0;
        for (int m = 0; m < k; m++) {
            const int take_a = q >= k || (p < k && (da[p] < db[q] || (da[p] == db[q] && ia[p] <= ib[q])));
            buffer_dist[m] = take_a ? da[p] : db[q];
            buffer_index[m] = take_a ? ia[p] : ib[q];
            if (take_a)
                p++;
            else
                q++;
        }
        for (int m = 0; m < k; m++) {
            da[m] = buffer_dist[m];
            ia[m] = buffer_index[m];
        }
    }
}

#undef KNN_WIDTH
