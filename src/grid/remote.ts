/**
 * Remote grids: a ByteSource over HTTP(S) range requests, for Cloud-Optimized GeoTIFFs in object
 * storage (`https://…`, or `s3://bucket/key` for anonymous reads of public or S3-compatible buckets).
 *
 * Every read is one `GET` with a `Range` header; the object is never downloaded whole. A server that
 * answers a range request with the whole file (200) is refused at once (the response is dropped after
 * its headers). Requests run at most `concurrency` at a time over keep-alive connections; timeouts,
 * dropped connections, short bodies, 429 and 5xx are retried with exponential backoff; 403, 404 and
 * other client errors fail at once with the URL named. The object's ETag, size and Last-Modified
 * identify it in manifests; an ETag that changes between requests (the object was replaced while
 * being read) is an error, never a mix of two versions.
 */
import http from 'node:http';
import https from 'node:https';
import { GridError } from './errors.js';
import type { ByteSource, RemoteObject, TransferStats } from './byte-source.js';

export interface RemoteOptions {
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  /** Retries of a failed request before giving up (default 5). */
  retries?: number;
  /** First backoff delay, doubled on each retry with ±25 % jitter (default 250 ms), capped at maxBackoffMs (default 8 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Time allowed for one request, headers and body (default 60 s). */
  timeoutMs?: number;
  /** Bytes fetched by the first request, which also learns the size and ETag (default 16 KiB, as GDAL). */
  probeBytes?: number;
  /** Environment for `s3://` endpoints (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/**
 * The HTTP(S) URL of a remote location. `s3://bucket/key` goes to `AWS_ENDPOINT_URL_S3` or
 * `AWS_ENDPOINT_URL` (path style, as S3-compatible stores expect) when set, else to AWS
 * (`AWS_REGION` / `AWS_DEFAULT_REGION` when set).
 *
 * @example
 * resolveRemoteUrl('s3://my-bucket/grids/gebco.tif', { AWS_REGION: 'eu-west-1' });
 * // 'https://my-bucket.s3.eu-west-1.amazonaws.com/grids/gebco.tif'
 * resolveRemoteUrl('s3://grids/a.tif', { AWS_ENDPOINT_URL: 'http://minio:9000' }); // 'http://minio:9000/grids/a.tif'
 */
export function resolveRemoteUrl(location: string, env: NodeJS.ProcessEnv = process.env): string {
  const s3 = /^s3:\/\/([^/]*)\/?(.*)$/i.exec(location);
  if (!s3) {
    try {
      return new URL(location).href;
    } catch {
      throw new GridError(location, 'not a valid URL');
    }
  }
  const [, bucket, rawKey] = s3;
  if (!bucket || !rawKey) throw new GridError(location, 'an S3 location is s3://bucket/key');
  const key = rawKey.split('/').map(encodeURIComponent).join('/');
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL;
  if (endpoint) return `${endpoint.replace(/\/+$/, '')}/${bucket}/${key}`;
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  const host = region ? `s3.${region}.amazonaws.com` : 's3.amazonaws.com';
  // bucket names with dots break virtual-host TLS: path style for them
  return bucket.includes('.') ? `https://${host}/${bucket}/${key}` : `https://${bucket}.${host}/${key}`;
}

/** A failed attempt: whether trying again may help, and why. */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

interface RangeReply {
  bytes: Uint8Array;
  /** Total size from Content-Range. */
  total: number;
  etag: string | null;
  lastModified: string | null;
}

/** A counting semaphore: at most `n` holders. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  constructor(n: number) {
    this.free = n;
  }
  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 410: 'Gone', 416: 'Range Not Satisfiable' };

/** A remote object read with HTTP range requests. Open with `openRemote`. */
export class HttpRangeSource implements ByteSource {
  readonly stats: TransferStats = { requests: 0, bytesFetched: 0, retries: 0 };
  private url: string;
  private readonly agent: http.Agent;
  private readonly slots: Slots;
  private readonly o: Required<Omit<RemoteOptions, 'env'>>;
  private etag: string | null = null;
  private lastModified: string | null = null;
  private total = -1;
  private closed = false;

  /** The first bytes of the object, fetched while opening (format sniffing, TIFF header). */
  head: Uint8Array = new Uint8Array(0);

  constructor(
    readonly path: string,
    url: string,
    options: RemoteOptions = {},
  ) {
    this.url = url;
    this.o = {
      concurrency: Math.max(1, options.concurrency ?? 8),
      retries: Math.max(0, options.retries ?? 5),
      backoffMs: options.backoffMs ?? 250,
      maxBackoffMs: options.maxBackoffMs ?? 8000,
      timeoutMs: options.timeoutMs ?? 60_000,
      probeBytes: Math.max(16, options.probeBytes ?? 1 << 14),
    };
    this.slots = new Slots(this.o.concurrency);
    const Agent = url.startsWith('https:') ? https.Agent : http.Agent;
    this.agent = new Agent({ keepAlive: true, maxSockets: this.o.concurrency });
  }

  get size(): number {
    return this.total;
  }

  /** What identifies the object (for run.json, job.json). */
  get object(): RemoteObject {
    return { location: this.path, url: this.url, size: this.total, etag: this.etag, lastModified: this.lastModified };
  }

  /** First request: learns the size and ETag, checks that the server honours Range, keeps the first bytes. */
  async probe(): Promise<void> {
    const reply = await this.withRetries(0, this.o.probeBytes, true);
    this.total = reply.total;
    this.head = reply.bytes;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (length === 0) return new Uint8Array(0);
    if (offset < 0 || offset + length > this.total) {
      throw new GridError(this.path, `truncated object: needed bytes ${offset}..${offset + length - 1}, it has ${this.total}`);
    }
    return (await this.withRetries(offset, length, false)).bytes;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.agent.destroy();
  }

  private where(): string {
    return this.url === this.path ? '' : ` (${this.url})`;
  }

  private async withRetries(offset: number, length: number, probe: boolean): Promise<RangeReply> {
    const range = `bytes ${offset}..${offset + length - 1}`;
    for (let attempt = 0; ; attempt++) {
      if (this.closed) throw new GridError(this.path, 'read after close');
      await this.slots.acquire();
      let failure: AttemptError;
      try {
        return await this.attempt(offset, length, probe, 0);
      } catch (err) {
        failure = err instanceof AttemptError ? err : new AttemptError(String((err as Error)?.message ?? err), false);
      } finally {
        this.slots.release();
      }
      if (!failure.retryable) throw new GridError(this.path, `${failure.message}${this.where()}`);
      if (attempt >= this.o.retries) {
        throw new GridError(this.path, `reading ${range} failed ${attempt + 1} times, last: ${failure.message}${this.where()}`);
      }
      this.stats.retries++;
      const delay = Math.min(this.o.maxBackoffMs, this.o.backoffMs * 2 ** attempt);
      await sleep(delay * (0.75 + 0.5 * Math.random()));
    }
  }

  /** One GET with a Range header (following up to 5 redirects). */
  private attempt(offset: number, length: number, probe: boolean, redirects: number): Promise<RangeReply> {
    const url = new URL(this.url);
    const lib = url.protocol === 'https:' ? https : http;
    const last = offset + length - 1;
    this.stats.requests++;
    return new Promise<RangeReply>((resolve, reject) => {
      let settled = false;
      const settle = (err: AttemptError | null, value?: RangeReply | Promise<RangeReply>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          req.destroy();
          reject(err);
        } else resolve(value as RangeReply);
      };
      const req = lib.request(
        url,
        { method: 'GET', agent: this.agent, headers: { Range: `bytes=${offset}-${last}`, 'Accept-Encoding': 'identity', 'User-Agent': 'seamount-detect' } },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status >= 300 && status < 400 && res.headers.location) {
            res.resume();
            if (redirects >= 5) return settle(new AttemptError(`too many redirects (last to ${res.headers.location})`, false));
            this.url = new URL(res.headers.location, url).href;
            settled = true;
            clearTimeout(timer);
            this.attempt(offset, length, probe, redirects + 1).then(resolve, reject);
            return;
          }
          if (status === 200) {
            // the whole object is coming: drop it after the headers
            res.destroy();
            const size = res.headers['content-length'];
            return settle(
              new AttemptError(
                `the server ignores HTTP Range requests (answered 200 with the whole object${size ? `, ${size} bytes` : ''} to a request for bytes ${offset}-${last}); ` +
                  'a remote grid is read by ranges and never downloaded whole: serve it from a server or object store that supports Range, or download it first',
                false,
              ),
            );
          }
          if (status !== 206) {
            const chunks: Buffer[] = [];
            let kept = 0;
            res.on('data', (c: Buffer) => {
              if (kept < 2048) chunks.push(c);
              kept += c.length;
            });
            res.on('end', () => settle(statusError(status, Buffer.concat(chunks).toString('utf8', 0, 2048), probe)));
            res.on('error', () => settle(statusError(status, '', probe)));
            return;
          }
          const m = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(String(res.headers['content-range'] ?? '').trim());
          if (!m) {
            res.destroy();
            return settle(new AttemptError(`answered 206 without a usable Content-Range ('${res.headers['content-range'] ?? ''}')`, false));
          }
          const start = Number(m[1]);
          const end = Number(m[2]);
          const total = m[3] === '*' ? -1 : Number(m[3]);
          // the probe may get fewer bytes than asked when the object is smaller
          const expectedEnd = probe && total >= 0 ? Math.min(last, total - 1) : last;
          if (start !== offset || end !== expectedEnd || total < 0) {
            res.destroy();
            return settle(new AttemptError(`answered bytes ${start}-${end}/${m[3]} to a request for bytes ${offset}-${last}`, false));
          }
          const etag = headerText(res.headers.etag);
          if (!probe && this.etag !== null && etag !== null && etag !== this.etag) {
            res.destroy();
            return settle(
              new AttemptError(`the object changed on the server while being read (ETag ${this.etag}, now ${etag}); run again to read the new version`, false),
            );
          }
          if (probe) {
            this.etag = etag;
            this.lastModified = headerText(res.headers['last-modified']);
          }
          const n = end - start + 1;
          const body = new Uint8Array(n);
          let got = 0;
          res.on('data', (c: Buffer) => {
            this.stats.bytesFetched += c.length;
            if (got + c.length > n) return settle(new AttemptError(`sent more than the ${n} bytes of range ${start}-${end}`, false));
            body.set(c, got);
            got += c.length;
          });
          res.on('end', () => {
            if (got !== n) settle(new AttemptError(`connection ended after ${got} of ${n} bytes`, true));
            else settle(null, { bytes: body, total, etag, lastModified: headerText(res.headers['last-modified']) });
          });
          res.on('error', (e: Error) => settle(new AttemptError(`connection dropped after ${got} of ${n} bytes (${e.message})`, true)));
          res.on('close', () => settle(new AttemptError(`connection closed after ${got} of ${n} bytes`, true)));
        },
      );
      req.on('error', (e: NodeJS.ErrnoException) => settle(new AttemptError(`${e.code ?? 'network error'}: ${e.message}`, true)));
      const timer = setTimeout(() => settle(new AttemptError(`no complete answer within ${this.o.timeoutMs / 1000} s`, true)), this.o.timeoutMs);
      req.end();
    });
  }
}

function headerText(v: string | string[] | undefined): string | null {
  if (v === undefined) return null;
  return Array.isArray(v) ? (v[0] ?? null) : v;
}

function statusError(status: number, body: string, probe: boolean): AttemptError {
  const code = /<Code>([^<]+)<\/Code>/.exec(body)?.[1];
  const label = `HTTP ${status}${STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : ''}${code ? ` (${code})` : ''}`;
  if (status === 404 || status === 410) return new AttemptError(`${label}: no such object`, false);
  if (status === 401 || status === 403) {
    return new AttemptError(`${label}: access denied; only anonymous reads are supported (a public object, or a presigned https:// URL)`, false);
  }
  if (status === 416) return new AttemptError(probe ? `${label}: the object is empty` : `${label}: the range lies beyond the object's end`, false);
  const retryable = status >= 500 || status === 429 || status === 408;
  return new AttemptError(`${label}${retryable ? '' : ': unexpected answer to a range request'}`, retryable);
}

/**
 * Opens a remote object: one ranged GET (the probe) learns its size and identity and checks that the
 * server honours Range.
 *
 * @example
 * const src = await openRemote('s3://my-bucket/gebco_2024.cog.tif');
 * src.object; // { url: 'https://my-bucket.s3.amazonaws.com/gebco_2024.cog.tif', size, etag, lastModified, ... }
 */
export async function openRemote(location: string, options: RemoteOptions = {}): Promise<HttpRangeSource> {
  const source = new HttpRangeSource(location, resolveRemoteUrl(location, options.env), options);
  try {
    await source.probe();
    return source;
  } catch (err) {
    await source.close();
    throw err;
  }
}
