#!/usr/bin/env python3
"""Regenerates Tests/HanFixTests/Fixtures/sample-expected.json: the output of PyPI
opencc==1.4.2 (the reference implementation) for both committed samples under all 16 configs.

    python3 -m venv /tmp/occ && /tmp/occ/bin/pip install opencc==1.4.2
    /tmp/occ/bin/python scripts/make-sample-expectations.py
"""
import json
import pathlib

import opencc

FIXTURES = pathlib.Path(__file__).resolve().parent.parent / "Tests/HanFixTests/Fixtures"
CONFIGS = ["s2t", "t2s", "s2tw", "tw2s", "s2twp", "tw2sp", "s2hk", "hk2s", "s2hkp", "hk2sp",
           "t2tw", "tw2t", "t2hk", "hk2t", "t2jp", "jp2t"]

expected = {}
for sample in ["sample-zh-hans.txt", "sample-zh-hant.txt"]:
    text = (FIXTURES / sample).read_text(encoding="utf-8")
    expected[sample] = {config: opencc.OpenCC(config).convert(text) for config in CONFIGS}
(FIXTURES / "sample-expected.json").write_text(
    json.dumps({"generator": "PyPI opencc==1.4.2", "expected": expected}, ensure_ascii=False, indent=1) + "\n",
    encoding="utf-8")
