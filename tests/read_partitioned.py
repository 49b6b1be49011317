"""Reads a cchc dataset written with --partition-by as hive datasets (pyarrow)
and prints `table rows` per table, for tests/partition.rs to compare."""
import sys
import pyarrow.dataset as ds

root = sys.argv[1]
for t in ["documents", "sections", "figures", "tables", "findings"]:
    d = ds.dataset(f"{root}/{t}", format="parquet", partitioning="hive")
    print(t, d.count_rows())
