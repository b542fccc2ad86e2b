import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import busboy from 'busboy';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { FileUpload } from 'graphql-upload/processRequest.mjs';
import Upload from 'graphql-upload/Upload.mjs';
import { z } from 'zod';

export interface MultipartOptions {
  /** Largest file accepted, in bytes. @default 200 MB */
  maxFileSize?: number;
  /** Most files in one request. @default 1 */
  maxFiles?: number;
  /** Largest `operations` or `map` field, in bytes. @default 1 MB */
  maxFieldSize?: number;
  /** An upload from which no byte arrives for this long (while the server is reading) is ended. @default 60 s */
  idleTimeoutMs?: number;
}

/** Upload limits, spread into the env shape of the gateway and the shop (both enforce them). */
export const uploadEnvShape = {
  /** @default 200 MB */
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(200 * 1024 * 1024),
  MAX_UPLOAD_FILES: z.coerce.number().int().positive().default(1),
  /**
   * How long a client may take to send a whole request (Node's `requestTimeout`, 5 minutes by
   * default, would cut a 200 MB upload on a slow line). Headers must still arrive within 60 s.
   * @default 1 hour
   */
  UPLOAD_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(3_600_000),
  /**
   * An upload body (multipart or a signed PUT) from which no byte arrives for this long is ended
   * with an error and nothing of it is kept: a client trickling a byte now and then cannot hold a
   * connection and a temporary object until UPLOAD_REQUEST_TIMEOUT_MS. Time the server itself
   * spends not reading (storage applying backpressure) does not count.
   * @default 60 s
   */
  UPLOAD_IDLE_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
};

/** An error that carries the HTTP status the response should get (413 for limits, 400 for a malformed request). */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 408 | 413 | 499,
  ) {
    super(message);
  }
}

// Larger buffers than the 16-64 KB defaults: fewer hand-offs between parser, consumer and socket
// per megabyte, which is what bounds throughput on a busy machine; a few MB per upload at most.
const CHUNK = 1024 * 1024;

/** What is read and thrown away of a refused request's body, so the client gets to read the answer. */
const DISCARD_BYTES = 8 * 1024 * 1024;
const DISCARD_IDLE_MS = 5000;
const discarding = new WeakSet<IncomingMessage>();

/**
 * After a request's body has been refused (too large, malformed, unauthorized): reads and throws
 * away at most `maxBytes` more of it, then closes the connection. Closing at once, with unread
 * bytes on the socket, resets it: a client still sending (Node's fetch, browsers) then fails with
 * EPIPE or a reset instead of reading the answer. Reading the whole rest would let a client make
 * the server swallow any amount, so this is bounded in bytes and in idle time.
 */
export function discardBody(req: IncomingMessage, { maxBytes = DISCARD_BYTES, idleMs = DISCARD_IDLE_MS } = {}) {
  if (req.complete || req.destroyed || discarding.has(req)) return;
  discarding.add(req);
  req.unpipe();
  let left = maxBytes;
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    clearTimeout(timer);
    req.off('data', onData);
    req.socket?.destroy();
  };
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(stop, idleMs);
    timer.unref();
  };
  const onData = (chunk: Buffer) => {
    left -= chunk.length;
    if (left < 0) stop();
    else arm();
  };
  req.on('data', onData);
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
  arm();
  req.resume();
}

/**
 * Calls `onIdle` when no byte of `req`'s body has arrived for `ms` while it was being read.
 * Watches the socket, not `req`: a listener on `req` would start it flowing before its reader
 * is attached. While the reader holds `req` paused (backpressure) the wait does not count.
 * Returns a function that stops the watch.
 */
export function idleGuard(req: IncomingMessage, ms: number, onIdle: () => void): () => void {
  const socket = req.socket;
  let timer: NodeJS.Timeout | undefined;
  const done = () => {
    clearTimeout(timer);
    socket.off('data', arm);
  };
  const check = () => {
    if (req.complete || req.destroyed) return done();
    if (req.readableFlowing !== true) return arm();
    done();
    onIdle();
  };
  function arm() {
    clearTimeout(timer);
    timer = setTimeout(check, ms);
    timer.unref();
  }
  socket.on('data', arm);
  req.once('end', done);
  req.once('close', done);
  arm();
  return done;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function setAt(target: unknown, path: string, value: unknown) {
  const keys = path.split('.');
  let node = target as Record<string, unknown>;
  for (const [i, key] of keys.entries()) {
    if (FORBIDDEN_KEYS.has(key) || !node || typeof node !== 'object' || !(key in node))
      throw new UploadError(`The map path ${path} does not point at a variable in operations`, 400);
    if (i === keys.length - 1) node[key] = value;
    else node = node[key] as Record<string, unknown>;
  }
}

/**
 * GraphQL multipart requests (the spec graphql-upload implements, which apollo-upload-client
 * sends), parsed without buffering: each file is handed to its resolver as the stream busboy
 * reads from the socket, so the bytes flow through at the pace the consumer reads them.
 * graphql-upload's own parser spools every file to a temporary file first (fs-capacitor),
 * which costs a full disk write per hop; this one keeps its `Upload` values and scalar.
 *
 * Files must be consumed in the order they arrive (the spec's order); with the default of one
 * file per request that is always so.
 */
export function graphqlMultipart(options: MultipartOptions = {}): RequestHandler {
  const maxFileSize = options.maxFileSize ?? 200 * 1024 * 1024;
  const maxFiles = options.maxFiles ?? 1;
  const maxFieldSize = options.maxFieldSize ?? 1024 * 1024;
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data')) return next();
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxFiles * maxFileSize + 2 * maxFieldSize + 64 * 1024) {
      discardBody(req);
      return next(new UploadError(`The request is ${declared} bytes; files may be at most ${maxFileSize} bytes each, ${maxFiles} per request`, 413));
    }
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        highWaterMark: CHUNK,
        fileHwm: CHUNK,
        limits: { fileSize: maxFileSize, files: maxFiles, fields: 2, fieldSize: maxFieldSize },
      });
    } catch (error) {
      discardBody(req);
      return next(new UploadError(`Invalid multipart request: ${(error as Error).message}`, 400));
    }

    let operations: unknown;
    let handedOver = false;
    const uploads = new Map<string, Upload>();
    const streams = new Set<PassThrough>();
    let failure: UploadError | undefined;

    const fail = (error: UploadError) => {
      failure ??= error;
      for (const upload of uploads.values()) upload.reject(error);
      for (const stream of streams) if (!stream.writableFinished) stream.destroy(error);
      if (!handedOver) {
        handedOver = true;
        discardBody(req, { idleMs: Math.min(DISCARD_IDLE_MS, idleTimeoutMs) });
        next(error);
      }
    };

    parser.on('field', (name, value, info) => {
      if (handedOver) return;
      try {
        if (info.valueTruncated) throw new UploadError(`The ${name} field is larger than ${maxFieldSize} bytes`, 413);
        if (name === 'operations') {
          operations = JSON.parse(value);
        } else if (name === 'map') {
          if (operations === undefined) throw new UploadError('The operations field must come before map', 400);
          const map = JSON.parse(value) as Record<string, unknown>;
          if (!map || typeof map !== 'object' || Array.isArray(map)) throw new UploadError('The map field must be a JSON object', 400);
          const entries = Object.entries(map);
          if (entries.length > maxFiles) throw new UploadError(`At most ${maxFiles} file(s) may be uploaded per request, this one has ${entries.length}`, 413);
          for (const [field, paths] of entries) {
            if (!Array.isArray(paths) || paths.length === 0) throw new UploadError(`map.${field} must list the variable paths of the file`, 400);
            // a file is streamed through once, to one resolver; a second reader would get nothing
            if (paths.length > 1)
              throw new UploadError(
                `The file ${field} is mapped to ${paths.length} variables (${paths.join(', ')}); files are streamed once, so send one file per variable`,
                400,
              );
            const upload = new Upload();
            // a rejected upload no resolver asked for must not become an unhandled rejection
            upload.promise.catch(() => {});
            uploads.set(field, upload);
            for (const path of paths) setAt(operations, String(path), upload);
          }
          handedOver = true;
          req.body = operations;
          next();
        }
      } catch (error) {
        fail(error instanceof UploadError ? error : new UploadError(`Invalid multipart request: ${(error as Error).message}`, 400));
      }
    });

    parser.on('file', (name, source: Readable, info) => {
      // busboy fails the file stream too when the body ends inside it (`Unexpected end of form`):
      // without a listener that error would crash the process
      source.on('error', (error: Error) => fail(new UploadError(`Invalid multipart request: ${error.message}`, 400)));
      if (!handedOver) {
        source.resume();
        fail(new UploadError('Invalid multipart request: the operations and map fields must come before the files', 400));
        return;
      }
      const upload = uploads.get(name);
      if (!upload || failure) {
        source.resume();
        return;
      }
      uploads.delete(name);
      const stream = new PassThrough({ highWaterMark: CHUNK });
      // the consumer attaches its own listeners; this one keeps an unread, failed stream from crashing the process
      stream.on('error', () => {});
      streams.add(stream);
      source.on('limit', () => {
        source.unpipe(stream);
        source.resume();
        fail(new UploadError(`The file ${info.filename} is larger than the limit of ${maxFileSize} bytes`, 413));
      });
      source.pipe(stream);
      let taken = false;
      const file: FileUpload = {
        filename: info.filename ?? name,
        mimetype: info.mimeType,
        encoding: info.encoding,
        fieldName: name,
        createReadStream: () => {
          if (taken) throw new Error(`The upload ${info.filename} is streamed and can be read only once`);
          // failed before anyone read it (graphql-upload throws here too): its error was emitted
          // already, and a consumer that pipes it would wait forever for an end or an error
          if (stream.destroyed) throw stream.errored ?? failure ?? new UploadError(`The upload ${info.filename} was closed before it was read`, 400);
          taken = true;
          return stream as never;
        },
      } as FileUpload;
      upload.resolve(file);
    });

    parser.on('filesLimit', () => fail(new UploadError(`At most ${maxFiles} file(s) may be uploaded per request`, 413)));
    parser.on('error', (error: Error) => fail(new UploadError(`Invalid multipart request: ${error.message}`, 400)));
    parser.on('close', () => {
      if (!handedOver) fail(new UploadError('The multipart request has no operations and map fields', 400));
      for (const upload of uploads.values()) upload.reject(new UploadError('The request ended before the file arrived', 400));
    });
    // a client that goes away mid-file must fail the consumer, so nothing half-written is kept
    req.on('close', () => {
      if (!req.complete) fail(new UploadError('The client disconnected before the upload finished', 499));
    });
    const stopIdleGuard = idleGuard(req, idleTimeoutMs, () =>
      fail(new UploadError(`No data of the upload arrived for ${idleTimeoutMs} ms; the upload was ended`, 408)),
    );
    // answered before the files were read (an error, an unauthenticated caller): drop the rest
    // of the body instead of leaving the parser waiting for a reader that will never come
    res.once('finish', () => {
      stopIdleGuard();
      if (req.complete) return;
      discardBody(req, { idleMs: Math.min(DISCARD_IDLE_MS, idleTimeoutMs) });
      fail(new UploadError('The request was answered before the upload was read', 400));
    });
    req.pipe(parser);
  };
}
