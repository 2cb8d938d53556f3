"""Stage 4 — train: logistic regression by batch gradient descent, standardised features.

usage: train.py TRAINING_DATASET_DIR MODEL_DIR EXPERIMENT_DIR
"""
import math
import sys

from common import read_csv, write_json_atomic

LEARNING_RATE = 0.2
EPOCHS = 450

td, model_dir, experiment_dir = sys.argv[1], sys.argv[2], sys.argv[3]
rows = read_csv(f'{td}/train.csv')
# Every column of the training set but the key and the label is a feature.
FEATURE_COLUMNS = [c for c in rows[0] if c not in ('customer_id', 'churned')]
xs = [[float(r[c]) for c in FEATURE_COLUMNS] for r in rows]
ys = [int(r['churned']) for r in rows]
n, k = len(xs), len(FEATURE_COLUMNS)
means = [sum(x[j] for x in xs) / n for j in range(k)]
stds = [math.sqrt(sum((x[j] - means[j]) ** 2 for x in xs) / n) or 1.0 for j in range(k)]
zs = [[(x[j] - means[j]) / stds[j] for j in range(k)] for x in xs]


def sigmoid(t):
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, t))))


weights, bias, losses = [0.0] * k, 0.0, []
for epoch in range(EPOCHS):
    grad_w, grad_b, loss = [0.0] * k, 0.0, 0.0
    for z, y in zip(zs, ys):
        p = sigmoid(bias + sum(w * v for w, v in zip(weights, z)))
        loss -= y * math.log(p + 1e-12) + (1 - y) * math.log(1 - p + 1e-12)
        for j in range(k):
            grad_w[j] += (p - y) * z[j]
        grad_b += p - y
    weights = [w - LEARNING_RATE * g / n for w, g in zip(weights, grad_w)]
    bias -= LEARNING_RATE * grad_b / n
    if epoch % 25 == 0 or epoch == EPOCHS - 1:
        losses.append({'epoch': epoch, 'loss': round(loss / n, 5)})

model = {'type': 'logistic_regression', 'features': FEATURE_COLUMNS, 'weights': weights, 'bias': bias,
         'means': means, 'stds': stds, 'training_dataset': td}
write_json_atomic(f'{model_dir}/model.json', model)
write_json_atomic(f'{experiment_dir}/summary.json', {'learning_rate': LEARNING_RATE, 'epochs': EPOCHS,
                                                     'loss_curve': losses, 'model': model_dir})
print(f'trained {model_dir}: final loss {losses[-1]["loss"]}')
