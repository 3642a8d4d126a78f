"""Render time of a 50-line invoice PDF (target: median < 150 ms).

    python bench/documents_render.py [--lines 50] [--runs 20]

The first render (font registration, cold caches) is reported separately as
"first_ms"; median and p95 are over the following `runs` renders in the same
process, which is what a user printing invoice after invoice sees.  Every run
prints a *different* invoice (descriptions carry the run and row numbers), so
the text caches only help with labels, units and other repeated strings;
"same_doc_median_ms" re-renders one document (everything cached), and
"cpu_median_ms" is the process CPU time, which a busy machine does not inflate.
Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.persian import format_number  # noqa: E402
from app.services.documents import DocumentKind, render_pdf  # noqa: E402
from app.services.documents.samples import sample_document  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=50)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    base = sample_document(DocumentKind.INVOICE, lines=args.lines)
    documents = [
        replace(
            base,
            number=f"1404-{run:04d}",
            lines=[replace(line, description=f"{line.description} ({format_number(run)})") for line in base.lines],
        )
        for run in range(args.runs + 1)
    ]

    start = time.perf_counter()
    pdf = render_pdf(documents[0])
    first_ms = (time.perf_counter() - start) * 1000

    times, cpu = [], []
    for data in documents[1:]:
        start, start_cpu = time.perf_counter(), time.process_time()
        render_pdf(data)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    same = []
    for _ in range(args.runs):
        start = time.perf_counter()
        render_pdf(documents[-1])
        same.append((time.perf_counter() - start) * 1000)
    print(
        json.dumps(
            {
                "lines": args.lines,
                "runs": args.runs,
                "first_ms": round(first_ms, 1),
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(p95, 1),
                "same_doc_median_ms": round(statistics.median(same), 1),
                "cpu_median_ms": round(statistics.median(cpu), 1),
                "pages": pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page "),
                "bytes": len(pdf),
            }
        )
    )


if __name__ == "__main__":
    main()
