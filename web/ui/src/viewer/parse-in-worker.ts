import type { ModelFormat } from './model-format.ts';
import { ModelParseError } from './parse/model-parse-error.ts';
import type { ParsedInWorker, ParseRequest, ParseResponse } from './parse-protocol.ts';

/** A parse replaced by a newer one, or by the viewer's unmount. */
export class ParseCancelledError extends Error {
  override readonly name = 'ParseCancelledError';
}

export interface ModelParser {
  /** Parses in the worker; a call while another parse runs cancels that one. */
  parse(source: Blob | string, format: ModelFormat | undefined): Promise<ParsedInWorker>;
  dispose(): void;
}

/**
 * One worker per viewer, started on first use. Cancelling terminates it: a parse of 50 MB
 * cannot be interrupted otherwise, and a fresh worker is cheap next to that.
 */
export function createModelParser(): ModelParser {
  let worker: Worker | undefined;
  let nextId = 1;
  let pending: { id: number; resolve(value: ParsedInWorker): void; reject(error: Error): void } | undefined;

  const stop = (reason: Error) => {
    if (!pending) return;
    worker?.terminate();
    worker = undefined;
    pending.reject(reason);
    pending = undefined;
  };

  const start = (): Worker => {
    const w = new Worker(new URL('./parse.worker.ts', import.meta.url), { type: 'module', name: 'fabline-model-parse' });
    w.onmessage = (event: MessageEvent<ParseResponse>) => {
      const message = event.data;
      if (!pending || message.id !== pending.id) return;
      const { resolve, reject } = pending;
      pending = undefined;
      if (message.ok) {
        const { id: _id, ok: _ok, ...parsed } = message;
        resolve(parsed);
      } else reject(new ModelParseError(message.reason, message.message));
    };
    // The worker script failed to load or the worker ran out of memory.
    w.onerror = (event) => {
      event.preventDefault();
      stop(new ModelParseError('unreadable', event.message || 'The model parser stopped.'));
    };
    return w;
  };

  return {
    parse(source, format) {
      stop(new ParseCancelledError('A newer model replaced this one.'));
      worker ??= start();
      const id = nextId++;
      const request: ParseRequest = { id, source: typeof source === 'string' ? new URL(source, document.baseURI).href : source, format };
      return new Promise<ParsedInWorker>((resolve, reject) => {
        pending = { id, resolve, reject };
        worker?.postMessage(request);
      });
    },
    dispose() {
      stop(new ParseCancelledError('The viewer was closed.'));
      worker?.terminate();
      worker = undefined;
    },
  };
}
