"""Column lineage, declared by the stages themselves.

`retrace run` sees which files a stage read and wrote, but not how values flow from one column to
another inside arbitrary Python: that takes the code's own word. So each stage says it, in the
standard OpenLineage `columnLineage` and `schema` dataset facets of one event it appends to the
workspace's log while `retrace run` captures it (the run id comes from RETRACE_PARENT_RUN_ID,
which `retrace run` sets). Run outside `retrace run`, `declare` does nothing.

A column's inputs are `(dataset, field, type, subtype)` with type DIRECT (the value is derived
from the input: IDENTITY, TRANSFORMATION, AGGREGATION) or INDIRECT (the input only influences it:
FILTER, JOIN, GROUP_BY, SORT, WINDOW, CONDITIONAL). Inputs that influence every column of an
output (a group-by key) go in its `every_column` list.
"""
import datetime
import hashlib
import json
import os
import time

PRODUCER = 'https://github.com/retrace/retrace/tree/main/examples/churn-pipeline'
FACETS = 'https://openlineage.io/spec/facets/1-2-0/'


def _field(dataset, field, kind, subtype, description=''):
    return {'namespace': 'file', 'name': dataset, 'field': field,
            'transformations': [{'type': kind, 'subtype': subtype, 'description': description, 'masking': False}]}


def output(name, schema, columns, every_column=(), version=None):
    """One output dataset: `schema` [(column, type)], `columns` {column: [input, ...]}; `version`: the table version written."""
    version_facet = {} if version is None else {'version': {'_producer': PRODUCER, '_schemaURL': FACETS + 'DatasetVersionDatasetFacet.json', 'datasetVersion': str(version)}}
    return {
        'namespace': 'file', 'name': name,
        'facets': {
            **version_facet,
            'schema': {'_producer': PRODUCER, '_schemaURL': FACETS + 'SchemaDatasetFacet.json',
                       'fields': [{'name': c, 'type': t} if t else {'name': c} for c, t in schema]},
            'columnLineage': {'_producer': PRODUCER, '_schemaURL': FACETS + 'ColumnLineageDatasetFacet.json',
                              'fields': {c: {'inputFields': [_field(*i) for i in ins]} for c, ins in columns.items()},
                              'dataset': [_field(*i) for i in every_column]},
        },
    }


def declare(outputs):
    """Appends one RUNNING event of the current run carrying the outputs' column facets."""
    run, workspace = os.environ.get('RETRACE_PARENT_RUN_ID'), os.environ.get('RETRACE_WORKSPACE')
    if not run or not workspace or not outputs:
        return
    # The demo replays simulated days: its clock is shifted like every recorded time.
    ms = time.time() * 1000 + int(os.environ.get('RETRACE_TIME_OFFSET_MS', '0') or 0)
    at = datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.timezone.utc)
    for o in outputs:
        _name_file_version(o, workspace)
    event = {
        'eventType': 'RUNNING', 'eventTime': at.isoformat(timespec='milliseconds').replace('+00:00', 'Z'),
        'producer': PRODUCER, 'schemaURL': 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
        'run': {'runId': run},
        'job': {'namespace': os.environ.get('RETRACE_PARENT_JOB_NAMESPACE', 'retrace'), 'name': os.environ.get('RETRACE_PARENT_JOB_NAME', 'stage')},
        'inputs': [], 'outputs': outputs,
    }
    # One write on an O_APPEND descriptor, as `retrace run` appends its own events: a reader
    # never sees half a line, and concurrent writers never interleave.
    line = (json.dumps(event) + '\n').encode()
    fd = os.open(os.path.join(workspace, '.retrace', 'logs', 'runs.jsonl'), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def _name_file_version(out, workspace):
    """A plain file output gets its content hash as version, the one `retrace run` records for the
    same write: without it the declaration would count as a second, version-less write."""
    path = os.path.join(workspace, out['name'])
    if 'version' in out['facets'] or not os.path.isfile(path):
        return
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    out['facets']['version'] = {'_producer': PRODUCER, '_schemaURL': FACETS + 'DatasetVersionDatasetFacet.json',
                                'datasetVersion': 'sha256:' + h.hexdigest()}
