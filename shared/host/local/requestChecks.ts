import { maxHeaderSize, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Access } from './hostKeys.js';

/**
 * What the local host checks of every request before a function runs, beside its keys (hostKeys.ts):
 * the Host header (DNS rebinding), the content type of a POST (what a cross-origin page can send
 * without a preflight is never JSON), the size of the body (Event Grid's limit), and a JSON answer
 * to what Node's HTTP parser refuses.
 */

/** Event Grid's limit on a delivery, and the local host's on any body: 1 MB. */
export const MAX_BODY_BYTES = 1_048_576;

/** The content types a POST may have: JSON, and the CloudEvents JSON types Event Grid sends. */
const JSON_CONTENT_TYPES = new Set(['application/json', 'application/cloudevents+json', 'application/cloudevents-batch+json']);
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const PARAMETER = new RegExp(`^\\s*${TOKEN}\\s*=\\s*(?:${TOKEN}|"[^"]*")\\s*$`);

export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const [type, ...parameters] = header.split(';');
  return JSON_CONTENT_TYPES.has(type!.trim().toLowerCase()) && parameters.every((p) => PARAMETER.test(p));
}

/**
 * The Host header values that name this host: the loopback names with its port (and `bound` when it
 * is a name or address of its own). Anything else is a page that rebound its own name to 127.0.0.1.
 */
export function hostNames(port: number, bound?: string): Set<string> {
  const names = ['127.0.0.1', 'localhost', '[::1]'];
  if (bound !== undefined && !['0.0.0.0', '::', '[::]'].includes(bound)) names.push(bound.includes(':') && !bound.startsWith('[') ? `[${bound}]` : bound);
  const values = names.map((name) => `${name.toLowerCase()}:${port}`);
  if (port === 80) values.push(...names.map((name) => name.toLowerCase()));
  return new Set(values);
}

export function describeHostNames(port: number): string {
  return `127.0.0.1:${port}, localhost:${port} or [::1]:${port}`;
}

/** A JSON error, closing the connection when the request's body was not read (so Node does not read it for nothing). */
export function jsonError(response: ServerResponse, status: number, message: string, options: { close?: boolean; headers?: Record<string, string> } = {}): void {
  const body = JSON.stringify({ error: message });
  response
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...(options.close ? { connection: 'close' } : {}),
      ...options.headers,
    })
    .end(body);
}

/**
 * The body, or `undefined` when it is over `limit`: a Content-Length over it is refused before a
 * byte is read, and a chunked body is read no further than the limit.
 */
export function readBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer | undefined> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      request.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        done();
        request.pause();
        resolve(undefined);
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const onClose = () => {
      done();
      reject(new Error('the client closed the connection before the end of the body'));
    };
    request.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
  });
}

/**
 * Answers what Node's HTTP parser refuses with a JSON error instead of an empty one: 431 when the
 * request line and headers are over Node's limit (16 KiB: a route id too long for the URL), 400
 * otherwise. Install with `server.on('clientError', answerClientError)`.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, reason, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', `the request's URL and headers are over ${maxHeaderSize / 1024} KiB, Node's limit (a route id or a query that long is not one this host serves)`]
      : error.code === 'HPE_HEADERS_TIMEOUT' || error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'the request did not arrive in time']
        : [400, 'Bad Request', 'the request is not well-formed HTTP/1.1'];
  const body = JSON.stringify({ error: message });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

/** What a path of the local host serves, as the host sees it before any function runs. */
export interface Endpoint {
  /** The key it asks for (hostKeys.ts `authorizes`). */
  access: Access;
  /** Its methods, upper case; others are answered 405. */
  methods: readonly string[];
  /** Serves an admitted request, its body read (at most MAX_BODY_BYTES). */
  serve(request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer): Promise<void>;
}
