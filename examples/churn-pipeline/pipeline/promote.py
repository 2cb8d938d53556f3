"""Stage 6 — promote: replace the production model only if the candidate's AUC is at least as good.

usage: promote.py MODEL_DIR
"""
import json
import os
import sys

from common import read_json, write_json_atomic

candidate = sys.argv[1]
metrics = read_json(f'{candidate}/metrics.json')
production_file = 'Models/production.json'
production = read_json(production_file) if os.path.exists(production_file) else None
if production is None or metrics['auc'] >= production['metrics']['auc']:
    write_json_atomic(production_file, {'model': candidate, 'metrics': metrics})
    decision = 'promoted'
else:
    decision = 'kept ' + production['model']
with open('Models/decisions.jsonl', 'a') as f:
    f.write(json.dumps({'candidate': candidate, 'auc': metrics['auc'], 'decision': decision}) + '\n')
print(f'{candidate}: {decision}')
