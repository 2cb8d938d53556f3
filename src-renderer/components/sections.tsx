import type { ReactNode } from 'react';
import type { StalenessDto } from '../../shared/lineage-dto';

/** Small building blocks of the details panel: each one shows one answer of the API. */

export function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="section" data-testid={testId}>
      <h3 className="section-title">{title}</h3>
      {children}
    </section>
  );
}

export function StalenessView({ s }: { s: StalenessDto }) {
  if (!s.stale) return <p className="ok-text">Up to date: nothing it was made from has changed.</p>;
  return (
    <ul className="warnings" data-testid="staleness">
      {s.reasons.map((r, i) => (
        <li key={i} className="warning">
          <span className="warning-code">{r.code.replace(/_/g, ' ').toLowerCase()}</span>
          {r.message}
        </li>
      ))}
    </ul>
  );
}
