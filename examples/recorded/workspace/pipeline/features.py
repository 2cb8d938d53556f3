"""Stage 2 — features: per-customer features from every staged day, upserted into the feature group.

usage: features.py
"""
import glob
import json
import os

from common import read_jsonl, upsert_features

totals = {}
for path in sorted(glob.glob('data/staged/day-*.jsonl')):
    for r in read_jsonl(path):
        t = totals.setdefault(r['customer_id'], {'customer_id': r['customer_id'], 'orders_total': 0,
                                                 'spend_total': 0.0, 'tickets_total': 0, 'days_active': 0,
                                                 'churned': 0})
        t['orders_total'] += r['orders']
        t['spend_total'] = round(t['spend_total'] + r['spend'], 2)
        t['tickets_total'] += r['tickets']
        t['days_active'] += 1
        t['churned'] = r['churned']

os.makedirs('data/features', exist_ok=True)
batch = 'data/features/batch.jsonl'
with open(batch, 'w') as f:
    for key in sorted(totals):
        f.write(json.dumps(totals[key], sort_keys=True) + '\n')
upsert_features(batch)
os.remove(batch)  # the batch is scratch: it shows as a temp file in the footprint
print(f'upserted features of {len(totals)} customers')
