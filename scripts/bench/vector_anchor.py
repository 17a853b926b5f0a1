"""The anchor of `paperboy bench vectors`: exact top-k by brute force in NumPy (a float32 matrix
product through its BLAS, then argpartition), over the same vectors and queries.

Usage: vector_anchor.py VECTORS.f32 QUERIES.f32 DIMENSION LIMIT
Prints JSON: p50_ms, p99_ms and the top keys (slot numbers) of every query, for a cross-check."""
import json
import sys
import time

import numpy as np

vectors_path, queries_path, dimension, limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
vectors = np.fromfile(vectors_path, dtype="<f4").reshape(-1, dimension)
queries = np.fromfile(queries_path, dtype="<f4").reshape(-1, dimension)
times, tops = [], []
for query in queries:
    start = time.perf_counter()
    scores = vectors @ query
    best = np.argpartition(-scores, limit)[:limit]
    best = best[np.argsort(-scores[best], kind="stable")]
    times.append((time.perf_counter() - start) * 1000)
    tops.append([int(slot) for slot in best])
times.sort()
print(json.dumps({"p50_ms": times[len(times) // 2], "p99_ms": times[min(len(times) - 1, len(times) * 99 // 100)], "tops": tops}))
