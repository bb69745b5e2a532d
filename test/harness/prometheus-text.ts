/**
 * A small strict parser of the Prometheus text exposition format (version 0.0.4), for tests that `GET
 * /metrics` like a scraper would: every line must be a `# HELP`, a `# TYPE` or a sample
 * `name{label="value",...} number`, every sample's family must have a `# TYPE`, and label values are
 * unescaped (`\\`, `\"`, `\n`). Anything else throws, naming the line.
 */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Exposition {
  readonly types: ReadonlyMap<string, string>;
  readonly samples: readonly Sample[];
  /** The one sample of `name` whose labels include `labels`, summed over the series that match (0 when none). */
  value(name: string, labels?: Readonly<Record<string, string>>): number;
  /** Every series of `name` whose labels include `labels`. */
  series(name: string, labels?: Readonly<Record<string, string>>): Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)(\s+-?\d+)?$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text.slice(1, -1);
  while (rest.length > 0) {
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,?)/.exec(rest);
    if (m === null) throw new Error(`metrics: bad labels in ${JSON.stringify(line)}`);
    const [whole, key = '', raw = ''] = m;
    labels[key] = raw.replace(/\\(.)/g, (_s, c: string) => (c === 'n' ? '\n' : c));
    rest = rest.slice(whole.length);
  }
  return labels;
}

function parseValue(text: string, line: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  const n = Number(text);
  if (text === '' || Number.isNaN(n)) throw new Error(`metrics: bad value in ${JSON.stringify(line)}`);
  return n;
}

/** The family a sample belongs to: histogram `_bucket`/`_sum`/`_count` belong to their base name. */
function familyOf(name: string, types: ReadonlyMap<string, string>): string | undefined {
  if (types.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return types.has(base) ? base : undefined;
}

const includes = (labels: Readonly<Record<string, string>>, want: Readonly<Record<string, string>>) =>
  Object.entries(want).every(([k, v]) => labels[k] === v);

export function parsePrometheusText(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('# HELP ')) {
      if (!NAME.test(line.slice(7).split(' ')[0] ?? '')) throw new Error(`metrics: bad HELP ${line}`);
      continue;
    }
    if (line.startsWith('# TYPE ')) {
      const [name = '', type = ''] = line.slice(7).split(' ');
      if (!NAME.test(name) || !TYPES.has(type)) throw new Error(`metrics: bad TYPE ${JSON.stringify(line)}`);
      types.set(name, type);
      continue;
    }
    if (line.startsWith('#')) throw new Error(`metrics: unexpected comment ${JSON.stringify(line)}`);
    const m = SAMPLE.exec(line);
    if (m === null) throw new Error(`metrics: not a sample: ${JSON.stringify(line)}`);
    const [, name = '', labelText, valueText = ''] = m;
    if (familyOf(name, types) === undefined) throw new Error(`metrics: ${name} has no # TYPE before it`);
    samples.push({
      name,
      labels: labelText === undefined ? {} : parseLabels(labelText, line),
      value: parseValue(valueText, line),
    });
  }
  const series = (name: string, labels: Readonly<Record<string, string>> = {}) =>
    samples.filter((s) => s.name === name && includes(s.labels, labels));
  return {
    types,
    samples,
    series,
    value: (name, labels = {}) => series(name, labels).reduce((sum, s) => sum + s.value, 0),
  };
}

/** `GET url` like a scraper; asserts a 200 with the exposition content type, then parses it. */
export async function scrapeMetrics(url: string): Promise<Exposition> {
  const res = await fetch(url);
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${body.slice(0, 200)}`);
  const type = res.headers.get('content-type') ?? '';
  if (!type.startsWith('text/plain') || !type.includes('version=0.0.4'))
    throw new Error(`GET ${url}: content-type ${type} is not the Prometheus text format`);
  return parsePrometheusText(body);
}
