import { useMemo, useState } from 'react';
import { FOOTPRINT_CLASSES, type FootprintClass, type FootprintDto } from '../../../shared/lineage-dto';
import { buildFootprintTree, CLASS_LABEL, type FootprintTreeNode } from '../../state/footprint-tree';
import { useApp } from '../../state/use-app';

/**
 * What a run read, created, modified and deleted: counts per class for files and for the
 * artifacts they roll up to, a toggle that colours them on the graph, and the files as a tree
 * (filter by class; a file opens its artifact).
 */
export function FootprintSection({ fp }: { fp: FootprintDto }) {
  const overlay = useApp((s) => s.overlay);
  const showFootprint = useApp((s) => s.showFootprint);
  const clearOverlay = useApp((s) => s.clearOverlay);
  const [only, setOnly] = useState<ReadonlySet<FootprintClass>>(new Set());
  const tree = useMemo(() => buildFootprintTree(fp.entries, only.size ? only : null), [fp, only]);
  const on = overlay?.kind === 'footprint' && overlay.run === fp.run;
  const toggle = (c: FootprintClass) => {
    const next = new Set(only);
    if (next.has(c)) next.delete(c);
    else next.add(c);
    setOnly(next);
  };
  return (
    <div className="footprint" data-testid="footprint">
      <table className="fp-counts">
        <thead>
          <tr>
            <th />
            <th title="Files the run touched">files</th>
            <th title="Artifacts (tables, models, folders) the files roll up to">artifacts</th>
          </tr>
        </thead>
        <tbody>
          {FOOTPRINT_CLASSES.map((c) => (
            <tr key={c} className={`fp-${c.toLowerCase()}`}>
              <th>
                <button type="button" className={`class-chip fp-${c.toLowerCase()} ${only.has(c) ? 'open' : ''}`} aria-pressed={only.has(c)} onClick={() => toggle(c)} title={`Show only ${CLASS_LABEL[c].toLowerCase()} files`}>
                  <span className="fp-swatch" /> {CLASS_LABEL[c]}
                </button>
              </th>
              <td className="num" data-testid={`fp-files-${c}`}>{fp.counts[c]}</td>
              <td className="num" data-testid={`fp-artifacts-${c}`}>{fp.artifactCounts[c]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" className={on ? 'button small primary' : 'button small'} onClick={() => (on ? clearOverlay() : showFootprint())} data-testid="footprint-toggle">
          {on ? 'Hide on graph' : 'Show on graph'}
        </button>
        {only.size > 0 && (
          <button type="button" className="link-button small" onClick={() => setOnly(new Set())}>
            all classes
          </button>
        )}
      </div>
      {tree.files === 0 ? (
        <p className="muted">{only.size ? 'No files in the chosen classes.' : 'The run touched no files that were recorded.'}</p>
      ) : (
        <ul className="fp-tree" role="tree" data-testid="footprint-tree">
          {tree.children.map((n) => <TreeItem key={n.path} node={n} depth={0} />)}
        </ul>
      )}
    </div>
  );
}

function TreeItem({ node, depth }: { node: FootprintTreeNode; depth: number }) {
  const [open, setOpen] = useState(depth < 2 && node.files <= 40);
  const reveal = useApp((s) => s.reveal);
  const graph = useApp((s) => s.graph);
  if (node.entry) {
    const e = node.entry;
    // A file opens the artifact it belongs to: itself, or the folder it rolls up to.
    const target = graph?.nodes.find((n) => n.id === e.id) ?? graph?.nodes.filter((n) => n.id.startsWith('artifact:') && e.artifact.startsWith(`${n.label}/`)).sort((a, b) => b.label.length - a.label.length)[0];
    return (
      <li role="treeitem" className="fp-file" style={{ paddingLeft: depth * 12 }}>
        {e.classes.map((c) => <span key={c} className={`fp-dot fp-${c.toLowerCase()}`} title={CLASS_LABEL[c]} />)}
        {target ? (
          <button type="button" className="link-button" onClick={() => reveal(target.id)} title={`${e.artifact} — open ${target.label}`}>{node.name}</button>
        ) : (
          <span title={e.artifact}>{node.name}</span>
        )}
        {e.version && <span className="muted small"> {e.version}</span>}
      </li>
    );
  }
  return (
    <li role="treeitem" aria-expanded={open} className="fp-dir">
      <button type="button" className="fp-dir-row" style={{ paddingLeft: depth * 12 }} onClick={() => setOpen(!open)}>
        <span className="caret">{open ? '▾' : '▸'}</span> {node.name}/ <span className="muted small">{node.files} {node.files === 1 ? 'file' : 'files'}</span>
      </button>
      {open && <ul role="group">{node.children.map((c) => <TreeItem key={c.path} node={c} depth={depth + 1} />)}</ul>}
    </li>
  );
}
