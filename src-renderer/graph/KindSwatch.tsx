import type { NodeKind } from '../../shared/dto';
import { kindShapePath } from './kind-style';

/** A kind's shape in its colour (the legend, lists): kinds differ by shape as well as colour. */
export function KindSwatch({ kind }: { kind: NodeKind }) {
  return (
    <svg className={`kind-swatch kind-${kind}`} viewBox="-1 -1 22 16" width="20" height="14" aria-hidden="true">
      <path d={kindShapePath(kind)} />
    </svg>
  );
}
