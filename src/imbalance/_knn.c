/* Exact k-nearest-neighbour scan for the SMOTE family (see imbalance/_neighbors.py).
 *
 * A plain C extension: arrays arrive through the buffer protocol (so it builds without numpy's
 * headers), the scan runs without the GIL, and the Python side runs one call per thread.
 * With GCC on x86-64 the scan is compiled twice, for AVX2+FMA and for the baseline, and each
 * call runs the one the CPU has.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

/* Candidate tiles scanned per pass over the queries: half of a typical 512 KiB-1 MiB L2. */
#ifndef KNN_BLOCK_BYTES
#define KNN_BLOCK_BYTES (256 * 1024)
#endif

typedef float knn_v8sf __attribute__((vector_size(32)));
typedef double knn_v4df __attribute__((vector_size(32)));

/* With GCC on x86-64, the scan is compiled a second time for AVX2 + FMA (where a lane mask is
 * one instruction) and picked at run time when the CPU has them. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define KNN_DISPATCH 1
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#define KNN_T float
#define KNN_LANES 8
#define KNN_NAME(x) x##_f32_avx2
#include "_knn_scan.h"
#undef KNN_T
#undef KNN_LANES
#undef KNN_NAME
#define KNN_T double
#define KNN_LANES 4
#define KNN_NAME(x) x##_f64_avx2
#include "_knn_scan.h"
#undef KNN_T
#undef KNN_LANES
#undef KNN_NAME
#pragma GCC pop_options
#else
#define KNN_DISPATCH 0
#endif

#define KNN_T float
#define KNN_LANES 8
#define KNN_NAME(x) x##_f32
#include "_knn_scan.h"
#undef KNN_T
#undef KNN_LANES
#undef KNN_NAME

#define KNN_T double
#define KNN_LANES 4
#define KNN_NAME(x) x##_f64
#include "_knn_scan.h"
#undef KNN_T
#undef KNN_LANES
#undef KNN_NAME

static int cpu_has_avx2(void)
{
#if KNN_DISPATCH
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

/* -1: not asked yet; then whether the AVX2 build runs (tests turn it off to check the other). */
static int avx2_on = -1;

static int use_avx2(void)
{
    if (avx2_on < 0)
        avx2_on = cpu_has_avx2();
    return avx2_on;
}

static int check_size(const Py_buffer *buf, Py_ssize_t need, const char *name)
{
    if (buf->len < need) {
        PyErr_Format(PyExc_ValueError, "%s holds %zd bytes, the scan needs %zd", name, buf->len, need);
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(scan_doc,
"scan(queries, n_queries, packed, n_candidates, n_tiles, d, k, dist, index, threshold,\n"
"     group_begin, group_step, symmetric, skip, itemsize, query_norms=None, norms=None, farthest=False,\n"
"     group_end=-1, tile_begin=0, tile_end=-1)\n"
"--\n\n"
"Update the k-nearest lists of every 4-row query group g = group_begin + m * group_step below\n"
"group_end (-1: every group) against the tiles tile_begin..tile_end - 1 (-1: to the last)\n"
"(farthest: the k farthest, as the k smallest negated squared distances). Symmetric calls whose\n"
"rows and tiles are disjoint from each other's may run at once on the same lists.\n"
"Buffers are C-contiguous; dist/index/threshold are written in place.");

static PyObject *scan(PyObject *self, PyObject *args)
{
    Py_buffer queries, packed, dist, index, threshold, skip = {0}, query_norms = {0}, norms = {0};
    Py_ssize_t n_queries, n_candidates, n_tiles, d, group_begin, group_step, group_end = -1, tile_begin = 0,
                                                                             tile_end = -1;
    int k, symmetric, itemsize, farthest = 0;
    PyObject *skip_obj, *query_norms_obj = Py_None, *norms_obj = Py_None, *result = NULL;

    if (!PyArg_ParseTuple(args, "y*ny*nnniw*w*w*nnpOi|OOpnnn", &queries, &n_queries, &packed, &n_candidates, &n_tiles,
                          &d, &k, &dist, &index, &threshold, &group_begin, &group_step, &symmetric, &skip_obj,
                          &itemsize, &query_norms_obj, &norms_obj, &farthest, &group_end, &tile_begin, &tile_end))
        return NULL;
    if (skip_obj != Py_None && PyObject_GetBuffer(skip_obj, &skip, PyBUF_SIMPLE) < 0)
        goto done;
    if ((norms_obj == Py_None) != (query_norms_obj == Py_None)) {
        PyErr_SetString(PyExc_ValueError, "query_norms and norms go together");
        goto done;
    }
    if (norms_obj != Py_None && (PyObject_GetBuffer(query_norms_obj, &query_norms, PyBUF_SIMPLE) < 0 ||
                                 PyObject_GetBuffer(norms_obj, &norms, PyBUF_SIMPLE) < 0))
        goto done;

    const Py_ssize_t lanes = itemsize == 4 ? 8 : 4, width = 3 * lanes;
    const Py_ssize_t rows = symmetric ? n_tiles * width : ((n_queries + 3) / 4) * 4;
    const Py_ssize_t heap_rows = symmetric ? n_candidates : n_queries;
    if (itemsize != 4 && itemsize != 8) {
        PyErr_Format(PyExc_ValueError, "itemsize must be 4 or 8, got %d", itemsize);
        goto done;
    }
    if (k < 1 || group_step < 1 || group_begin < 0 || d < 1 || tile_begin < 0) {
        PyErr_SetString(PyExc_ValueError, "k, d and group_step must be positive and group_begin, tile_begin >= 0");
        goto done;
    }
    if (group_end < 0)
        group_end = PY_SSIZE_T_MAX;
    if (tile_end < 0 || tile_end > n_tiles)
        tile_end = n_tiles;
    if (check_size(&queries, rows * d * itemsize, "queries") || check_size(&packed, n_tiles * d * width * itemsize, "packed") ||
        check_size(&dist, heap_rows * k * itemsize, "dist") || check_size(&index, heap_rows * k * 8, "index") ||
        check_size(&threshold, rows * itemsize, "threshold") ||
        (skip.buf != NULL && check_size(&skip, n_queries * 8, "skip")) ||
        (norms.buf != NULL && (check_size(&norms, n_tiles * width * itemsize, "norms") ||
                               check_size(&query_norms, rows * itemsize, "query_norms"))))
        goto done;

    const int avx2 = use_avx2();
    Py_BEGIN_ALLOW_THREADS
#if KNN_DISPATCH
    if (avx2 && itemsize == 4)
        scan_f32_avx2(queries.buf, n_queries, packed.buf, n_candidates, n_tiles, d, k, dist.buf, index.buf,
                      threshold.buf, group_begin, group_step, group_end, tile_begin, tile_end, symmetric, skip.buf,
                      query_norms.buf, norms.buf, farthest);
    else if (avx2)
        scan_f64_avx2(queries.buf, n_queries, packed.buf, n_candidates, n_tiles, d, k, dist.buf, index.buf,
                      threshold.buf, group_begin, group_step, group_end, tile_begin, tile_end, symmetric, skip.buf,
                      query_norms.buf, norms.buf, farthest);
    else
#endif
    if (itemsize == 4)
        scan_f32(queries.buf, n_queries, packed.buf, n_candidates, n_tiles, d, k, dist.buf, index.buf, threshold.buf,
                 group_begin, group_step, group_end, tile_begin, tile_end, symmetric, skip.buf, query_norms.buf,
                 norms.buf, farthest);
    else
        scan_f64(queries.buf, n_queries, packed.buf, n_candidates, n_tiles, d, k, dist.buf, index.buf, threshold.buf,
                 group_begin, group_step, group_end, tile_begin, tile_end, symmetric, skip.buf, query_norms.buf,
                 norms.buf, farthest);
    Py_END_ALLOW_THREADS
    result = Py_NewRef(Py_None);

done:
    PyBuffer_Release(&queries);
    PyBuffer_Release(&packed);
    PyBuffer_Release(&dist);
    PyBuffer_Release(&index);
    PyBuffer_Release(&threshold);
    if (skip.buf != NULL)
        PyBuffer_Release(&skip);
    if (query_norms.buf != NULL)
        PyBuffer_Release(&query_norms);
    if (norms.buf != NULL)
        PyBuffer_Release(&norms);
    return result;
}

PyDoc_STRVAR(simd_doc,
"simd(enable=None)\n"
"--\n\n"
"Whether the AVX2 build of the scan runs; enable=False runs the portable one (for tests),\n"
"enable=True the AVX2 one where the CPU has it.");

static PyObject *simd(PyObject *self, PyObject *args)
{
    PyObject *enable = Py_None;
    if (!PyArg_ParseTuple(args, "|O", &enable))
        return NULL;
    if (enable != Py_None) {
        const int on = PyObject_IsTrue(enable);
        if (on < 0)
            return NULL;
        avx2_on = on && cpu_has_avx2();
    }
    return PyBool_FromLong(use_avx2());
}

static PyMethodDef methods[] = {
    {"simd", simd, METH_VARARGS, simd_doc},
    {"scan", scan, METH_VARARGS, scan_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "imbalance._knn", "Exact k-nearest-neighbour scan (C).", -1, methods,
};

PyMODINIT_FUNC PyInit__knn(void)
{
    return PyModule_Create(&module);
}
