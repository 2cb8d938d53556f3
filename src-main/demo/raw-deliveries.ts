import { seededRandom } from '../../shared/seeded-random';

/**
 * Deterministic raw deliveries for the churn demo: one CSV per simulated day, as a supplier
 * would drop them. Each customer has a hidden churn propensity driven by support tickets and
 * order frequency, so the model in the demo has something real to learn.
 */
export const DEMO_CUSTOMERS = 60;


interface Customer {
  id: string;
  orderRate: number;
  ticketRate: number;
  churned: number;
}

function customers(): Customer[] {
  const rnd = seededRandom(7);
  const out: Customer[] = [];
  for (let i = 1; i <= DEMO_CUSTOMERS; i++) {
    const orderRate = 0.3 + rnd() * 3;
    const ticketRate = rnd() * 1.5;
    const risk = 1 / (1 + Math.exp(-(-0.5 + 2.2 * ticketRate - 0.9 * orderRate)));
    out.push({ id: `C${String(i).padStart(3, '0')}`, orderRate, ticketRate, churned: rnd() < risk ? 1 : 0 });
  }
  return out;
}

function poisson(rnd: () => number, lambda: number): number {
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rnd();
  } while (p > l);
  return k - 1;
}

export interface RawDeliveryOptions {
  /** A corrected re-delivery differs slightly (refunds booked late). */
  corrected?: boolean;
  /** Leave one value empty so ingestion fails, as a real bad delivery would. */
  malformed?: boolean;
}

export function rawDeliveryCsv(day: number, opts: RawDeliveryOptions = {}): string {
  const rnd = seededRandom(1000 + day * 31 + (opts.corrected ? 17 : 0));
  const lines = ['customer_id,day,orders,spend,tickets,churned'];
  for (const c of customers()) {
    if (rnd() > 0.85) continue;
    const orders = poisson(rnd, c.orderRate);
    const spend = orders * (8 + rnd() * 32) * (opts.corrected ? 0.95 : 1);
    const tickets = poisson(rnd, c.ticketRate);
    lines.push(`${c.id},${day},${orders},${spend.toFixed(2)},${tickets},${c.churned}`);
  }
  if (opts.malformed && lines.length > 3) {
    const parts = lines[3]!.split(',');
    parts[3] = '';
    lines[3] = parts.join(',');
  }
  return lines.join('\n') + '\n';
}
