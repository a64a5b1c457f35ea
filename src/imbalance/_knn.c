/* Exact k-nearest-neighbour scan for the SMOTE family (see imbalance/_neighbors.py).
 *
 * A plain C extension: arrays arrive through the buffer protocol (so it builds without numpy's
 * headers), the scan runs without the GIL, and the Python side runs one call per thread.
 * On x86-64 Linux the scan is compiled twice, for AVX2+FMA and for the baseline, and the
 * loader picks the one the CPU runs.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define KNN_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define KNN_CLONES
#endif

/* Candidate tiles scanned per pass over the queries: half of a typical 512 KiB-1 MiB L2. */
#ifndef KNN_BLOCK_BYTES
#define KNN_BLOCK_BYTES (256 * 1024)
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
"     group_begin, group_step, symmetric, skip, itemsize, query_norms=None, norms=None, farthest=False)\n"
"--\n\n"
"Update the k-nearest lists of every 4-row query group g = group_begin + m * group_step\n"
"(farthest: the k farthest, as the k smallest negated squared distances).\n"
"Buffers are C-contiguous; dist/index/threshold are written in place.");

static PyObject *scan(PyObject *self, PyObject *args)
{
    Py_buffer queries, packed, dist, index, threshold, skip = {0}, query_norms = {0}, norms = {0};
    Py_ssize_t n_queries, n_candidates, n_tiles, d, group_begin, group_step;
    int k, symmetric, itemsize, farthest = 0;
    PyObject *skip_obj, *query_norms_obj = Py_None, *norms_obj = Py_None, *result = NULL;

    if (!PyArg_ParseTuple(args, "y*ny*nnniw*w*w*nnpOi|OOp", &queries, &n_queries, &packed, &n_candidates, &n_tiles,
                          &d, &k, &dist, &index, &threshold, &group_begin, &group_step, &symmetric, &skip_obj,
                          &itemsize, &query_norms_obj, &norms_obj, &farthest))
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

    const Py_ssize_t lanes = itemsize == 4 ? 8 : 4, width = 2 * lanes;
    const Py_ssize_t rows = symmetric ? n_tiles * width : ((n_queries + 3) / 4) * 4;
    const Py_ssize_t heap_rows = symmetric ? n_candidates : n_queries;
    if (itemsize != 4 && itemsize != 8) {
        PyErr_Format(PyExc_ValueError, "itemsize must be 4 or 8, got %d", itemsize);
        goto done;
    }
    if (k < 1 || group_step < 1 || group_begin < 0 || d < 1) {
        PyErr_SetString(PyExc_ValueError, "k, d and group_step must be positive and group_begin >= 0");
        goto done;
    }
    if (check_size(&queries, rows * d * itemsize, "queries") || check_size(&packed, n_tiles * d * width * itemsize, "packed") ||
        check_size(&dist, heap_rows * k * itemsize, "dist") || check_size(&index, heap_rows * k * 8, "index") ||
        check_size(&threshold, rows * itemsize, "threshold") ||
        (skip.buf != NULL && check_size(&skip, n_queries * 8, "skip")) ||
        (norms.buf != NULL && (check_size(&norms, n_tiles * width * itemsize, "norms") ||
                               check_size(&query_norms, rows * itemsize, "query_norms"))))
        goto done;

    Py_BEGIN_ALLOW_THREADS
    if (itemsize == 4)
        scan_f32(queries.buf, n_queries, packed.buf, n_candidates, n_tiles, d, k, dist.buf, index.buf, threshold.buf,
                 group_begin, group_step, symmetric, skip.buf, query_norms.buf, norms.buf, farthest);
    else
        scan_f64(queries.buf, n_queries, packed.buf, n_candidates, n_tiles, d, k, dist.buf, index.buf, threshold.buf,
                 group_begin, group_step, symmetric, skip.buf, query_norms.buf, norms.buf, farthest);
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

PyDoc_STRVAR(merge_doc,
"merge(dist_a, index_a, dist_b, index_b, n, k, itemsize)\n"
"--\n\n"
"Merge the sorted k-nearest lists b into a, row by row, in place (ties to the lower index).");

static PyObject *merge(PyObject *self, PyObject *args)
{
    Py_buffer dist_a, index_a, dist_b, index_b;
    Py_ssize_t n;
    int k, itemsize;
    PyObject *result = NULL;

    if (!PyArg_ParseTuple(args, "w*w*y*y*nii", &dist_a, &index_a, &dist_b, &index_b, &n, &k, &itemsize))
        return NULL;
    if ((itemsize != 4 && itemsize != 8) || k < 1 || n < 0) {
        PyErr_SetString(PyExc_ValueError, "itemsize must be 4 or 8, k positive and n >= 0");
        goto done;
    }
    if (check_size(&dist_a, n * k * itemsize, "dist_a") || check_size(&dist_b, n * k * itemsize, "dist_b") ||
        check_size(&index_a, n * k * 8, "index_a") || check_size(&index_b, n * k * 8, "index_b"))
        goto done;
    void *buffer_dist = PyMem_Malloc((size_t)k * itemsize);
    int64_t *buffer_index = PyMem_Malloc((size_t)k * sizeof(int64_t));
    if (buffer_dist == NULL || buffer_index == NULL) {
        PyMem_Free(buffer_dist);
        PyMem_Free(buffer_index);
        PyErr_NoMemory();
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS
    if (itemsize == 4)
        merge_f32(dist_a.buf, index_a.buf, dist_b.buf, index_b.buf, n, k, buffer_dist, buffer_index);
    else
        merge_f64(dist_a.buf, index_a.buf, dist_b.buf, index_b.buf, n, k, buffer_dist, buffer_index);
    Py_END_ALLOW_THREADS
    PyMem_Free(buffer_dist);
    PyMem_Free(buffer_index);
    result = Py_NewRef(Py_None);

done:
    PyBuffer_Release(&dist_a);
    PyBuffer_Release(&index_a);
    PyBuffer_Release(&dist_b);
    PyBuffer_Release(&index_b);
    return result;
}

static PyMethodDef methods[] = {
    {"scan", scan, METH_VARARGS, scan_doc},
    {"merge", merge, METH_VARARGS, merge_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "imbalance._knn", "Exact k-nearest-neighbour scan (C).", -1, methods,
};

PyMODINIT_FUNC PyInit__knn(void)
{
    return PyModule_Create(&module);
}
