#!/usr/bin/env python3
"""Are two `cchc extract` outputs the same data? (issue 17: speed work must
not change a row.)

    python3 benches/same_output.py OUT_A OUT_B

Compares the six tables row for row as multisets (sorted rows: EXCEPT ALL
both ways, every column of the first output; the row order and the run id
do not matter). Prints one line per table and IDENTICAL or DIFFERENT; the
exit status is 0 only when identical. Needs duckdb (pip install duckdb).
"""
import sys

import duckdb

TABLES = ["documents", "sections", "figures", "tables", "findings", "claims"]


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    a, b = sys.argv[1], sys.argv[2]
    same = True
    for t in TABLES:
        con = duckdb.connect()
        fa, fb = f"{a}/{t}.parquet", f"{b}/{t}.parquet"
        cols = [r[0] for r in con.execute(f"describe select * from read_parquet('{fa}')").fetchall()]
        sel = ",".join(f'"{c}"' for c in cols)
        only_a = con.execute(f"select {sel} from read_parquet('{fa}') except all select {sel} from read_parquet('{fb}')").fetchall()
        only_b = con.execute(f"select {sel} from read_parquet('{fb}') except all select {sel} from read_parquet('{fa}')").fetchall()
        n = con.execute(f"select count(*) from read_parquet('{fa}')").fetchone()[0]
        print(f"{t}: {n} rows, {len(only_a)} only in A, {len(only_b)} only in B")
        if only_a or only_b:
            same = False
            for r in only_a[:2]:
                print("  A:", r)
            for r in only_b[:2]:
                print("  B:", r)
    print("IDENTICAL" if same else "DIFFERENT")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
