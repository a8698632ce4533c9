#!/usr/bin/env python3
"""Compares HanFix's default engine with PyPI opencc 1.4.2 on real text, for docs/ACCURACY.md.

For each config, converts the slice line by line with both, aligns each differing line
character by character, and counts the differing characters. Every difference is printed
as `opencc → hanfix` with its context, grouped by the pair, so that each kind can be
classified by reading it. A second pass (converting HanFix's own output again) is counted too.

Usage: python3 scripts/compare-with-opencc.py HANFIX_BINARY HANS_SLICE HANT_SLICE [OUT_TSV]
"""
import collections
import difflib
import subprocess
import sys

import opencc

CONFIGS = [('s2t', 'hans'), ('s2tw', 'hans'), ('s2twp', 'hans'), ('s2hk', 'hans'),
           ('t2s', 'hant'), ('tw2s', 'hant'), ('tw2sp', 'hant'), ('hk2s', 'hant')]


def hanfix(binary, config, text):
    result = subprocess.run([binary, '-c', config], input=text.encode('utf-8'), capture_output=True, check=True)
    return result.stdout.decode('utf-8')


def main(binary, hans_path, hant_path, out_path=None):
    slices = {'hans': open(hans_path, encoding='utf-8').read(), 'hant': open(hant_path, encoding='utf-8').read()}
    rows = []
    print('| config | slice | characters | lines differing | characters differing | second pass: lines changed |')
    print('|---|---|---:|---:|---:|---:|')
    for config, slice_name in CONFIGS:
        text = slices[slice_name]
        converter = opencc.OpenCC(config)
        reference = '\n'.join(converter.convert(line) for line in text.split('\n'))
        ours = hanfix(binary, config, text)
        again = hanfix(binary, config, ours)
        second_pass = sum(a != b for a, b in zip(ours.split('\n'), again.split('\n')))
        lines = chars = 0
        for ref_line, our_line in zip(reference.split('\n'), ours.split('\n')):
            if ref_line == our_line:
                continue
            lines += 1
            matcher = difflib.SequenceMatcher(None, ref_line, our_line, autojunk=False)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                if tag == 'equal':
                    continue
                chars += max(i2 - i1, j2 - j1)
                context = our_line[max(0, j1 - 6):j2 + 6]
                rows.append((config, ref_line[i1:i2], our_line[j1:j2], context))
        print('| %s | %s | %d | %d | %d | %d |' % (config, slice_name, len(text), lines, chars, second_pass))
    if out_path:
        pairs = collections.Counter((config, a, b) for config, a, b, _ in rows)
        examples = {}
        for config, a, b, context in rows:
            examples.setdefault((config, a, b), context)
        with open(out_path, 'w', encoding='utf-8') as out:
            out.write('config\topencc\thanfix\tcount\texample (HanFix output)\n')
            for (config, a, b), count in sorted(pairs.items(), key=lambda item: (item[0][0], -item[1], item[0])):
                out.write('%s\t%s\t%s\t%d\t%s\n' % (config, a, b, count, examples[(config, a, b)]))


if __name__ == '__main__':
    main(*sys.argv[1:])
