"""Stage 2 — features: per-customer features from every staged day, upserted into the feature group.

usage: features.py
"""
import glob
import json
import os

from common import feature_dataset, read_jsonl, table_version, upsert_features
from lineage import declare, output

# Each feature: its column, the staged field it is computed from, and how (a sum, or a count of days).
FEATURES = [
    ('orders_total', 'orders', 'sum'),
    ('spend_total', 'spend', 'sum'),
    ('support_tickets', 'tickets', 'sum'),
]
COLUMNS = ['customer_id', *[f[0] for f in FEATURES], 'churned']

staged = sorted(glob.glob('data/staged/day-*.jsonl'))
totals = {}
for path in staged:
    for r in read_jsonl(path):
        t = totals.get(r['customer_id'])
        if t is None:
            t = totals[r['customer_id']] = {'customer_id': r['customer_id'], **{f[0]: 0 for f in FEATURES}, 'churned': 0}
        for column, field, how in FEATURES:
            t[column] = t[column] + 1 if how == 'count' else round(t[column] + r[field], 2)
        t['churned'] = r['churned']

os.makedirs('data/features', exist_ok=True)
batch = 'data/features/batch.jsonl'
with open(batch, 'w') as f:
    for key in sorted(totals):
        f.write(json.dumps({c: totals[key][c] for c in COLUMNS}) + '\n')
upsert_features(batch, COLUMNS)
os.remove(batch)  # the batch is scratch: it shows as a temp file in the footprint

# Every feature aggregates its field over all staged days, grouped by customer.
declare([output(
    feature_dataset(),
    [('customer_id', 'string'), *[(c, 'double' if field == 'spend' else 'long') for c, field, _ in FEATURES], ('churned', 'long')],
    {
        'customer_id': [(p, 'customer_id', 'DIRECT', 'IDENTITY') for p in staged],
        **{c: [(p, field, 'DIRECT', 'AGGREGATION') for p in staged] for c, field, _ in FEATURES},
        'churned': [(p, 'churned', 'DIRECT', 'IDENTITY') for p in staged],
    },
    every_column=[(p, 'customer_id', 'INDIRECT', 'GROUP_BY') for p in staged],
    # The version this run committed, as `retrace run` records it for the table too.
    version=table_version(),
)])
print(f'upserted features of {len(totals)} customers')
