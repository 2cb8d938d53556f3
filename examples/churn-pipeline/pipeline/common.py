"""Shared helpers of the churn demo pipeline: plain Python 3 standard library only.

Every stage is an ordinary script: it reads and writes files and knows nothing about Retrace.
`retrace run` captures what it touched from underneath.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

FEATURE_TABLE = 'Churn_featurestore.db/customer_features_1'


def read_csv(path):
    with open(path, newline='') as f:
        return list(csv.DictReader(f))


def write_csv(path, rows, columns):
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    with open(path, 'w', newline='') as f:
        w = csv.DictWriter(f, fieldnames=columns)
        w.writeheader()
        w.writerows(rows)


def read_jsonl(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def write_json_atomic(path, value):
    """Write to a temp file next to the target, then rename: readers never see half a file."""
    folder = os.path.dirname(path) or '.'
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix='.tmp-', suffix='.json')
    with os.fdopen(fd, 'w') as f:
        json.dump(value, f, indent=2, sort_keys=True)
    os.replace(tmp, path)


def read_json(path):
    with open(path) as f:
        return json.load(f)


def _retrace_cli():
    # The demo passes the exact command that starts Retrace (node + bin/retrace.mjs).
    cli = os.environ.get('RETRACE_CLI')
    return json.loads(cli) if cli else ['retrace']


def feature_table_available():
    return os.environ.get('RETRACE_DEMO_TABLES', '1') == '1'


def feature_dataset():
    """The feature group as a dataset name: the Delta table, or the JSON-lines snapshot standing in for it."""
    return FEATURE_TABLE if feature_table_available() else FEATURE_TABLE + '.jsonl'


# --- The one place where the feature table is written and read. -------------------------------
# With `retrace table` available the feature group is a Delta table (one commit per day, upsert
# by customer_id). Without it, a JSON-lines snapshot stands in at FEATURE_TABLE + '.jsonl'.

def _table_columns():
    """The feature table's columns as its newest metaData in the Delta log names them (None: no table yet)."""
    log = os.path.join(FEATURE_TABLE, '_delta_log')
    if not os.path.isdir(log):
        return None
    for name in sorted((n for n in os.listdir(log) if n.endswith('.json')), reverse=True):
        with open(os.path.join(log, name)) as f:
            for line in f:
                action = json.loads(line)
                if 'metaData' in action:
                    return [c['name'] for c in json.loads(action['metaData']['schemaString'])['fields']]
    return None


def table_version():
    """The feature table's newest version (its newest commit file), or None."""
    try:
        names = os.listdir(os.path.join(FEATURE_TABLE, '_delta_log'))
    except FileNotFoundError:
        return None
    versions = [int(n[:-5]) for n in names if n.endswith('.json') and n[:-5].isdigit()]
    return max(versions) if versions else None


def upsert_features(rows_file, columns):
    if feature_table_available():
        # Same columns: upsert by customer. New columns (a feature renamed, added or dropped): the
        # batch holds every customer's totals, so it replaces the table with the new schema.
        current = _table_columns()
        mode = 'upsert' if current is None or current == columns else 'overwrite'
        subprocess.run(_retrace_cli() + ['table', 'write', FEATURE_TABLE, '--input', rows_file,
                                         '--key', 'customer_id', '--mode', mode],
                       check=True, stdout=subprocess.DEVNULL)
        return
    snapshot = FEATURE_TABLE + '.jsonl'
    current = {r['customer_id']: r for r in read_jsonl(snapshot)} if os.path.exists(snapshot) else {}
    for r in read_jsonl(rows_file):
        current[r['customer_id']] = r
    os.makedirs(os.path.dirname(snapshot), exist_ok=True)
    with open(snapshot, 'w') as f:
        for key in sorted(current):
            f.write(json.dumps(current[key], sort_keys=True) + '\n')


def read_features(version):
    """All rows of the feature table as of `version` (time travel: the training set is pinned)."""
    if feature_table_available():
        out = subprocess.run(_retrace_cli() + ['table', 'read', FEATURE_TABLE, '--version', str(version),
                                               '--format', 'jsonl'],
                             check=True, capture_output=True, text=True).stdout
        return [json.loads(line) for line in out.splitlines() if line.strip()]
    return read_jsonl(FEATURE_TABLE + '.jsonl')
# ------------------------------------------------------------------------------------------------


def fail(message):
    print(f'error: {message}', file=sys.stderr)
    sys.exit(1)
