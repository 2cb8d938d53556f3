"""Stage 5 — evaluate: accuracy, log loss and ROC AUC of a model on its dataset's test split.

usage: evaluate.py MODEL_DIR
"""
import math
import sys

from common import read_csv, read_json, write_json_atomic

model_dir = sys.argv[1]
model = read_json(f'{model_dir}/model.json')
rows = read_csv(f'{model["training_dataset"]}/test.csv')


def predict(r):
    z = [(float(r[c]) - m) / s for c, m, s in zip(model['features'], model['means'], model['stds'])]
    t = model['bias'] + sum(w * v for w, v in zip(model['weights'], z))
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, t))))


scored = [(predict(r), int(r['churned'])) for r in rows]
accuracy = sum((p >= 0.5) == bool(y) for p, y in scored) / len(scored)
log_loss = -sum(y * math.log(p + 1e-12) + (1 - y) * math.log(1 - p + 1e-12) for p, y in scored) / len(scored)
pos = [p for p, y in scored if y == 1]
neg = [p for p, y in scored if y == 0]
# AUC as the probability that a random churner scores above a random stayer (ties count half).
auc = (sum((a > b) + 0.5 * (a == b) for a in pos for b in neg) / (len(pos) * len(neg))) if pos and neg else 0.5
metrics = {'accuracy': round(accuracy, 4), 'log_loss': round(log_loss, 4), 'auc': round(auc, 4), 'test_rows': len(rows)}
write_json_atomic(f'{model_dir}/metrics.json', metrics)
print(f'evaluated {model_dir}: {metrics}')
