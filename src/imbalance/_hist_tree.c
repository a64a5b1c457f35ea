/* Classification trees on binned features, for the balanced ensembles (imbalance/_hist_tree.py).
 *
 * Every feature is binned once per ensemble (at most 255 bins, uint8, column-major), and each
 * tree grows depth-first on the rows its member drew: at a node, a histogram of the class
 * weights per bin of each candidate feature gives every split's impurity in one pass over the
 * node's rows, instead of a sort. Arrays arrive through the buffer protocol (no numpy headers);
 * growing and applying run without the GIL, so trees grow in parallel threads.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#define MAX_BINS 256

typedef struct {
    int32_t *feature;      /* -1 for a leaf */
    int32_t *bin;          /* left child takes bins <= bin */
    int32_t *left, *right; /* -1 for a leaf */
    double *value;         /* class weight totals, n_classes per node */
    double *impurity;
    double *weight;        /* weighted rows */
    int64_t *count;        /* rows */
    Py_ssize_t size, capacity, n_classes;
} Nodes;

typedef struct {
    Py_ssize_t start, end;
    int depth;
    int32_t parent;
    int is_left;
} Task;

static int grow_nodes(Nodes *t)
{
    Py_ssize_t cap = t->capacity ? 2 * t->capacity : 64;
#define GROW(field, type, per)                                                         \
    {                                                                                  \
        type *p = realloc(t->field, (size_t)cap * (per) * sizeof(type));               \
        if (p == NULL) return -1;                                                      \
        t->field = p;                                                                  \
    }
    GROW(feature, int32_t, 1)
    GROW(bin, int32_t, 1)
    GROW(left, int32_t, 1)
    GROW(right, int32_t, 1)
    GROW(value, double, t->n_classes)
    GROW(impurity, double, 1)
    GROW(weight, double, 1)
    GROW(count, int64_t, 1)
#undef GROW
    t->capacity = cap;
    return 0;
}

static void free_nodes(Nodes *t)
{
    free(t->feature); free(t->bin); free(t->left); free(t->right);
    free(t->value); free(t->impurity); free(t->weight); free(t->count);
}

/* splitmix64: a small, good generator for the feature draws. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Impurity of class totals with sum w: Gini 1 - sum p^2, or entropy -sum p log2 p. */
static double impurity(const double *totals, Py_ssize_t k, double w, int entropy)
{
    if (w <= 0) return 0.0;
    double s = 0.0;
    for (Py_ssize_t c = 0; c < k; c++) {
        double p = totals[c] / w;
        if (entropy) { if (p > 0) s -= p * log2(p); }
        else s += p * p;
    }
    return entropy ? s : 1.0 - s;
}

typedef struct {
    const uint8_t *binned;   /* d columns of n bins */
    const int32_t *n_bins;   /* per feature */
    const int32_t *codes;    /* class code per row */
    const double *weights;   /* weight per row */
    int64_t *rows;           /* the tree's rows, permuted in place */
    Py_ssize_t n, d, k;
    int max_features, min_split, min_leaf, max_depth, entropy;
    double min_decrease, total_weight;
    uint64_t seed;
} Problem;

/* Grow one tree; 0 on success, -1 when out of memory. */
static int grow(const Problem *pb, Py_ssize_t n_rows, Nodes *t)
{
    Py_ssize_t k = pb->k, d = pb->d;
    uint64_t state = pb->seed;
    double *hist = calloc((size_t)MAX_BINS * k, sizeof(double));
    int64_t *hist_count = calloc(MAX_BINS, sizeof(int64_t));
    uint8_t occupied[MAX_BINS];
    double *totals = malloc((size_t)k * sizeof(double)), *left = malloc((size_t)k * sizeof(double));
    double *best_left = malloc((size_t)k * sizeof(double)), *right = malloc((size_t)k * sizeof(double));
    int32_t *order = malloc((size_t)d * sizeof(int32_t));
    Py_ssize_t stack_cap = 64, stack_size = 0;
    Task *stack = malloc((size_t)stack_cap * sizeof(Task));
    int status = -1;
    if (!hist || !hist_count || !totals || !left || !best_left || !right || !order || !stack) goto done;
    for (Py_ssize_t f = 0; f < d; f++) order[f] = (int32_t)f;

    stack[stack_size++] = (Task){0, n_rows, 0, -1, 0};
    while (stack_size > 0) {
        Task task = stack[--stack_size];
        Py_ssize_t start = task.start, end = task.end, count = end - start;
        memset(totals, 0, (size_t)k * sizeof(double));
        for (Py_ssize_t i = start; i < end; i++) {
            int64_t r = pb->rows[i];
            totals[pb->codes[r]] += pb->weights[r];
        }
        double w = 0.0;
        for (Py_ssize_t c = 0; c < k; c++) w += totals[c];

        if (t->size == t->capacity && grow_nodes(t)) goto done;
        Py_ssize_t node = t->size++;
        memcpy(t->value + node * k, totals, (size_t)k * sizeof(double));
        t->impurity[node] = impurity(totals, k, w, pb->entropy);
        t->weight[node] = w;
        t->count[node] = count;
        t->feature[node] = -1;
        t->bin[node] = -1;
        t->left[node] = t->right[node] = -1;
        if (task.parent >= 0) {
            if (task.is_left) t->left[task.parent] = (int32_t)node;
            else t->right[task.parent] = (int32_t)node;
        }
        if ((pb->max_depth >= 0 && task.depth >= pb->max_depth) || count < pb->min_split ||
            count < 2 * (Py_ssize_t)pb->min_leaf || t->impurity[node] <= 1e-12)
            continue;

        /* Candidate features in random order until max_features non-constant ones are seen. */
        int best_feature = -1, best_bin = -1, seen = 0;
        double best_score = -INFINITY;
        for (Py_ssize_t j = 0; j < d && seen < pb->max_features; j++) {
            Py_ssize_t pick = j + (Py_ssize_t)(next_random(&state) % (uint64_t)(d - j));
            int32_t f = order[pick];
            order[pick] = order[j];
            order[j] = f;
            int nb = pb->n_bins[f];
            const uint8_t *column = pb->binned + (size_t)f * pb->n;
            /* hist and hist_count are all zero between features; only the occupied bins are
             * visited and cleared again, so a small node costs its rows, not the bin count. */
            int n_occupied = 0;
            for (Py_ssize_t i = start; i < end; i++) {
                int64_t r = pb->rows[i];
                uint8_t b = column[r];
                if (hist_count[b]++ == 0) occupied[n_occupied++] = b;
                hist[(Py_ssize_t)b * k + pb->codes[r]] += pb->weights[r];
            }
            if (n_occupied >= 2) {
                seen++;
                if (8 * n_occupied < nb) {  /* few bins: sort them (insertion sort) */
                    for (int a = 1; a < n_occupied; a++) {
                        uint8_t v = occupied[a];
                        int z = a - 1;
                        while (z >= 0 && occupied[z] > v) { occupied[z + 1] = occupied[z]; z--; }
                        occupied[z + 1] = v;
                    }
                } else {  /* many: read them off in order */
                    n_occupied = 0;
                    for (int b = 0; b < nb; b++)
                        if (hist_count[b]) occupied[n_occupied++] = (uint8_t)b;
                }
                memset(left, 0, (size_t)k * sizeof(double));
                double wl = 0.0;
                Py_ssize_t nl = 0;
                for (int a = 0; a < n_occupied - 1; a++) {  /* split after each occupied bin but the last */
                    int b = occupied[a];
                    for (Py_ssize_t c = 0; c < k; c++) {
                        left[c] += hist[(Py_ssize_t)b * k + c];
                        wl += hist[(Py_ssize_t)b * k + c];
                    }
                    nl += hist_count[b];
                    double wr = w - wl;
                    if (nl < pb->min_leaf || count - nl < pb->min_leaf || wl <= 0 || wr <= 0) continue;
                    double score;
                    if (pb->entropy) {
                        for (Py_ssize_t c = 0; c < k; c++) right[c] = totals[c] - left[c];
                        score = -(wl * impurity(left, k, wl, 1) + wr * impurity(right, k, wr, 1));
                    } else {  /* minimising wl*gini_l + wr*gini_r is maximising sum l^2/wl + sum r^2/wr */
                        double sl = 0.0, sr = 0.0;
                        for (Py_ssize_t c = 0; c < k; c++) {
                            double rc = totals[c] - left[c];
                            sl += left[c] * left[c];
                            sr += rc * rc;
                        }
                        score = sl / wl + sr / wr;
                    }
                    if (score > best_score) {
                        best_score = score;
                        best_feature = f;
                        best_bin = b;
                        memcpy(best_left, left, (size_t)k * sizeof(double));
                    }
                }
            }
            for (int a = 0; a < n_occupied; a++) {  /* back to all zero */
                int b = occupied[a];
                hist_count[b] = 0;
                memset(hist + (Py_ssize_t)b * k, 0, (size_t)k * sizeof(double));
            }
        }
        if (best_feature < 0) continue;
        double wl = 0.0;
        for (Py_ssize_t c = 0; c < k; c++) {
            wl += best_left[c];
            right[c] = totals[c] - best_left[c];
        }
        double wr = w - wl;
        double decrease = (w * t->impurity[node] - wl * impurity(best_left, k, wl, pb->entropy) -
                           wr * impurity(right, k, wr, pb->entropy)) / pb->total_weight;
        if (decrease + 1e-12 < pb->min_decrease) continue;  /* as scikit-learn: a split that gains ~0 is still made */

        /* Partition the node's rows: bins <= best_bin first. */
        const uint8_t *column = pb->binned + (size_t)best_feature * pb->n;
        Py_ssize_t i = start, j = end - 1;
        while (i <= j) {
            if (column[pb->rows[i]] <= best_bin) i++;
            else { int64_t tmp = pb->rows[i]; pb->rows[i] = pb->rows[j]; pb->rows[j] = tmp; j--; }
        }
        t->feature[node] = best_feature;
        t->bin[node] = best_bin;
        if (stack_size + 2 > stack_cap) {
            stack_cap *= 2;
            Task *p = realloc(stack, (size_t)stack_cap * sizeof(Task));
            if (p == NULL) goto done;
            stack = p;
        }
        stack[stack_size++] = (Task){i, end, task.depth + 1, (int32_t)node, 0};   /* right, popped second */
        stack[stack_size++] = (Task){start, i, task.depth + 1, (int32_t)node, 1};  /* left first */
    }
    status = 0;
done:
    free(hist); free(hist_count); free(totals); free(left); free(best_left); free(right); free(order); free(stack);
    return status;
}

static int check_size(const Py_buffer *buf, Py_ssize_t need, const char *name)
{
    if (buf->len < need) {
        PyErr_Format(PyExc_ValueError, "%s holds %zd bytes, %zd needed", name, buf->len, need);
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(grow_doc,
"grow(binned, n, d, n_bins, codes, weights, rows, n_rows, n_classes, max_features, min_samples_split,\n"
"     min_samples_leaf, max_depth, entropy, min_impurity_decrease, total_weight, seed)\n"
"--\n\n"
"Grow one tree on rows[:n_rows] (int64, permuted in place). binned: uint8, d columns of n;\n"
"n_bins: int32 per feature; codes: int32 per row; weights: float64 per row. Returns the node\n"
"arrays as bytes: (feature int32, bin int32, left int32, right int32, value float64 x n_classes,\n"
"impurity float64, weight float64, count int64).");

static PyObject *py_grow(PyObject *self, PyObject *args)
{
    Py_buffer binned, n_bins, codes, weights, rows;
    Problem pb;
    Py_ssize_t n_rows;
    unsigned long long seed;
    PyObject *result = NULL;
    if (!PyArg_ParseTuple(args, "y*nny*y*y*w*nniiiipddK", &binned, &pb.n, &pb.d, &n_bins, &codes, &weights, &rows,
                          &n_rows, &pb.k, &pb.max_features, &pb.min_split, &pb.min_leaf, &pb.max_depth, &pb.entropy,
                          &pb.min_decrease, &pb.total_weight, &seed))
        return NULL;
    Nodes t = {0};
    t.n_classes = pb.k;
    if (check_size(&binned, pb.n * pb.d, "binned") || check_size(&n_bins, pb.d * 4, "n_bins") ||
        check_size(&codes, pb.n * 4, "codes") || check_size(&weights, pb.n * 8, "weights") ||
        check_size(&rows, n_rows * 8, "rows"))
        goto done;
    if (pb.k < 1 || pb.max_features < 1 || pb.min_leaf < 1 || n_rows < 1) {
        PyErr_SetString(PyExc_ValueError, "n_classes, max_features, min_samples_leaf and n_rows must be >= 1");
        goto done;
    }
    pb.binned = binned.buf;
    pb.n_bins = n_bins.buf;
    pb.codes = codes.buf;
    pb.weights = weights.buf;
    pb.rows = rows.buf;
    pb.seed = seed;
    int status;
    Py_BEGIN_ALLOW_THREADS
    status = grow(&pb, n_rows, &t);
    Py_END_ALLOW_THREADS
    if (status) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t m = t.size;
    result = Py_BuildValue("(y#y#y#y#y#y#y#y#)",
                           (char *)t.feature, m * 4, (char *)t.bin, m * 4, (char *)t.left, m * 4,
                           (char *)t.right, m * 4, (char *)t.value, m * pb.k * 8, (char *)t.impurity, m * 8,
                           (char *)t.weight, m * 8, (char *)t.count, m * 8);
done:
    free_nodes(&t);
    PyBuffer_Release(&binned);
    PyBuffer_Release(&n_bins);
    PyBuffer_Release(&codes);
    PyBuffer_Release(&weights);
    PyBuffer_Release(&rows);
    return result;
}

PyDoc_STRVAR(apply_doc,
"apply(X, n, d, itemsize, feature, threshold, left, right, leaves)\n"
"--\n\n"
"The leaf of every row of X (float32 or float64 by itemsize, n rows of d, C order): at a node,\n"
"go left when x[feature] <= threshold. leaves (int64, n) is written in place.");

static PyObject *py_apply(PyObject *self, PyObject *args)
{
    Py_buffer X, feature, threshold, left, right, leaves;
    Py_ssize_t n, d;
    int itemsize;
    PyObject *result = NULL;
    if (!PyArg_ParseTuple(args, "y*nniy*y*y*y*w*", &X, &n, &d, &itemsize, &feature, &threshold, &left, &right,
                          &leaves))
        return NULL;
    if (itemsize != 4 && itemsize != 8) {
        PyErr_SetString(PyExc_ValueError, "itemsize must be 4 or 8");
        goto done;
    }
    if (check_size(&X, n * d * itemsize, "X") || check_size(&leaves, n * 8, "leaves"))
        goto done;
    const double *thr = threshold.buf;
    const int32_t *feat = feature.buf, *l = left.buf, *r = right.buf;
    int64_t *out = leaves.buf;
    Py_BEGIN_ALLOW_THREADS
    if (itemsize == 4) {
        const float *x = X.buf;
        for (Py_ssize_t i = 0; i < n; i++) {
            const float *row = x + i * d;
            int32_t node = 0;
            while (feat[node] >= 0)
                node = (double)row[feat[node]] <= thr[node] ? l[node] : r[node];
            out[i] = node;
        }
    } else {
        const double *x = X.buf;
        for (Py_ssize_t i = 0; i < n; i++) {
            const double *row = x + i * d;
            int32_t node = 0;
            while (feat[node] >= 0)
                node = row[feat[node]] <= thr[node] ? l[node] : r[node];
            out[i] = node;
        }
    }
    Py_END_ALLOW_THREADS
    result = Py_NewRef(Py_None);
done:
    PyBuffer_Release(&X);
    PyBuffer_Release(&feature);
    PyBuffer_Release(&threshold);
    PyBuffer_Release(&left);
    PyBuffer_Release(&right);
    PyBuffer_Release(&leaves);
    return result;
}

static PyMethodDef methods[] = {
    {"grow", py_grow, METH_VARARGS, grow_doc},
    {"apply", py_apply, METH_VARARGS, apply_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "imbalance._hist_tree", "Classification trees on binned features (C).", -1, methods,
};

PyMODINIT_FUNC PyInit__hist_tree(void)
{
    return PyModule_Create(&module);
}
