"""Stage 3 — training dataset: the feature group as of one pinned version, split train/test.

usage: training_set.py FEATURE_VERSION OUT_DIR
"""
import hashlib
import sys

from common import feature_dataset, read_features, write_csv, write_json_atomic
from lineage import declare, output

version, out_dir = int(sys.argv[1]), sys.argv[2]
rows = read_features(version)
# The features are whatever the feature group holds at that version (its columns change over time).
columns = list(rows[0].keys()) if rows else ['customer_id', 'churned']
train, test = [], []
for r in sorted(rows, key=lambda r: r['customer_id']):
    # A stable split: the same customer always lands on the same side.
    bucket = int(hashlib.sha256(r['customer_id'].encode()).hexdigest(), 16) % 5
    (test if bucket == 0 else train).append({c: r[c] for c in columns})
write_csv(f'{out_dir}/train.csv', train, columns)
write_csv(f'{out_dir}/test.csv', test, columns)
write_json_atomic(f'{out_dir}/manifest.json', {'feature_group': 'customer_features_1',
                                               'feature_version': version,
                                               'rows': {'train': len(train), 'test': len(test)}})
# Every column is copied from the feature group as of the pinned version.
declare([output(out_dir, [(c, None) for c in columns], {c: [(feature_dataset(), c, 'DIRECT', 'IDENTITY')] for c in columns})])
print(f'training dataset {out_dir}: {len(train)} train / {len(test)} test rows at feature version {version}')
