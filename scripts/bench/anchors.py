#!/usr/bin/env python3
"""Search anchors for `paperboy bench search`: tantivy and SQLite FTS5 on the same papers and
queries, timed in this process. Prints one JSON object.

usage: anchors.py DOCS.jsonl LONG-QUERIES.txt SHORT-QUERIES.txt WORKDIR [FTS5-SAMPLE [BUILD-ROUNDS]]

DOCS lines: {"id", "title", "abstract", "authors", "categories": [...], "day": int}.
Queries: one per line, plain words. tantivy gets the same fields as Paperboy (title boosted 2x,
abstract, authors, categories as raw terms, day as a fast integer), the English stemmer, OR
semantics and top-10; FTS5 gets title/abstract/authors with the porter tokenizer and bm25
weights 2/1/1. FTS5 is slow at scale, so it runs on the first FTS5-SAMPLE queries of each set.
tantivy's index is built BUILD-ROUNDS times and the fastest build counts, as Paperboy's does.
"""
import json
import os
import re
import sqlite3
import statistics
import sys
import time

import tantivy


def load(path):
    with open(path, encoding="utf-8") as handle:
        return [line.rstrip("\n") for line in handle if line.strip()]


def folder_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
    return total


def percentiles(values):
    ordered = sorted(values)
    pick = lambda p: ordered[min(len(ordered) - 1, int(len(ordered) * p))]
    return {"p50": pick(0.5), "p90": pick(0.9), "p99": pick(0.99), "mean": statistics.fmean(ordered), "count": len(ordered)}


def build_tantivy(docs, path):
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", tokenizer_name="en_stem")
    builder.add_text_field("abstract", tokenizer_name="en_stem")
    builder.add_text_field("authors", tokenizer_name="en_stem")
    builder.add_text_field("category", tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("day", fast=True, indexed=False)
    schema = builder.build()
    os.makedirs(path, exist_ok=True)
    index = tantivy.Index(schema, path=path)
    start = time.perf_counter()
    writer = index.writer(heap_size=256_000_000)
    for line in docs:
        doc = json.loads(line)
        document = tantivy.Document(
            id=doc["id"], title=doc["title"], abstract=doc["abstract"], authors=doc["authors"], day=doc["day"]
        )
        for category in doc["categories"]:
            document.add_text("category", category)
        writer.add_document(document)
    writer.commit()
    writer.wait_merging_threads()
    return index, time.perf_counter() - start


def run_tantivy(docs, queries, workdir, rounds):
    build = float("inf")
    for round in range(rounds):
        path = os.path.join(workdir, "tantivy%d" % round)
        index, seconds = build_tantivy(docs, path)
        build = min(build, seconds)
    index.reload()
    searcher = index.searcher()
    results = {"build_seconds": build, "docs_per_second": len(docs) / build, "index_bytes": folder_bytes(path)}
    for name, texts in queries.items():
        latencies = []
        for text in texts:
            began = time.perf_counter()
            query = index.parse_query(text, ["title", "abstract", "authors"], field_boosts={"title": 2.0})
            searcher.search(query, 10).hits
            latencies.append((time.perf_counter() - began) * 1000)
        results[name] = percentiles(latencies)
    return results


def run_fts5(docs, queries, workdir, sample):
    path = os.path.join(workdir, "fts5.sqlite")
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE VIRTUAL TABLE paper USING fts5(title, abstract, authors, tokenize='porter unicode61')")
    start = time.perf_counter()
    with connection:
        connection.executemany(
            "INSERT INTO paper (title, abstract, authors) VALUES (?, ?, ?)",
            ((doc["title"], doc["abstract"], doc["authors"]) for doc in map(json.loads, docs)),
        )
    build = time.perf_counter() - start
    results = {"build_seconds": build, "docs_per_second": len(docs) / build, "index_bytes": os.path.getsize(path)}
    for name, texts in queries.items():
        latencies = []
        for text in texts[:sample]:
            words = re.findall(r"\w+", text)
            if not words:
                continue
            match = " OR ".join('"%s"' % word for word in words)
            began = time.perf_counter()
            connection.execute(
                "SELECT rowid FROM paper WHERE paper MATCH ? ORDER BY bm25(paper, 2.0, 1.0, 1.0) LIMIT 10", (match,)
            ).fetchall()
            latencies.append((time.perf_counter() - began) * 1000)
        results[name] = percentiles(latencies)
    connection.close()
    return results


def main():
    docs_path, long_path, short_path, workdir = sys.argv[1:5]
    sample = int(sys.argv[5]) if len(sys.argv) > 5 else 1000
    rounds = int(sys.argv[6]) if len(sys.argv) > 6 else 1
    docs = load(docs_path)
    queries = {"long": load(long_path), "short": load(short_path)}
    report = {"tantivy": run_tantivy(docs, queries, workdir, rounds), "fts5": run_fts5(docs, queries, workdir, sample)}
    report["fts5_sample"] = sample
    print(json.dumps(report))


if __name__ == "__main__":
    main()
