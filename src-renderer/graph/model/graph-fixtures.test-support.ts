/** Small hand-made graphs for the graph-model tests (expected answers are worked out by hand). */
import type { EdgeKind, GraphDto, GraphEdgeDto, GraphNodeDto, NodeKind } from '../../../shared/dto';

export function node(id: string, kind: NodeKind, label?: string, extra: Partial<GraphNodeDto> = {}): GraphNodeDto {
  return { id, kind, label: label ?? id.slice(id.indexOf(':') + 1).replace(/^file\//, ''), ...extra };
}

export function edge(source: string, target: string, kind: EdgeKind): GraphEdgeDto {
  return { id: `${source}|${target}|${kind}`, source, target, kind };
}

export function graphOf(nodes: GraphNodeDto[], edges: GraphEdgeDto[]): GraphDto {
  return { snapshot: null, nodes, edges };
}

/**
 * raw/a.csv → ingest → staged/{a,b}.parquet → train → Models/m/1, with train.py feeding train
 * (uses_code train → code). Jobs live in namespace `ns` and pipeline `ns/daily`.
 */
export function chainGraph(): GraphDto {
  const n = [
    node('artifact:file/data/raw/a.csv', 'dataset', 'data/raw/a.csv'),
    node('job:ns/ingest', 'job', 'ingest', { pipeline: 'ns/daily' }),
    node('artifact:file/data/staged/a.parquet', 'dataset', 'data/staged/a.parquet'),
    node('artifact:file/data/staged/b.parquet', 'dataset', 'data/staged/b.parquet'),
    node('job:ns/train', 'job', 'train', { pipeline: 'ns/daily' }),
    node('artifact:file/Models/m/1', 'model', 'Models/m/1'),
    node('code:abc', 'code', 'train.py @ abc1234'),
  ];
  const e = [
    edge('artifact:file/data/raw/a.csv', 'job:ns/ingest', 'reads'),
    edge('job:ns/ingest', 'artifact:file/data/staged/a.parquet', 'writes'),
    edge('job:ns/ingest', 'artifact:file/data/staged/b.parquet', 'writes'),
    edge('artifact:file/data/staged/a.parquet', 'job:ns/train', 'reads'),
    edge('artifact:file/data/staged/b.parquet', 'job:ns/train', 'reads'),
    edge('job:ns/train', 'artifact:file/Models/m/1', 'writes'),
    edge('job:ns/train', 'code:abc', 'uses_code'),
  ];
  return graphOf(n, e);
}
