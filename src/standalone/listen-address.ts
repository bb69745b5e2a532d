import { OperatorError } from '../errors.ts';
import { StandaloneReasons } from '../reasons/index.ts';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * Parses `--listen`: `HOST:PORT`, `[IPv6]:PORT`, `:PORT` (all interfaces) or `PORT` (loopback only, the
 * safe default for a laptop). Port 0 picks a free port.
 */
export function parseListenAddress(text: string): ListenAddress {
  const invalid = (): OperatorError =>
    new OperatorError(
      StandaloneReasons.ConfigInvalid,
      `invalid flag: --listen ${JSON.stringify(text)} must be HOST:PORT`,
      {
        kind: 'stalling',
      },
    );
  const trimmed = text.trim();
  const colon = trimmed.lastIndexOf(':');
  let host = colon < 0 ? '127.0.0.1' : trimmed.slice(0, colon);
  const portText = colon < 0 ? trimmed : trimmed.slice(colon + 1);
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw invalid();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  else if (host.includes(':') || host.includes('/') || host.includes('[')) throw invalid();
  return { host: host === '' ? '0.0.0.0' : host, port: Number(portText) };
}
