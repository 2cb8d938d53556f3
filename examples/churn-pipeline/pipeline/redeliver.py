"""Maintenance — a supplier re-delivers corrected raw files, overwriting the earlier delivery.

usage: redeliver.py CORRECTIONS_DIR DAY [DAY...]
"""
import shutil
import sys

from lineage import declare, output

corrections = sys.argv[1]
outputs = []
for day in sys.argv[2:]:
    source, target = f'{corrections}/day-{int(day):02d}.csv', f'data/raw/day-{int(day):02d}.csv'
    shutil.copyfile(source, target)
    with open(target) as f:
        header = f.readline().strip().split(',')
    outputs.append(output(target, [(c, None) for c in header], {c: [(source, c, 'DIRECT', 'IDENTITY')] for c in header}))
    print(f're-delivered day {day}')
declare(outputs)
