/**
 * The canvas (Cytoscape and everything that drives it) is a chunk of its own, requested as the
 * page starts: the first script stays small, and both download and compile in parallel.
 */
let loading: Promise<typeof import('./graph-controller')> | null = null;

export function loadCanvasModule(): Promise<typeof import('./graph-controller')> {
  loading ??= import('./graph-controller');
  return loading;
}
