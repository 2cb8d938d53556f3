"""Stage 1 — ingest: validate raw daily CSV deliveries into clean JSON lines.

usage: ingest.py DAY [DAY...]
"""
import json
import os
import sys

from common import fail, read_csv
from lineage import declare, output

REQUIRED = ['customer_id', 'day', 'orders', 'spend', 'tickets', 'churned']
TYPES = {'customer_id': 'string', 'day': 'long', 'orders': 'long', 'spend': 'double', 'tickets': 'long', 'churned': 'long'}
staged = []

for day in sys.argv[1:]:
    raw = f'data/raw/day-{int(day):02d}.csv'
    rows = read_csv(raw)
    clean = []
    for n, r in enumerate(rows, start=2):
        if any(r.get(c) in (None, '') for c in REQUIRED):
            fail(f'{raw} line {n}: missing a value in one of {", ".join(REQUIRED)}')
        try:
            clean.append({'customer_id': r['customer_id'], 'day': int(r['day']), 'orders': int(r['orders']),
                          'spend': round(float(r['spend']), 2), 'tickets': int(r['tickets']),
                          'churned': int(r['churned'])})
        except ValueError as e:
            fail(f'{raw} line {n}: {e}')
    os.makedirs('data/staged', exist_ok=True)
    # Written under a temporary name first and renamed: the capture shows the temp file as OUTPUT_TMP.
    target = f'data/staged/day-{int(day):02d}.jsonl'
    with open(target + '.part', 'w') as f:
        for r in clean:
            f.write(json.dumps(r, sort_keys=True) + '\n')
    os.replace(target + '.part', target)
    print(f'ingested {len(clean)} rows from {raw}')
    # customer_id is copied as it is; the other columns are parsed (and spend rounded to cents).
    staged.append(output(target, TYPES.items(), {
        c: [(raw, c, 'DIRECT', 'IDENTITY' if c == 'customer_id' else 'TRANSFORMATION')] for c in REQUIRED}))

declare(staged)
