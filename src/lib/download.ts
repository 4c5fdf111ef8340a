// Downloads one file over HTTP into place atomically: the body is checked (and converted) in
// memory, written to a temporary file beside the target, then renamed. A failure at any step
// leaves the previous file untouched and explains itself in French.
import fs from 'node:fs';
import path from 'node:path';

export class DownloadError extends Error {
  constructor(
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options);
    this.status = options?.status ?? null;
  }

  /** The HTTP status when the server answered with an error; null otherwise. */
  readonly status: number | null;
}

export interface DownloadOptions {
  url: string;
  /** Absolute path of the file to (re)place. */
  target: string;
  /** Name of the file in messages (e.g. its path in the reference folder). */
  label: string;
  /** Checks the body and returns what to write; throws an Error with a French reason to refuse it. */
  prepare: (body: Uint8Array) => Uint8Array | string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  onProgress?: (receivedBytes: number, totalBytes: number | null) => void;
}

export interface DownloadResult {
  /** Bytes received from the server. */
  receivedBytes: number;
  /** Bytes written to the target. */
  writtenBytes: number;
}

async function readBody(response: Response, onProgress?: DownloadOptions['onProgress']): Promise<Uint8Array> {
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    onProgress?.(received, total);
  }
  return Buffer.concat(chunks);
}

export async function downloadToFile(options: DownloadOptions): Promise<DownloadResult> {
  const { url, target, label } = options;
  const doFetch = options.fetch ?? fetch;
  let body: Uint8Array;
  try {
    const response = await doFetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 120_000) });
    if (!response.ok) {
      await response.body?.cancel();
      throw new DownloadError(`${label} : le serveur a répondu HTTP ${response.status} pour ${url} ; le fichier précédent est conservé.`, { status: response.status });
    }
    body = await readBody(response, options.onProgress);
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    // The cause stays attached: callers tell a refused address or a too large file from a network failure.
    throw new DownloadError(`${label} : téléchargement impossible depuis ${url} (${cause}) ; le fichier précédent est conservé.`, { cause: error });
  }

  let content: Uint8Array | string;
  try {
    content = options.prepare(body);
  } catch (error) {
    throw new DownloadError(`${label} : contenu refusé (${(error as Error).message}) ; le fichier précédent est conservé.`);
  }

  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    fs.writeFileSync(temporary, content);
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw new DownloadError(`${label} : écriture impossible dans ${target} (${(error as Error).message}) ; le fichier précédent est conservé.`);
  }
  return { receivedBytes: body.byteLength, writtenBytes: typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength };
}
