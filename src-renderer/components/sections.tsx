import type { ReactNode } from 'react';
import type { StalenessDto } from '../../shared/lineage-dto';
import { Hash } from './details/Hash';

/** Small building blocks of the details panel: each one shows one answer of the API. */

export function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="section" data-testid={testId}>
      <h3 className="section-title">{title}</h3>
      {children}
    </section>
  );
}

/** Why a version is stale: one sentence per reason, and what exactly differs under it. */
export function StalenessView({ s }: { s: StalenessDto }) {
  if (!s.stale) return <p className="ok-text">Up to date: nothing it was made from has changed.</p>;
  return (
    <ul className="warnings" data-testid="staleness">
      {s.reasons.map((r, i) => {
        const d = (r as { details?: { files?: { path: string; change: string }[]; packages?: { name: string; from: string | null; to: string | null }[] } }).details;
        return (
          <li key={i} className="warning">
            <span className="warning-code">{r.code.replace(/_/g, ' ').toLowerCase()}</span>
            <span className="warning-text">{r.message}</span>
            <div className="warning-details">
              {r.readVersion && r.currentVersion && (
                <div className="detail-row">
                  <span className="muted">{r.code.startsWith('INPUT') ? 'read' : 'then'}</span> <Hash value={r.readVersion} against={r.currentVersion} /> →{' '}
                  <span className="muted">now</span> <Hash value={r.currentVersion} against={r.readVersion} />
                </div>
              )}
              {d?.files?.map((f) => <div key={f.path} className="detail-row"><span className="muted">{f.change}</span> <code>{f.path}</code></div>)}
              {d?.packages?.map((p) => (
                <div key={p.name} className="detail-row"><code>{p.name}</code> {p.from ?? 'absent'} → {p.to ?? 'removed'}</div>
              ))}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
