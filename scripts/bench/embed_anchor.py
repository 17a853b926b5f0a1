"""The embedding anchor: sentence-transformers (torch on CPU) over the same texts as
`paperboy bench embed`, the same model folder, the same measures.

Usage: embed_anchor.py MODEL_DIR TEXTS.json   (TEXTS.json: {"documents": [...], "queries": [...]})
Prints one JSON object: cpu_ms_per_document (one thread), documents_per_second (two threads),
query_p50_ms and query_p99_ms (one query at a time, one thread).
"""
import json
import statistics
import sys
import time

import torch
from sentence_transformers import SentenceTransformer

model_dir, texts_path = sys.argv[1], sys.argv[2]
texts = json.load(open(texts_path))
documents, queries = texts["documents"], texts["queries"]
model = SentenceTransformer(model_dir, device="cpu")
model.max_seq_length = 256
model.encode(documents[:8], batch_size=8)  # warm up

torch.set_num_threads(1)
start = time.process_time()
model.encode(documents, batch_size=32)
cpu_ms = (time.process_time() - start) * 1000 / len(documents)

torch.set_num_threads(2)
start = time.perf_counter()
model.encode(documents, batch_size=32)
per_second = len(documents) / (time.perf_counter() - start)

torch.set_num_threads(1)
latencies = []
for query in queries:
    start = time.perf_counter()
    model.encode([query], batch_size=1)
    latencies.append((time.perf_counter() - start) * 1000)
latencies.sort()
print(json.dumps({
    "cpu_ms_per_document": cpu_ms,
    "documents_per_second": per_second,
    "query_p50_ms": statistics.median(latencies),
    "query_p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    "torch": torch.__version__,
}))
