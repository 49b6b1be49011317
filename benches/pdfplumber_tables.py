#!/usr/bin/env python3
"""Peer timing: pdfplumber `extract_tables()` on every page of each PDF given.

    python3 benches/pdfplumber_tables.py A.pdf B.pdf ...

Prints one JSON line: {"pdfs", "seconds", "tables", "s_per_pdf"} (one process,
sequential, so one core).
"""
import json
import subprocess
import sys
import time

try:
    import pdfplumber
except ImportError:
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "pdfplumber"], check=True)
    import pdfplumber

files = sys.argv[1:]
t0 = time.perf_counter()
tables = 0
for path in files:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            tables += len(page.extract_tables())
dt = time.perf_counter() - t0
print(json.dumps({"pdfs": len(files), "seconds": dt, "tables": tables,
                  "s_per_pdf": dt / len(files) if files else None}))
