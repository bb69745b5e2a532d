import { GatewaySyncReasons } from '../reasons/index.ts';
import type { GatewayReport } from './gateway-report.ts';
import type { GatewayProgress } from './sync-worker.ts';

export interface StatusRow {
  readonly gateway: string;
  readonly sync: string;
  readonly state: GatewayProgress['state'];
  readonly ref: string;
  /** The ref is a webhook's pin: shown as `2.0.1 (pinned)`. */
  readonly pinned?: boolean | undefined;
  readonly report?: GatewayReport | undefined;
}

function changes(report: GatewayReport | undefined): string {
  if (report === undefined || report.status === 'Failed') return '';
  const text = `+${report.added} ~${report.modified} -${report.deleted}`;
  return report.drift > 0 ? `${text} drift ${report.drift}` : text;
}

function stateText(row: StatusRow): string {
  const notes = [
    ...(row.report?.dryRun === true ? ['dry run'] : []),
    ...(row.report?.reason === GatewaySyncReasons.MovedToOlderCommit ? ['older commit'] : []),
  ];
  return notes.length === 0 ? row.state : `${row.state} (${notes.join(', ')})`;
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/**
 * The status table `run` shows (live on a TTY, once at the end of `--once --output text`). Pure.
 *
 * GATEWAY  SYNC                STATE   REF    COMMIT   CHANGES        ERROR
 * site     site1/proveit-sync  Synced  2.0.0  1a2b3c4  +42 ~0 -0
 */
export function renderStatusTable(rows: readonly StatusRow[], maxErrorWidth = 60): string {
  const header = ['GATEWAY', 'SYNC', 'STATE', 'REF', 'COMMIT', 'CHANGES', 'ERROR'];
  const body = rows.map((r) => [
    r.gateway,
    r.sync,
    stateText(r),
    r.pinned === true ? `${r.ref} (pinned)` : r.ref,
    r.report?.commit?.slice(0, 7) ?? '',
    changes(r.report),
    clip(
      r.report?.error === null || r.report?.error === undefined
        ? ''
        : `${r.report.reason}: ${r.report.error}`,
      maxErrorWidth,
    ),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...body.map(line)].join('\n');
}

/** Holds the latest progress per gateway, in first-seen order. */
export class StatusBoard {
  readonly #rows = new Map<string, StatusRow>();

  update(progress: GatewayProgress): void {
    const key = `${progress.sync}/${progress.gateway}`;
    const previous = this.#rows.get(key);
    // Keep the last report while a new round runs, so the table still shows the last result.
    const report = progress.report ?? previous?.report;
    this.#rows.set(key, { ...progress, report });
  }

  get rows(): StatusRow[] {
    return [...this.#rows.values()];
  }
}

/**
 * Repaints the table in place on a terminal (cursor up + clear to end), at most every `intervalMs`.
 */
export class TtyStatusPainter {
  readonly #out: NodeJS.WritableStream;
  readonly #board = new StatusBoard();
  readonly #intervalMs: number;
  #lines = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(out: NodeJS.WritableStream, intervalMs = 100) {
    this.#out = out;
    this.#intervalMs = intervalMs;
  }

  update(progress: GatewayProgress): void {
    this.#board.update(progress);
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.paint();
    }, this.#intervalMs);
  }

  paint(): void {
    const table = `${renderStatusTable(this.#board.rows)}\n`;
    const clear = this.#lines > 0 ? `\u001b[${this.#lines}F\u001b[J` : '';
    this.#out.write(clear + table);
    this.#lines = table.split('\n').length - 1;
  }

  /** Paints the final state and stops repainting. */
  close(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.paint();
  }
}
