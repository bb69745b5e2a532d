/** `HOST:PORT`, `[v6]:PORT` or `:PORT` (all interfaces) for the probe server. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** Parses a listen address; throws a TypeError naming the input when it is not one. */
export function parseListenAddress(text: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  const port = Number(m?.[3]);
  if (m === null || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`listen address ${JSON.stringify(text)} is not HOST:PORT`);
  }
  const host = m[1] ?? m[2] ?? '';
  return { host: host === '' ? '0.0.0.0' : host, port };
}
