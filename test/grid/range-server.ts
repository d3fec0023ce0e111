/**
 * A local HTTP server for remote-grid tests: serves files of a folder on 127.0.0.1 with Range support
 * (RFC 7233, single ranges), ETag and Last-Modified, under any first path segment standing for a
 * bucket (`/grids/spac_33.cog.tif` is `<root>/spac_33.cog.tif`, as an S3-compatible store would answer
 * `s3://grids/spac_33.cog.tif`). Faults are queued per test: each request takes the next one.
 */
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export type Fault =
  /** Sends the headers and half the body, then drops the connection. */
  | 'drop-mid-body'
  /** Answers 503 Service Unavailable. */
  | '503'
  /** Answers 404 with an S3-style XML error. */
  | '404'
  /** Ignores Range: 200 with the whole file. */
  | 'ignore-range'
  /** Never answers (the client must time out). */
  | 'stall'
  /** Serves normally but with another ETag (the object "changed"). */
  | 'new-etag';

export interface RangeServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** URL of a file: `${origin}/grids/${name}`. */
  url(name: string): string;
  /** Faults for the next requests, in order (consumed one per request). */
  faults: Fault[];
  /** Every request: path, Range header, bytes of body sent, status. */
  log: Array<{ path: string; range: string | null; status: number; bytes: number }>;
  /** Most requests in flight at once. */
  maxInFlight: number;
  /** Serves every request as if Range were unsupported. */
  noRange: boolean;
  close(): Promise<void>;
}

export async function startRangeServer(root: string): Promise<RangeServer> {
  let inFlight = 0;
  const state: Omit<RangeServer, 'close' | 'origin' | 'url'> = { faults: [], log: [], maxInFlight: 0, noRange: false };
  const server = http.createServer((req, res) => {
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    const entry = { path: req.url ?? '', range: (req.headers.range as string | undefined) ?? null, status: 0, bytes: 0 };
    state.log.push(entry);
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        inFlight--;
      }
    };
    res.on('close', finish);
    const fault = state.faults.shift() ?? null;
    const send = (status: number, headers: http.OutgoingHttpHeaders, body?: string) => {
      entry.status = status;
      res.writeHead(status, headers);
      if (body) entry.bytes += Buffer.byteLength(body);
      res.end(body);
    };
    if (fault === 'stall') return; // the client's timeout ends it
    if (fault === '503') return send(503, { 'Content-Type': 'text/plain' }, 'slow down');
    const name = decodeURIComponent((req.url ?? '/').split('?')[0])
      .split('/')
      .slice(2)
      .join('/');
    let size: number;
    let mtime: Date;
    try {
      const st = statSync(join(root, name));
      if (!st.isFile() || name.includes('..')) throw new Error('not a file');
      size = st.size;
      mtime = st.mtime;
    } catch {
      return send(
        404,
        { 'Content-Type': 'application/xml' },
        '<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
      );
    }
    if (fault === '404') return send(404, { 'Content-Type': 'application/xml' }, '<Error><Code>NoSuchKey</Code></Error>');
    const etag = fault === 'new-etag' ? '"changed"' : `"${size.toString(16)}-${mtime.getTime().toString(16)}"`;
    const common = { ETag: etag, 'Last-Modified': mtime.toUTCString(), 'Accept-Ranges': state.noRange ? 'none' : 'bytes' };
    const m = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
    const stream = (status: number, start: number, end: number, headers: http.OutgoingHttpHeaders, dropAfter?: number) => {
      entry.status = status;
      res.writeHead(status, { ...common, ...headers, 'Content-Length': end - start + 1 });
      const s = createReadStream(join(root, name), { start, end: dropAfter !== undefined ? start + dropAfter - 1 : end });
      s.on('data', (c) => {
        entry.bytes += c.length;
      });
      if (dropAfter !== undefined) {
        s.pipe(res, { end: false });
        s.on('end', () => setTimeout(() => res.socket?.destroy(), 5));
      } else s.pipe(res);
    };
    if (fault === 'ignore-range' || state.noRange || !m) return stream(200, 0, size - 1, {});
    const start = Number(m[1]);
    const end = Math.min(size - 1, m[2] === '' ? size - 1 : Number(m[2]));
    if (start >= size) return send(416, { 'Content-Range': `bytes */${size}` });
    const headers = { 'Content-Range': `bytes ${start}-${end}/${size}` };
    if (fault === 'drop-mid-body') return stream(206, start, end, headers, Math.max(1, Math.floor((end - start + 1) / 2)));
    stream(206, start, end, headers);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const out = Object.assign(state, {
    origin,
    url: (name: string) => `${origin}/grids/${name}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return out as RangeServer;
}
