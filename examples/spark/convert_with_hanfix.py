#!/usr/bin/env python3
"""Converts a text dataset with HanFix under PySpark, through RDD.pipe.

Each partition's lines go through one `hanfix --line-mode` process: one output line for each
input line, flushed at once, so records keep their order and count, and a bad byte becomes
U+FFFD instead of failing the task.

    pip install pyspark==3.5.3        # Java 17 on the PATH
    python3 examples/spark/convert_with_hanfix.py INPUT OUTPUT_DIR [--config s2t] [--hanfix PATH]

INPUT is a file, folder or glob that Spark's textFile reads; OUTPUT_DIR must not exist.
On a cluster, install hanfix on every worker (or ship it with --files) and use
--master yarn (or spark://…) instead of local mode.
"""
import argparse
import shutil

from pyspark.sql import SparkSession


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--config", default="s2t")
    parser.add_argument("--hanfix", default=shutil.which("hanfix") or "hanfix")
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args()

    spark = SparkSession.builder.master(args.master).appName("hanfix").getOrCreate()
    try:
        lines = spark.sparkContext.textFile(args.input)
        converted = lines.pipe(f"{args.hanfix} -c {args.config} --line-mode")
        converted.saveAsTextFile(args.output)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
